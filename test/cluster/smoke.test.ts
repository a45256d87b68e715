import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuthenticationV1Api, CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { sharedKubeConfig } from '../support/cluster-env.js';
import { opensslClientRequest } from '../support/openssl-request.js';
import { isAlive as isProcessAlive, LocalCluster } from '../../dev/cluster/local-cluster.js';

const work = mkdtempSync(join(tmpdir(), 'smoke-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Re-reads the object until kube-controller-manager has signed it; gives up after a minute, far beyond its pace. */
async function waitForCertificate(api: CertificatesV1Api, name: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const csr = await api.readCertificateSigningRequest({ name });
    if (csr.status?.certificate) return Buffer.from(csr.status.certificate, 'base64').toString();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no certificate was issued for ${name} within 60 s`);
}

describe('the local control plane', () => {
  it('issues a kube-apiserver-client certificate that authenticates as the CSR subject', async () => {
    // GIVEN an admin client and a fresh key + request for CN=smoke-user, O=smoke-group-a, O=smoke-group-b
    const admin = sharedKubeConfig();
    const certificates = admin.makeApiClient(CertificatesV1Api);
    const { csrPem, keyPem } = opensslClientRequest(work, 'smoke-user', ['smoke-group-a', 'smoke-group-b']);
    const name = `smoke-${Date.now()}`;

    // WHEN the request is submitted, approved, and signed by kube-controller-manager
    await certificates.createCertificateSigningRequest({
      body: {
        metadata: { name },
        spec: {
          request: Buffer.from(csrPem).toString('base64'),
          signerName: 'kubernetes.io/kube-apiserver-client',
          usages: ['client auth'],
          expirationSeconds: 600,
        },
      },
    });
    try {
      const pending = await certificates.readCertificateSigningRequest({ name });
      pending.status = {
        conditions: [{ type: 'Approved', status: 'True', reason: 'SmokeTest', message: 'approved by the smoke test' }],
      };
      await certificates.replaceCertificateSigningRequestApproval({ name, body: pending });
      const certificatePem = await waitForCertificate(certificates, name);

      // THEN a client using that certificate is the CSR's CN, with its O values among the groups
      const cluster = admin.getCurrentCluster();
      assert.ok(cluster);
      const user = new KubeConfig();
      user.loadFromOptions({
        clusters: [cluster],
        users: [
          {
            name: 'smoke-user',
            certData: Buffer.from(certificatePem).toString('base64'),
            keyData: Buffer.from(keyPem).toString('base64'),
          },
        ],
        contexts: [{ name: 'smoke', cluster: cluster.name, user: 'smoke-user' }],
        currentContext: 'smoke',
      });
      const review = await user.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
      assert.equal(review.status?.userInfo?.username, 'smoke-user');
      assert.ok(review.status?.userInfo?.groups?.includes('smoke-group-a'));
      assert.ok(review.status?.userInfo?.groups?.includes('smoke-group-b'));
    } finally {
      await certificates.deleteCertificateSigningRequest({ name });
    }
  });

  it('leaves no process behind after stop, and survives an apiserver restart', async () => {
    // GIVEN a second, private cluster
    const cluster = await LocalCluster.start({ name: 'smoke-lifecycle', log: () => undefined });
    const pids = Object.values(cluster.pids());
    let pidsAfterRestart: number[] = [];
    try {
      assert.equal(pids.length, 3);
      assert.ok(pids.every((pid) => pid > 0 && isAlive(pid)));

      // WHEN the apiserver alone restarts, THEN it answers again with the same credentials
      const before = cluster.pids()['kube-apiserver'];
      await cluster.restartApiServer();
      assert.notEqual(cluster.pids()['kube-apiserver'], before);
      pidsAfterRestart = Object.values(cluster.pids());
      const kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfig);
      const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
      assert.equal(review.status?.userInfo?.username, 'cluster-admin');
    } finally {
      // WHEN it is stopped
      await cluster.stop();
    }
    // THEN none of its processes remain, nor its folder
    assert.equal(pidsAfterRestart.length, 3);
    for (const pid of pids.concat(pidsAfterRestart)) assert.equal(isAlive(pid), false, `pid ${pid} still runs`);
    assert.throws(() => readFileSync(cluster.kubeconfig), /ENOENT/);
  });
});

function isAlive(pid: number): boolean {
  assert.ok(pid > 0, 'a real pid');
  return isProcessAlive(pid);
}
