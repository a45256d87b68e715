import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A no-restricted-imports pattern for relative imports that reach into one of `folders` at the project root. */
function outsideOf(who, folders) {
  return {
    regex: `^(\\.\\./)+(${folders.join('|')})/`,
    message: `${who === 'src' ? 'shipped code (src/)' : 'this folder'} must not import ${folders.map((f) => `${f}/`).join(', ')}: see ARCHITECTURE.md`,
  };
}

/** no-restricted-imports blocks that keep each src/ layer from importing the layers above it. */
function layerRules(layers) {
  return layers.map(({ files, forbidden }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            outsideOf('src', ['dev', 'test', 'bench', 'scripts', 'examples']),
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
              message: `${files[0].split('/')[1]} sits below ${forbidden.join(', ')}: see ARCHITECTURE.md (layers)`,
            },
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  {
    ignores: [
      'lib/**',
      'node_modules/**',
      '**/cdktf.out/**',
      '**/.gen/**',
      '.cache/**',
      'bench/results/**',
      'dev/cluster/controlplane/**',
      'dev/cluster/certmanager/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: './tsconfig.test.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // The layers (ARCHITECTURE.md): each folder of src/ may import only the layers below it; nothing shipped imports
  // the dev tooling or the tests, and the dev tooling does not import the tests.
  {
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [outsideOf('src', ['dev', 'test', 'bench', 'scripts', 'examples'])] },
      ],
    },
  },
  ...layerRules([
    { files: ['src/pki/**'], forbidden: ['rules', 'runtime', 'constructs', 'provider', 'cli'] },
    { files: ['src/rules/**'], forbidden: ['runtime', 'constructs', 'provider', 'cli'] },
    { files: ['src/runtime/**'], forbidden: ['constructs', 'provider', 'cli'] },
    { files: ['src/constructs/**'], forbidden: ['runtime', 'cli'] },
    { files: ['src/provider/**'], forbidden: ['constructs', 'cli'] },
    { files: ['src/cli/**'], forbidden: ['constructs'] },
  ]),
  {
    files: ['dev/**', 'bench/**', 'scripts/**', 'examples/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [outsideOf('the tests', ['test'])] }] },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
