import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseCertificateChain, verifyChain } from '../../src/pki/index.js';
import {
  CertificateRequestClient,
  CsrRuntimeError,
  decideCertificateRequest,
  openCertificateRequest,
  toValidatedCertManagerRequest,
  type CertificateRequestConfig,
  type CertificateRequestProgress,
} from '../../src/runtime/index.js';
import { sharedCertManager, sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { certificateRequestNames, createCaIssuer, freshNamespace } from '../support/cert-manager.js';
import { clientRequest, grantClusterRole, uniqueSuffix, userKubeconfig } from '../support/identities.js';
import { opensslClientRequest } from '../support/openssl-request.js';

const admin = sharedKubeConfig();
const kubeconfig = sharedKubeconfigPath();
const certManager = sharedCertManager();
const prefix = `cm-${uniqueSuffix()}-`;
const work = mkdtempSync(join(tmpdir(), 'cert-manager-runtime-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Every namespace a test created a CertificateRequest in, for the check after each test. */
const namespacesUsed = new Set<string>([certManager.manualApprovalNamespace]);
let namespace = '';

before(async () => {
  namespace = await freshNamespace(admin, 'cm-runtime');
  namespacesUsed.add(namespace);
});

afterEach(async () => {
  // THEN, after every test: no CertificateRequest it created remains
  assert.deepEqual(await certificateRequestNames(admin, namespacesUsed, prefix), []);
});

function config(
  request: string,
  overrides: { namespace?: string; spec?: Partial<CertificateRequestConfig['spec']>; autoApprove?: boolean } = {},
): CertificateRequestConfig {
  return {
    metadata: { generateName: prefix, namespace: overrides.namespace ?? namespace },
    spec: {
      request,
      issuerRef: { name: certManager.clusterIssuer, kind: 'ClusterIssuer' },
      ...overrides.spec,
    },
    ...(overrides.autoApprove === undefined ? {} : { autoApprove: overrides.autoApprove }),
  };
}

/** Resolves with the object's name as soon as open reports that it created it; records every step. */
function recorder(): {
  onProgress: (p: CertificateRequestProgress) => void;
  name: Promise<string>;
  steps: string[];
  approvedBy: () => string | undefined;
} {
  let resolveName: (name: string) => void = () => undefined;
  const name = new Promise<string>((resolve) => (resolveName = resolve));
  const steps: string[] = [];
  let approvedBy: string | undefined;
  return {
    onProgress: (p) => {
      steps.push(p.step);
      if (p.step === 'approved') approvedBy = p.approvedBy;
      if (p.step === 'created' && p.name) resolveName(p.name);
    },
    name,
    steps,
    approvedBy: () => approvedBy,
  };
}

/**
 * As a second client, decides the request that `progress` reports created in the namespace cert-manager's approver
 * leaves to people.
 */
async function decideAsAnotherClient(
  progress: ReturnType<typeof recorder>,
  decision: 'Approved' | 'Denied',
  reason: string,
  message: string,
): Promise<void> {
  const name = await progress.name;
  const client = new CertificateRequestClient(admin, certManager.manualApprovalNamespace);
  await decideCertificateRequest(admin, client, await client.read(name), { decision, reason, message });
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<CsrRuntimeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(CsrRuntimeError.isCsrRuntimeError(error), `expected a CsrRuntimeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a ${code} error, but it resolved`);
}

function fingerprint(pem: string | undefined): string {
  return parseCertificateChain(pem ?? '').leaf.fingerprintSha256;
}

describe('openCertificateRequest against cert-manager', () => {
  it('issues through the CA ClusterIssuer, approved by cert-manager, with ca returned and verified', async () => {
    // GIVEN a request for app.example.com and cert-manager's approver running
    const { csrPem } = opensslClientRequest(work, 'app-user', ['apps']);
    const progress = recorder();

    // WHEN it is opened without autoApprove
    const opened = await openCertificateRequest(config(csrPem), { kubeconfig, onProgress: progress.onProgress });

    // THEN cert-manager's approver approved it, the CA issuer signed it, status.ca is the ClusterIssuer's CA
    assert.deepEqual(progress.steps, ['validated', 'created', 'approved', 'issued', 'verified', 'deleted']);
    assert.equal(progress.approvedBy(), 'cert-manager.io');
    assert.equal(opened.chain.leaf.subject.commonName, 'app-user');
    assert.equal(fingerprint(opened.caPem), fingerprint(certManager.caPem));
    verifyChain(opened.chain, certManager.caPem);
    assert.equal(opened.certificate.startsWith(opened.leafPem), true);
    assert.equal(opened.namespace, namespace);
    assert.ok(opened.name.startsWith(prefix));
    assert.equal(opened.deleted, true);
    assert.ok(opened.renewAt > opened.notBefore && opened.renewAt < opened.notAfter);
    await opened.close(); // a no-op once deleted
  });

  it('issues through a namespaced CA Issuer with its own CA returned and verified', async () => {
    // GIVEN a CA Issuer in a fresh namespace
    const own = await freshNamespace(admin, 'cm-issuer');
    namespacesUsed.add(own);
    const caPem = await createCaIssuer(admin, own, 'team-ca');
    const { request } = await clientRequest('team-user');

    // WHEN a request for it is opened in that namespace, with kind left to its default (Issuer)
    const opened = await openCertificateRequest(
      { metadata: { generateName: prefix, namespace: own }, spec: { request, issuerRef: { name: 'team-ca' } } },
      { kubeconfig, caBundlePem: caPem },
    );

    // THEN the certificate chains to that Issuer's CA, which is also status.ca
    assert.equal(fingerprint(opened.caPem), fingerprint(caPem));
    assert.notEqual(fingerprint(opened.caPem), fingerprint(certManager.caPem));
    assert.equal(opened.chain.leaf.subject.commonName, 'team-user');
  });

  it('opens a request validated beforehand by the rules, without parsing its CSR again', async () => {
    // GIVEN two requests validated once by the rules
    const first = toValidatedCertManagerRequest(config((await clientRequest('cm-validated-once')).request));
    const second = toValidatedCertManagerRequest(config((await clientRequest('cm-validated-other')).request));

    // WHEN the first is opened as validated (with autoApprove added by spreading it)
    const opened = await openCertificateRequest({ ...first, autoApprove: false }, { kubeconfig });

    // THEN it is issued
    assert.equal(opened.chain.leaf.subject.commonName, 'cm-validated-once');

    // WHEN a validated value whose parsed request is the second one's is opened
    const mismatched = { ...first, parsedRequest: second.parsedRequest };
    // THEN the leaf is checked against the parsed request it carries, not a new parse of spec.request
    const err = await rejectsWithCode(openCertificateRequest(mismatched, { kubeconfig }), 'bad-certificate');
    assert.match(err.message, /not for the request's public key/);
  });

  it('honours duration and isCA', async () => {
    // WHEN a CA certificate valid for 2h is asked for
    const { request } = await clientRequest('sub-ca');
    const opened = await openCertificateRequest(config(request, { spec: { duration: '2h', isCA: true } }), {
      kubeconfig,
    });
    // THEN it is a CA, may sign certificates, and lives exactly 2 hours
    assert.equal(opened.chain.leaf.isCa, true);
    assert.ok(opened.chain.leaf.keyUsages.includes('cert sign'), opened.chain.leaf.keyUsages.join());
    assert.equal(opened.notAfter.getTime() - opened.notBefore.getTime(), 2 * 3600_000);

    // WHEN a leaf valid for 1h30m with server auth is asked for
    const leafRequest = await clientRequest('leaf');
    const leaf = await openCertificateRequest(
      config(leafRequest.request, {
        spec: { duration: '1h30m', usages: ['digital signature', 'key encipherment', 'server auth'] },
      }),
      { kubeconfig },
    );
    // THEN it is not a CA, has exactly those usages and lives 90 minutes
    assert.equal(leaf.chain.leaf.isCa, false);
    assert.deepEqual(leaf.chain.leaf.extendedKeyUsages, ['server auth']);
    assert.deepEqual(leaf.chain.leaf.keyUsages, ['digital signature', 'key encipherment']);
    assert.equal(leaf.notAfter.getTime() - leaf.notBefore.getTime(), 90 * 60_000);
  });

  it('waits for an approval given by another client when nothing approves (manual approval)', async () => {
    // GIVEN a request in the namespace cert-manager's approver leaves to people
    const { request } = await clientRequest('manual-user');
    const progress = recorder();
    const opening = openCertificateRequest(config(request, { namespace: certManager.manualApprovalNamespace }), {
      kubeconfig,
      onProgress: progress.onProgress,
    });
    // WHEN another client approves it through the status while the runtime waits
    await decideAsAnotherClient(progress, 'Approved', 'TestApprove', 'approved by a second client');
    // THEN the certificate arrives, and the approval seen is that client's
    const opened = await opening;
    assert.equal(opened.chain.leaf.subject.commonName, 'manual-user');
    assert.equal(progress.approvedBy(), 'TestApprove');
  });

  it('approves by itself with autoApprove where nothing else approves', async () => {
    const { request } = await clientRequest('auto-user');
    const progress = recorder();
    const opened = await openCertificateRequest(
      config(request, { namespace: certManager.manualApprovalNamespace, autoApprove: true }),
      { kubeconfig, onProgress: progress.onProgress },
    );
    assert.equal(progress.approvedBy(), 'KubeCsrAutoApprove');
    assert.equal(opened.chain.leaf.subject.commonName, 'auto-user');
  });

  it('fails with the denied error, at once, when another client denies the request', async () => {
    // GIVEN a pending request with a long timeout
    const { request } = await clientRequest('denied-user');
    const progress = recorder();
    const opening = openCertificateRequest(config(request, { namespace: certManager.manualApprovalNamespace }), {
      kubeconfig,
      timeoutMs: 600_000,
      onProgress: progress.onProgress,
    });
    // WHEN a second client denies it
    await decideAsAnotherClient(progress, 'Denied', 'NotOnTheList', 'denied-user is not on the list');
    // THEN open fails with the denial's reason and message (not with a timeout)
    const error = await rejectsWithCode(opening, 'denied');
    assert.match(error.message, /was denied \(NotOnTheList: denied-user is not on the list\)/);
    assert.equal(error.condition?.reason, 'NotOnTheList');
    assert.equal(error.csrName, await progress.name);
    assert.equal(error.namespace, certManager.manualApprovalNamespace);
  });

  it('fails with the failed error and the issuer message when the issuer fails the request', async () => {
    // GIVEN the SelfSigned ClusterIssuer, which needs an annotation naming the private key's Secret
    const { request } = await clientRequest('selfsigned-user');
    // WHEN a request without it is opened
    const error = await rejectsWithCode(
      openCertificateRequest(
        config(request, { spec: { issuerRef: { name: certManager.selfSignedClusterIssuer, kind: 'ClusterIssuer' } } }),
        { kubeconfig, timeoutMs: 600_000 },
      ),
      'failed',
    );
    // THEN the wait ends with Ready=False/Failed and cert-manager's own message
    assert.equal(error.condition?.reason, 'Failed');
    assert.match(error.message, /cert-manager\.io\/private-key-secret-name" missing/);
    assert.match(error.message, new RegExp(`ClusterIssuer/${certManager.selfSignedClusterIssuer}`));
  });

  it('times out with a message naming the issuer when the issuer does not exist', async () => {
    // GIVEN a ClusterIssuer that does not exist; the runtime approves, so only the issuer is missing
    const missing = `kube-csr-missing-${uniqueSuffix()}`;
    const { request } = await clientRequest('orphan-user');
    const error = await rejectsWithCode(
      openCertificateRequest(
        config(request, {
          namespace: certManager.manualApprovalNamespace,
          autoApprove: true,
          spec: { issuerRef: { name: missing, kind: 'ClusterIssuer' } },
        }),
        { kubeconfig, timeoutMs: 10_000 },
      ),
      'timeout',
    );
    // THEN the message names the issuer, says what cert-manager said last, and how to check it
    assert.match(error.message, new RegExp(`approved but ClusterIssuer/${missing} never issued a certificate`));
    assert.match(error.message, new RegExp(`Referenced "ClusterIssuer" not found.*${missing}`));
    assert.match(error.remedy ?? '', /kubectl get clusterissuer/);
  });

  it('deletes the object and fails with the aborted error when aborted while waiting', async () => {
    const { request } = await clientRequest('aborted-user');
    const controller = new AbortController();
    const progress = recorder();
    const opening = openCertificateRequest(config(request, { namespace: certManager.manualApprovalNamespace }), {
      kubeconfig,
      signal: controller.signal,
      onProgress: progress.onProgress,
    });
    const name = await progress.name;
    assert.deepEqual(await certificateRequestNames(admin, [certManager.manualApprovalNamespace], name), [
      `${certManager.manualApprovalNamespace}/${name}`,
    ]);
    controller.abort();
    await rejectsWithCode(opening, 'aborted');
    assert.equal(progress.steps.at(-1), 'deleted');
  });

  it('fails before touching the cluster when the spec breaks a rule', async () => {
    const { request } = await clientRequest('short-lived');
    const progress = recorder();
    const error = await rejectsWithCode(
      openCertificateRequest(config(request, { spec: { duration: '10m' } }), {
        kubeconfig,
        onProgress: progress.onProgress,
      }),
      'invalid-spec',
    );
    assert.match(error.message, /spec\.duration: 10m0s is shorter than cert-manager's minimum/);
    assert.deepEqual(progress.steps, []);
  });

  it("fails before creating anything when a CSR's basicConstraints contradicts isCA", async () => {
    const { csrPem } = opensslClientRequest(work, 'wants-ca', [], ['basicConstraints=critical,CA:TRUE']);
    const error = await rejectsWithCode(openCertificateRequest(config(csrPem), { kubeconfig }), 'invalid-spec');
    assert.match(error.message, /spec\.isCA \(terraform: spec\.is_ca\): the CSR's basicConstraints asks for CA:TRUE/);
  });

  it('names the missing RBAC rule, and creates nothing, when the identity may not approve for the issuer', async () => {
    // GIVEN a user who may create, read, watch and delete CertificateRequests but not approve
    const user = `${prefix}requester`;
    const revoke = await grantClusterRole(admin, user, [
      {
        apiGroups: ['cert-manager.io'],
        resources: ['certificaterequests'],
        verbs: ['create', 'get', 'list', 'watch', 'delete'],
      },
    ]);
    try {
      const userConfig = await userKubeconfig(kubeconfig, user, work);
      const { request } = await clientRequest('wants-approval');
      const progress = recorder();
      // WHEN it opens with autoApprove
      const error = await rejectsWithCode(
        openCertificateRequest(config(request, { autoApprove: true }), {
          kubeconfig: userConfig,
          onProgress: progress.onProgress,
        }),
        'forbidden',
      );
      // THEN the message names the verb, resource and signer name it lacks, and no object was made
      assert.match(error.message, /verb "approve" on resource "signers" of API group cert-manager\.io/);
      assert.match(error.message, new RegExp(`"clusterissuers\\.cert-manager\\.io/${certManager.clusterIssuer}"`));
      assert.deepEqual(progress.steps, ['validated']);
    } finally {
      await revoke();
    }
  });

  it('issues 20 certificates opened concurrently', async () => {
    const requests = await Promise.all(Array.from({ length: 20 }, (_, i) => clientRequest(`many-${i}`)));
    const opened = await Promise.all(
      requests.map(({ request }) => openCertificateRequest(config(request), { kubeconfig, timeoutMs: 120_000 })),
    );
    assert.equal(new Set(opened.map((o) => o.chain.leaf.fingerprintSha256)).size, 20);
    assert.ok(opened.every((o) => o.deleted));
  });
});
