import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { decide, openCertificateSigningRequest, type OpenProgress } from '../../src/runtime/index.js';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { clientRequest, csrNamesWithPrefix } from '../support/identities.js';

// This file restarts kube-apiserver, so it runs on a cluster of its own.
let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ name: 'restart-test', log: () => undefined });
});
after(async () => {
  await cluster.stop();
});

describe('openCertificateSigningRequest across an API server restart', () => {
  it('still yields the certificate when kube-apiserver restarts while it waits', async () => {
    // GIVEN a request waiting for approval
    const { request } = await clientRequest('restart-user');
    let resolveName: (name: string) => void = () => undefined;
    const created = new Promise<string>((resolve) => (resolveName = resolve));
    const opening = openCertificateSigningRequest(
      {
        metadata: { generateName: 'restart-' },
        spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
        autoApprove: false,
      },
      {
        kubeconfig: cluster.kubeconfig,
        timeoutMs: 90_000,
        pollIntervalMs: 500,
        onProgress: (p: OpenProgress) => p.step === 'created' && p.csrName && resolveName(p.csrName),
      },
    );
    const name = await created;

    // WHEN kube-apiserver goes away for a second and comes back, and only then someone approves
    await cluster.restartApiServer(1000);
    const admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    const api = admin.makeApiClient(CertificatesV1Api);
    await decide(admin, api, await api.readCertificateSigningRequest({ name }), {
      decision: 'Approved',
      reason: 'TestApprove',
      message: 'approved after the restart',
    });

    // THEN the waiting open gets the certificate, and the object is gone
    const opened = await opening;
    assert.equal(opened.chain.leaf.subject.commonName, 'restart-user');
    assert.equal(opened.deleted, true);
    assert.deepEqual(await csrNamesWithPrefix(admin, 'restart-'), []);
  });
});
