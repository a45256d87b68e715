import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { createCertificateRequest, generateKey } from '../../src/pki/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/runtime/index.js';
import { EXIT_CODES } from '../../src/cli/main.js';
import { sharedKubeConfig } from '../support/cluster-env.js';
import { createLaterThan } from '../support/creation-time.js';
import { grantClusterRole } from '../support/identities.js';
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
  olderThanSeconds?: number;
  createdBefore?: string;
  deleted: string[];
  kept: string[];
  failed: { name: string; error: string }[];
}

describe('kube-csr gc', () => {
  const scratch = scratchDir();
  const api = adminCertificatesApi();
  const oldLabelled = uniqueName('gc-old');
  const oldUnlabelled = uniqueName('gc-old-unlabelled');
  const young = uniqueName('gc-young');
  const collector = uniqueName('gc-collector');
  let revoke: (() => Promise<void>) | undefined;

  after(async () => {
    scratch.dispose();
    for (const name of [oldLabelled, oldUnlabelled, young]) {
      await api.deleteCertificateSigningRequest({ name }).catch(() => undefined);
    }
    await revoke?.();
  });
  afterEach(() => assertNoCsrLeft());

  async function createCsr(name: string, labelled: boolean): Promise<V1CertificateSigningRequest> {
    const key = await generateKey('ecdsa-p256');
    const request = createCertificateRequest({ privateKey: key.privateKey, commonName: name });
    return api.createCertificateSigningRequest({
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
    revoke = await grantClusterRole(
      sharedKubeConfig(),
      collector,
      [
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['list'] },
        {
          apiGroups: ['certificates.k8s.io'],
          resources: ['certificatesigningrequests'],
          verbs: ['delete'],
          resourceNames: [oldLabelled, oldUnlabelled, young],
        },
      ],
      collector,
    );
    // AND two old objects, then a young one the API server stamped later: the young one's creationTimestamp is the
    // cut-off, so what counts as old comes from the objects, not from how long this test takes
    const old = [await createCsr(oldLabelled, true), await createCsr(oldUnlabelled, false)];
    const youngCsr = await createLaterThan(
      old,
      () => createCsr(young, true),
      () => api.deleteCertificateSigningRequest({ name: young }),
    );
    const cutoff = new Date(youngCsr.metadata?.creationTimestamp ?? '').toISOString();
    const gc = (...extra: string[]) =>
      runCli(['gc', '--json', '--kubeconfig', kubeconfig, ...extra], { env: { KUBECONFIG: undefined } });
    const mine = (names: string[]) => names.filter((n) => n.includes(uniqueName('gc-'))).sort();

    // WHEN gc runs with --dry-run and the young one's creation time as the cut-off
    const dry = await gc('--created-before', cutoff, '--dry-run');

    // THEN it names the old labelled one, keeps the young one, ignores the unlabelled one, deletes nothing
    assert.equal(dry.code, 0, show(dry));
    const dryJson = JSON.parse(dry.stdout) as GcJson;
    assert.equal(dryJson.dryRun, true);
    assert.equal(dryJson.createdBefore, cutoff);
    assert.equal(dryJson.olderThanSeconds, undefined);
    assert.deepEqual(mine(dryJson.deleted), [oldLabelled]);
    assert.deepEqual(mine(dryJson.kept), [young]);
    assert.deepEqual(dryJson.failed, []);
    assert.deepEqual((await csrNamesContaining(uniqueName('gc-'))).sort(), [oldLabelled, oldUnlabelled, young].sort());

    // WHEN --older-than is an hour (the objects are seconds old, however busy the machine), and then 0s
    const hour = await gc('--older-than', '1h', '--dry-run');
    const zero = await gc('--older-than', '0s', '--dry-run');

    // THEN an hour keeps both labelled ones, 0s names both; the unlabelled one is never listed
    assert.equal(hour.code, 0, show(hour));
    const hourJson = JSON.parse(hour.stdout) as GcJson;
    assert.equal(hourJson.olderThanSeconds, 3600);
    assert.deepEqual(mine(hourJson.deleted), []);
    assert.deepEqual(mine(hourJson.kept), [oldLabelled, young].sort());
    assert.equal(zero.code, 0, show(zero));
    const zeroJson = JSON.parse(zero.stdout) as GcJson;
    assert.equal(zeroJson.olderThanSeconds, 0);
    assert.deepEqual(mine(zeroJson.deleted), [oldLabelled, young].sort());
    assert.deepEqual(mine(zeroJson.kept), []);
    assert.deepEqual((await csrNamesContaining(uniqueName('gc-'))).sort(), [oldLabelled, oldUnlabelled, young].sort());

    // WHEN gc runs for real with the same cut-off
    const real = await gc('--created-before', cutoff);

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
