import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

// Runs in a fresh Node process against the built package (npm test builds first), by its own name, as a user would.
function modulesLoadedBy(specifier: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const m = await import(${JSON.stringify(specifier)});
    const require = createRequire(import.meta.url);
    console.log(JSON.stringify({ exports: Object.keys(m), loaded: Object.keys(require.cache) }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const { exports, loaded } = JSON.parse(out) as { exports: string[]; loaded: string[] };
  assert.ok(exports.length > 0, `${specifier} exports something`);
  return loaded;
}

describe('the package entry points', () => {
  it('loads neither the Kubernetes client nor the root of @cdktf/provider-kubernetes from the root', () => {
    const loaded = modulesLoadedBy('cdktf-kubernetes-csr');
    // CommonJS modules show up in require.cache; client-node is ESM, so check it through the positive control below
    assert.ok(
      loaded.some((path) => path.includes('/cdktf/lib/')),
      'cdktf itself is loaded (the check can see modules)',
    );
    assert.deepEqual(
      loaded.filter((path) => /@cdktf\/provider-kubernetes\/lib\/index\.js$/.test(path)),
      [],
      'the 145 MB package root is never required',
    );
    assert.ok(
      loaded.every((path) => !path.includes('@kubernetes/client-node') && !path.includes('/node-fetch/')),
      'no Kubernetes client at synth time',
    );
  });

  it("loads none of kubecsr's server side (grpc) from the root, though the root exports KubeCsrProvider", async () => {
    const root = (await import('cdktf-kubernetes-csr')) as Record<string, unknown>;
    assert.equal(typeof root.KubeCsrProvider, 'function');
    assert.equal(typeof root.KubeCsrSelfSubjectReview, 'function');
    // GIVEN the check sees grpc when it is loaded (positive control)
    assert.ok(modulesLoadedBy('@grpc/grpc-js').some((path) => path.includes('/@grpc/grpc-js/')));
    // WHEN the package root is imported THEN grpc is not
    const loaded = modulesLoadedBy('cdktf-kubernetes-csr');
    assert.deepEqual(
      loaded.filter((path) => path.includes('/@grpc/')),
      [],
      'the provider construct takes its constants from provider/install, not the server',
    );
  });

  it('serves the runtime from cdktf-kubernetes-csr/runtime, with the Kubernetes client', () => {
    const loaded = modulesLoadedBy('cdktf-kubernetes-csr/runtime');
    assert.ok(
      loaded.some((path) => path.includes('/node-fetch/')),
      "client-node's CommonJS dependencies are loaded by the runtime entry point",
    );
  });
});
