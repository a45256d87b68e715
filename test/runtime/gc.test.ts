import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CertificatesV1Api } from '@kubernetes/client-node';
import { collectGarbage, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/runtime/index.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { clientRequest, csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';

describe('collectGarbage', () => {
  it("deletes this library's old leftovers and nothing else", async () => {
    // GIVEN a leftover labelled as ours and an object of somebody else's
    const admin = sharedKubeConfig();
    const api = admin.makeApiClient(CertificatesV1Api);
    const prefix = `gc-${uniqueSuffix()}-`;
    const { request } = await clientRequest('gc-user');
    const spec = {
      request: Buffer.from(request).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
    };
    await api.createCertificateSigningRequest({
      body: { metadata: { name: `${prefix}ours`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, spec },
    });
    await api.createCertificateSigningRequest({ body: { metadata: { name: `${prefix}theirs` }, spec } });
    try {
      // WHEN gc runs with a cut-off in the future (everything counts as old) but first as a dry run
      const future = new Date(Date.now() + 60_000);
      const dry = await collectGarbage({
        kubeconfig: sharedKubeconfigPath(),
        olderThanMs: 0,
        now: future,
        dryRun: true,
      });
      assert.ok(dry.deleted.includes(`${prefix}ours`));
      assert.deepEqual((await csrNamesWithPrefix(admin, prefix)).sort(), [`${prefix}ours`, `${prefix}theirs`]);

      // WHEN a real run with a cut-off of one hour: ours is too young, kept
      const young = await collectGarbage({ kubeconfig: sharedKubeconfigPath(), olderThanMs: 3_600_000 });
      assert.ok(young.kept.includes(`${prefix}ours`));

      // WHEN a real run where it counts as old
      const result = await collectGarbage({ kubeconfig: sharedKubeconfigPath(), olderThanMs: 0, now: future });
      // THEN ours is deleted, theirs is not
      assert.ok(result.deleted.includes(`${prefix}ours`));
      assert.ok(!result.deleted.includes(`${prefix}theirs`));
      assert.deepEqual(await csrNamesWithPrefix(admin, prefix), [`${prefix}theirs`]);
    } finally {
      await api.deleteCertificateSigningRequest({ name: `${prefix}theirs` });
      await api.deleteCertificateSigningRequest({ name: `${prefix}ours` }).catch(() => undefined);
    }
  });
});
