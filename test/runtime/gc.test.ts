import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CertificatesV1Api } from '@kubernetes/client-node';
import { collectGarbage, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/runtime/index.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { createdAt, createLaterThan } from '../support/creation-time.js';
import {
  clientRequest,
  csrNamesWithPrefix,
  grantClusterRole,
  uniqueSuffix,
  userKubeconfig,
} from '../support/identities.js';

const work = mkdtempSync(join(tmpdir(), 'runtime-gc-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('collectGarbage', () => {
  it("deletes this library's old leftovers and nothing else", async () => {
    // GIVEN an old leftover labelled as ours, an old object of somebody else's, and a younger leftover of ours that
    // the API server stamped later (ages come from these creationTimestamps, never from sleeps)
    const admin = sharedKubeConfig();
    const api = admin.makeApiClient(CertificatesV1Api);
    const prefix = `gc-${uniqueSuffix()}-`;
    const [ours, theirs, young] = [`${prefix}ours`, `${prefix}theirs`, `${prefix}young`];
    const { request } = await clientRequest('gc-user');
    const spec = {
      request: Buffer.from(request).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
    };
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
    const old = [
      await api.createCertificateSigningRequest({ body: { metadata: { name: ours, labels }, spec } }),
      await api.createCertificateSigningRequest({ body: { metadata: { name: theirs }, spec } }),
    ];
    const youngCsr = await createLaterThan(
      old,
      () => api.createCertificateSigningRequest({ body: { metadata: { name: young, labels }, spec } }),
      () => api.deleteCertificateSigningRequest({ name: young }),
    );
    // AND a collector that may list every CSR but delete only these: other test files' objects on the shared
    // cluster must survive whatever this test does (deleting them fails with 403 instead)
    const collector = `${prefix}collector`;
    const revoke = await grantClusterRole(admin, collector, [
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['list'] },
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests'],
        verbs: ['delete'],
        resourceNames: [ours, theirs, young],
      },
    ]);
    const kubeconfig = await userKubeconfig(sharedKubeconfigPath(), collector, work);
    const mine = (names: readonly string[]) => names.filter((name) => name.startsWith(prefix)).sort();
    try {
      // WHEN a dry run cuts off at the young one's creation time
      const dry = await collectGarbage({ kubeconfig, createdBefore: new Date(createdAt(youngCsr)), dryRun: true });
      // THEN it names ours, keeps the young one, never lists theirs, and deletes nothing
      assert.deepEqual(mine(dry.deleted), [ours]);
      assert.deepEqual(mine(dry.kept), [young]);
      assert.deepEqual((await csrNamesWithPrefix(admin, prefix)).sort(), [ours, theirs, young].sort());

      // WHEN a dry run measures ages at the young one's creation time, with the gap between the two as the age
      const gapMs = createdAt(youngCsr) - createdAt(old[0] ?? youngCsr);
      const aged = await collectGarbage({
        kubeconfig,
        olderThanMs: gapMs,
        now: new Date(createdAt(youngCsr)),
        dryRun: true,
      });
      // THEN ours is exactly that old (at least olderThanMs: collected), the young one is 0 ms old (kept)
      assert.ok(gapMs >= 1000, `the objects are ${gapMs} ms apart`);
      assert.deepEqual(mine(aged.deleted), [ours]);
      assert.deepEqual(mine(aged.kept), [young]);

      // WHEN a real run with a cut-off of one hour (these objects are seconds old, however busy the machine)
      const hour = await collectGarbage({ kubeconfig, olderThanMs: 3_600_000 });
      // THEN both of ours are too young, kept
      assert.deepEqual(mine(hour.deleted), []);
      assert.deepEqual(mine(hour.kept), [ours, young]);

      // WHEN a real run cuts off at the young one's creation time
      const result = await collectGarbage({ kubeconfig, createdBefore: new Date(createdAt(youngCsr)) });
      // THEN ours is deleted; theirs and the young one are not
      assert.deepEqual(mine(result.deleted), [ours]);
      assert.deepEqual(mine(result.failed.map((f) => f.name)), []);
      for (const failure of result.failed) assert.equal(failure.error.code, 'cleanup-failed');
      assert.deepEqual((await csrNamesWithPrefix(admin, prefix)).sort(), [theirs, young].sort());
    } finally {
      await revoke();
      for (const name of [ours, theirs, young])
        await api.deleteCertificateSigningRequest({ name }).catch(() => undefined);
    }
  });
});
