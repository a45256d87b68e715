import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

// The README's TypeScript snippets are type-checked against the built package and the first one is run, so the
// docs cannot drift from the code. npm test builds lib/ first; snippets import the package by its name.
const root = resolve(import.meta.dirname, '..', '..');
const work = join(root, '.cache', `readme-${process.pid}`);
after(() => rmSync(work, { recursive: true, force: true }));

function snippets(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('README snippets', () => {
  const blocks = snippets();

  it('has TypeScript snippets to check', () => {
    assert.ok(blocks.length >= 2, `found ${blocks.length}`);
  });

  it('type-checks every snippet against the built package', () => {
    mkdirSync(work, { recursive: true });
    const files = blocks.map((code, index) => {
      const file = join(work, `snippet-${index}.ts`);
      // Values a snippet leaves to the reader are declared, not invented.
      writeFileSync(file, `declare const csrPem: string;\n${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files,
      }),
    );
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(work, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (error) {
      assert.fail(`a README snippet does not compile:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  });

  it('synthesizes the shortest working stack with an ephemeral CSR and no key material', () => {
    // GIVEN the first snippet, run as a user would in an empty project folder
    const dir = join(work, 'shortest');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'main.mts');
    writeFileSync(file, blocks[0] ?? '');
    // WHEN it runs
    execFileSync(join(root, 'node_modules/.bin/tsx'), [file], { cwd: dir, encoding: 'utf8' });
    // THEN cdktf.out holds the ephemeral block and the provider alias, and the key stayed outside, 0600
    const synthesized = readFileSync(join(dir, 'cdktf.out/stacks/jane/cdk.tf.json'), 'utf8');
    const json = JSON.parse(synthesized) as {
      ephemeral: { kubernetes_certificate_signing_request_v1: Record<string, { spec: { signer_name: string } }> };
      provider: { kubernetes: { alias?: string; client_key?: string; client_certificate?: string }[] };
    };
    const csrs = Object.values(json.ephemeral.kubernetes_certificate_signing_request_v1);
    assert.equal(csrs.length, 1);
    assert.equal(csrs[0]?.spec.signer_name, 'kubernetes.io/kube-apiserver-client');
    const alias = json.provider.kubernetes.find((p) => p.alias === 'jane');
    assert.match(
      alias?.client_certificate ?? '',
      /^\$\{ephemeral\.kubernetes_certificate_signing_request_v1\..+\.certificate\}$/,
    );
    assert.match(alias?.client_key ?? '', /^\$\{file\(".+\.key"\)\}$/);
    assert.doesNotMatch(synthesized, /PRIVATE KEY/);
    const keyDir = join(dir, '.cdktf-kubernetes-csr', 'keys');
    const keys = readdirSync(keyDir);
    assert.equal(keys.length, 1);
    assert.equal(statSync(join(keyDir, keys[0] ?? '')).mode & 0o777, 0o600);
    const keyBody = readFileSync(join(keyDir, keys[0] ?? ''), 'utf8').split('\n')[1] ?? 'missing';
    assert.ok(!synthesized.includes(keyBody), 'no line of the key reaches cdktf.out');
  });
});

describe('README snippets with a KubeCsrProvider', () => {
  const blocks = snippets();
  for (const construct of ['ClientCertificate', 'ServingCertificate']) {
    it(`synthesizes the kubecsr snippet with a ${construct} in memory: no key file, no file(), no key material`, () => {
      // GIVEN the snippet that declares a KubeCsrProvider and a ${construct}, run in an empty project folder
      const code = blocks.find(
        (block) => block.includes('new KubeCsrProvider(') && block.includes(`new ${construct}(`),
      );
      assert.ok(code, `the README has a kubecsr snippet with a ${construct}`);
      const dir = join(work, `in-memory-${construct}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'main.mts'), code);
      // WHEN it runs
      execFileSync(join(root, 'node_modules/.bin/tsx'), [join(dir, 'main.mts')], { cwd: dir, encoding: 'utf8' });
      // THEN the key stays in memory: a kubecsr type wired by reference, and no key folder
      const [stack = ''] = readdirSync(join(dir, 'cdktf.out', 'stacks'));
      const synthesized = readFileSync(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8');
      assert.match(synthesized, /\.private_key_pem\}/);
      assert.match(
        synthesized,
        construct === 'ClientCertificate' ? /"kubecsr_client_identity"/ : /"kubecsr_certificate"/,
      );
      assert.doesNotMatch(synthesized, /file\(|PRIVATE KEY/);
      assert.deepEqual(readdirSync(dir).sort(), ['cdktf.out', 'main.mts']);
    });
  }
});

describe('README benchmark table', () => {
  it('matches the newest committed results file, row for row', () => {
    // GIVEN the table bench/summary.ts makes from the newest full results file
    const table = execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/summary.ts')], {
      cwd: root,
      encoding: 'utf8',
    });
    const rows = table.split('\n').filter((line) => /^\| (open|synthesize|import|[A-Z].* key \+ CSR|parse)/.test(line));
    assert.ok(rows.length >= 10, `the summary has its rows (${rows.length})`);
    // THEN every row stands in the README as it is (Prettier only re-pads cells, so compare cell contents)
    const cells = (line: string) => line.split('|').map((cell) => cell.trim());
    const readmeRows = readFileSync(join(root, 'README.md'), 'utf8').split('\n').map(cells);
    for (const row of rows) {
      const wanted = JSON.stringify(cells(row));
      assert.ok(
        readmeRows.some((readmeRow) => JSON.stringify(readmeRow) === wanted),
        `README lacks: ${row}`,
      );
    }
  });
});
