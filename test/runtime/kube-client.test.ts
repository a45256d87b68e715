import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError, decide, loadKubeConfig, openCertificateSigningRequest } from '../../src/runtime/index.js';
import { sharedKubeConfig } from '../support/cluster-env.js';
import { clientRequest, uniqueSuffix } from '../support/identities.js';

const emptyHome = mkdtempSync(join(tmpdir(), 'no-kubeconfig-'));
after(() => rmSync(emptyHome, { recursive: true, force: true }));

function isRuntimeError(code: string) {
  return (error: unknown) => CsrRuntimeError.isCsrRuntimeError(error) && error.code === code;
}

describe('loadKubeConfig and API errors', () => {
  it('fails when there is no kubeconfig anywhere, instead of falling back to localhost:8080', () => {
    // GIVEN no --kubeconfig, no KUBECONFIG, no ~/.kube/config and no in-cluster environment
    const saved = {
      HOME: process.env.HOME,
      KUBECONFIG: process.env.KUBECONFIG,
      SVC: process.env.KUBERNETES_SERVICE_HOST,
    };
    process.env.HOME = emptyHome;
    delete process.env.KUBECONFIG;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      // THEN loading says so, and how to fix it
      assert.throws(
        () => loadKubeConfig(),
        (error: unknown) => {
          assert.ok(isRuntimeError('kubeconfig')(error));
          assert.match((error as Error).message, /no kubeconfig found: pass --kubeconfig/);
          return true;
        },
      );
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.KUBECONFIG !== undefined) process.env.KUBECONFIG = saved.KUBECONFIG;
      if (saved.SVC !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved.SVC;
    }
  });

  it('keeps the cause of a failure that is neither an API answer nor a network error in the message', async () => {
    // GIVEN a kubeconfig whose server is plain http (client-node refuses that before sending anything)
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'plain', server: 'http://127.0.0.1:9', skipTLSVerify: false }],
      users: [{ name: 'nobody' }],
      contexts: [{ name: 'plain', cluster: 'plain', user: 'nobody' }],
      currentContext: 'plain',
    });
    const { request } = await clientRequest('plain-http');
    // WHEN open tries to create the object, THEN the message carries client-node's reason, not "HTTP ?"
    await assert.rejects(
      openCertificateSigningRequest(
        { spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } },
        { kubeConfig: kc },
      ),
      (error: unknown) => {
        assert.ok(CsrRuntimeError.isCsrRuntimeError(error));
        assert.doesNotMatch(error.message, /HTTP \?/);
        assert.match(error.message, /could not create the CertificateSigningRequest: .+/);
        return true;
      },
    );
  });

  it('fails with the conflict error when approving a denied request, and denying an approved one', async () => {
    const admin = sharedKubeConfig();
    const api = admin.makeApiClient(CertificatesV1Api);
    const { request } = await clientRequest('decided-user');
    for (const [first, second] of [
      ['Denied', 'Approved'],
      ['Approved', 'Denied'],
    ] as const) {
      // GIVEN a request already decided one way
      const name = `conflict-${uniqueSuffix()}`;
      const created = await api.createCertificateSigningRequest({
        body: {
          metadata: { name },
          spec: {
            request: Buffer.from(request).toString('base64'),
            signerName: 'example.com/nobody',
            usages: ['client auth'],
          },
        },
      });
      try {
        const decided = await decide(admin, api, created, { decision: first, reason: 'First', message: 'first' });
        // WHEN it is decided the other way, THEN `conflict`, whichever way round
        await assert.rejects(
          decide(admin, api, decided, { decision: second, reason: 'Second', message: 'second' }),
          isRuntimeError('conflict'),
        );
      } finally {
        await api.deleteCertificateSigningRequest({ name });
      }
    }
  });
});
