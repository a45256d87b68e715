import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createCertificateRequest, generateKey } from '../../src/pki/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/runtime/index.js';
import { EXIT_CODES } from '../../src/cli/main.js';
import { sharedKubeConfig } from '../support/cluster-env.js';
import {
  adminCertificatesApi,
  assertNoCsrLeft,
  csrNamesContaining,
  runCli,
  scratchDir,
  show,
  uniqueName,
} from './support.js';

interface GcJson {
  dryRun: boolean;
  olderThanSeconds: number;
  deleted: string[];
  kept: string[];
  failed: { name: string; error: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kube-csr gc', () => {
  const scratch = scratchDir();
  const api = adminCertificatesApi();
  const rbac = sharedKubeConfig().makeApiClient(RbacAuthorizationV1Api);
  const oldLabelled = uniqueName('gc-old');
  const oldUnlabelled = uniqueName('gc-old-unlabelled');
  const young = uniqueName('gc-young');
  const collector = uniqueName('gc-collector');

  after(async () => {
    scratch.dispose();
    for (const name of [oldLabelled, oldUnlabelled, young]) {
      await api.deleteCertificateSigningRequest({ name }).catch(() => undefined);
    }
    await rbac.deleteClusterRoleBinding({ name: collector }).catch(() => undefined);
    await rbac.deleteClusterRole({ name: collector }).catch(() => undefined);
  });
  afterEach(() => assertNoCsrLeft());

  async function createCsr(name: string, labelled: boolean): Promise<void> {
    const key = await generateKey('ecdsa-p256');
    const request = createCertificateRequest({ privateKey: key.privateKey, commonName: name });
    await api.createCertificateSigningRequest({
      body: {
        metadata: { name, labels: labelled ? { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } : {} },
        spec: {
          request: Buffer.from(request).toString('base64'),
          signerName: 'example.com/gc-test',
          usages: ['client auth'],
        },
      },
    });
  }

  it('GIVEN old and young labelled CSRs and an old unlabelled one WHEN gc runs THEN only the old labelled one is deleted; --dry-run deletes nothing', async () => {
    // GIVEN an identity that may list every CSR but delete only this test's: gc on the shared cluster must not
    // delete the labelled objects of test files running beside this one (those deletions fail with 403 instead).
    const issued = await runCli([
      'issue',
      '--user',
      collector,
      '--key-type',
      'ecdsa-p256',
      '--approve',
      '--out-dir',
      scratch.path('collector'),
    ]);
    assert.equal(issued.code, 0, show(issued));
    const kubeconfig = scratch.path('collector', `${collector}.kubeconfig`);
    await rbac.createClusterRole({
      body: {
        metadata: { name: collector },
        rules: [
          { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['list'] },
          {
            apiGroups: ['certificates.k8s.io'],
            resources: ['certificatesigningrequests'],
            verbs: ['delete'],
            resourceNames: [oldLabelled, oldUnlabelled, young],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: collector },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: collector },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: collector }],
      },
    });
    // AND two objects older than 3 s (creationTimestamp has whole seconds), then a young one
    await createCsr(oldLabelled, true);
    await createCsr(oldUnlabelled, false);
    await sleep(4200);
    await createCsr(young, true);
    const gc = (...extra: string[]) =>
      runCli(['gc', '--older-than', '3s', '--json', '--kubeconfig', kubeconfig, ...extra], {
        env: { KUBECONFIG: undefined },
      });
    const mine = (names: string[]) => names.filter((n) => n.includes(uniqueName('gc-')));

    // WHEN gc runs with --dry-run
    const dry = await gc('--dry-run');

    // THEN it names the old labelled one, keeps the young one, ignores the unlabelled one, deletes nothing
    assert.equal(dry.code, 0, show(dry));
    const dryJson = JSON.parse(dry.stdout) as GcJson;
    assert.equal(dryJson.dryRun, true);
    assert.equal(dryJson.olderThanSeconds, 3);
    assert.deepEqual(mine(dryJson.deleted), [oldLabelled]);
    assert.deepEqual(mine(dryJson.kept), [young]);
    assert.deepEqual(dryJson.failed, []);
    assert.deepEqual((await csrNamesContaining(uniqueName('gc-'))).sort(), [oldLabelled, oldUnlabelled, young].sort());

    // WHEN gc runs for real
    const real = await gc();

    // THEN the old labelled one is gone, the others are there
    const json = JSON.parse(real.stdout) as GcJson;
    assert.deepEqual(mine(json.deleted), [oldLabelled]);
    assert.deepEqual(mine(json.kept), [young]);
    assert.deepEqual((await csrNamesContaining(uniqueName('gc-'))).sort(), [oldUnlabelled, young].sort());
    // (labelled leftovers of other test files may be on the cluster: this identity may not delete them, so gc
    // reports them as failed and exits 1; none of them is one of this test's)
    assert.deepEqual(mine(json.failed.map((f) => f.name)), []);
    assert.equal(real.code, json.failed.length > 0 ? EXIT_CODES.failure : EXIT_CODES.ok, show(real));
    for (const failure of json.failed) assert.match(failure.error, /HTTP 403/);

    // cleanup of this test's objects (afterEach checks that none is left)
    for (const name of [oldUnlabelled, young]) await api.deleteCertificateSigningRequest({ name });
  });
});
