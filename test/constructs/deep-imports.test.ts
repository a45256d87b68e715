import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const TSX_LOADER = import.meta.resolve('tsx');
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Imports `specifier` in a fresh node process and returns the files of @cdktf/provider-kubernetes that got loaded
 * (CommonJS modules loaded through ESM imports land in require.cache). No timing involved.
 */
function providerModulesLoadedBy(specifier: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(process.argv[1]);
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).filter((f) => f.includes('/@cdktf/provider-kubernetes/'));
    process.stdout.write(JSON.stringify(loaded.map((f) => f.slice(f.indexOf('/@cdktf/provider-kubernetes/') + 1))));
  `;
  const out = execFileSync(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script, specifier], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

const ROOT = '@cdktf/provider-kubernetes/lib/index.js';

describe('deep imports of @cdktf/provider-kubernetes', () => {
  it('detects a load of the package root (positive control)', () => {
    assert.ok(providerModulesLoadedBy('@cdktf/provider-kubernetes').includes(ROOT));
  });

  it('importing the constructs loads only the provider and secret-v1 modules, never the package root', () => {
    const loaded = providerModulesLoadedBy(`${REPO}src/constructs/index.ts`);
    assert.ok(!loaded.includes(ROOT), `the package root was loaded: ${loaded.join(', ')}`);
    assert.deepEqual(loaded.sort(), [
      '@cdktf/provider-kubernetes/lib/provider/index.js',
      '@cdktf/provider-kubernetes/lib/secret-v1/index.js',
    ]);
  });

  it('importing the package entry point does not load the package root either', () => {
    const loaded = providerModulesLoadedBy(`${REPO}src/index.ts`);
    assert.ok(!loaded.includes(ROOT), `the package root was loaded: ${loaded.join(', ')}`);
  });
});
