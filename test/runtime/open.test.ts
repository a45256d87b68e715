import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { CertificatesV1Api } from '@kubernetes/client-node';
import { createCertificateRequest, generateKey, KEY_TYPES, type KeyType } from '../../src/pki/index.js';
import {
  CsrRuntimeError,
  decide,
  openCertificateSigningRequest,
  type CertificateSigningRequestConfig,
  type OpenProgress,
} from '../../src/runtime/index.js';
import { toValidatedCsr } from '../../src/rules/index.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import {
  clientRequest,
  csrNamesWithPrefix,
  grantClusterRole,
  uniqueSuffix,
  userKubeconfig,
} from '../support/identities.js';

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
const prefix = `rt-${uniqueSuffix()}-`;
const admin = sharedKubeConfig();
const kubeconfig = sharedKubeconfigPath();
const caBundlePem = readFileSync(process.env.CDKTF_CSR_TEST_CA_FILE ?? '', 'utf8');
const work = mkdtempSync(join(tmpdir(), 'runtime-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function clientConfig(request: string, extra: Partial<CertificateSigningRequestConfig> = {}) {
  return {
    metadata: { generateName: prefix },
    spec: { request, signerName: CLIENT_SIGNER, usages: ['client auth'] },
    ...extra,
  } satisfies CertificateSigningRequestConfig;
}

/** Resolves with the object's name as soon as open reports that it created it. */
function createdName(): { onProgress: (p: OpenProgress) => void; name: Promise<string> } {
  let resolveName: (name: string) => void = () => undefined;
  const name = new Promise<string>((resolve) => (resolveName = resolve));
  return { onProgress: (p) => p.step === 'created' && p.csrName && resolveName(p.csrName), name };
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

afterEach(async () => {
  // THEN, after every test: no CertificateSigningRequest it created remains
  assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
});

describe('openCertificateSigningRequest on a real cluster', () => {
  // Which key types the in-tree kube-apiserver-client signer issues for: all that Go's crypto/x509 parses.
  const keyTypes: readonly KeyType[] = KEY_TYPES;
  for (const keyType of keyTypes) {
    it(`issues a kube-apiserver-client certificate for a ${keyType} key`, async () => {
      // GIVEN a request for CN=alice-<type>, O=devs
      const key = await generateKey(keyType);
      const request = createCertificateRequest({
        privateKey: key.privateKey,
        commonName: `alice-${keyType}`,
        organizations: ['devs', 'ops'],
      });
      const steps: string[] = [];

      // WHEN it is opened with auto-approval
      const opened = await openCertificateSigningRequest(clientConfig(request), {
        kubeconfig,
        caBundlePem,
        onProgress: (p) => steps.push(p.step),
      });

      // THEN the leaf is for the subject, verifies against the cluster CA, and the object is gone
      assert.equal(opened.chain.leaf.subject.commonName, `alice-${keyType}`);
      assert.deepEqual([...opened.chain.leaf.subject.organizations].sort(), ['devs', 'ops']);
      assert.deepEqual(opened.chain.leaf.extendedKeyUsages, ['client auth']);
      assert.match(opened.certificate, /^-----BEGIN CERTIFICATE-----/);
      assert.ok(opened.csrName.startsWith(prefix));
      assert.equal(opened.deleted, true);
      assert.deepEqual(steps, ['validated', 'created', 'approved', 'signed', 'verified', 'deleted']);
      assert.ok(opened.renewAt > opened.notBefore && opened.renewAt < opened.notAfter);
      assert.equal(opened.renew(new Date()).valid, true);
      assert.equal(opened.renew(new Date(opened.notAfter.getTime() + 1)).valid, false);
      await opened.close(); // a no-op once deleted
    });
  }

  it('opens a spec validated beforehand by the rules, without parsing its request again', async () => {
    // GIVEN two requests validated once by the rules
    const first = toValidatedCsr(clientConfig((await clientRequest('validated-once')).request));
    const second = toValidatedCsr(clientConfig((await clientRequest('validated-other')).request));

    // WHEN the first is opened as validated (with autoApprove added by spreading it)
    const opened = await openCertificateSigningRequest({ ...first, autoApprove: true }, { kubeconfig });

    // THEN it is issued
    assert.equal(opened.chain.leaf.subject.commonName, 'validated-once');

    // WHEN a validated value whose parsed request is the second one's is opened
    const mismatched = { ...first, parsedRequest: second.parsedRequest };
    // THEN the leaf is checked against the parsed request it carries, not a new parse of spec.request
    const err = await rejectsWithCode(openCertificateSigningRequest(mismatched, { kubeconfig }), 'bad-certificate');
    assert.match(err.message, /not for the request's public key/);
  });

  it('honours expirationSeconds, capped by the signer maximum', async () => {
    const { request } = await clientRequest('expiry-user');
    const withExpiration = (expirationSeconds: number) =>
      clientConfig(request, { spec: { ...clientConfig(request).spec, expirationSeconds } });

    // (times are read from the certificate, not from this machine's clock: kube-controller-manager stamps notBefore
    // 5 minutes before the moment it signs, and notAfter that moment + the duration, minus the 5 minutes again for
    // durations of 8 h and more; pkg/controller/certificates/authority/policies.go)
    const backdate = 5 * 60;
    const lifetimeOf = (opened: { notBefore: Date; notAfter: Date }) =>
      (opened.notAfter.getTime() - opened.notBefore.getTime()) / 1000;

    // WHEN 10 minutes are asked for, THEN notAfter is 10 minutes after the signing
    const short = await openCertificateSigningRequest(withExpiration(600), { kubeconfig });
    assert.equal(lifetimeOf(short), backdate + 600);

    // WHEN 7 days are asked for, THEN the signer's maximum (24 h on the test cluster) wins
    const long = await openCertificateSigningRequest(withExpiration(7 * 24 * 3600), { kubeconfig });
    assert.equal(lifetimeOf(long), 24 * 3600);
  });

  it('waits for an approval given by another client when autoApprove is false', async () => {
    // GIVEN a request that the runtime must not approve itself
    const { request } = await clientRequest('manual-user');
    const created = createdName();
    const opening = openCertificateSigningRequest(clientConfig(request, { autoApprove: false }), {
      kubeconfig,
      onProgress: created.onProgress,
    });
    // WHEN another client approves it while the runtime waits
    const name = await created.name;
    const api = admin.makeApiClient(CertificatesV1Api);
    await decide(admin, api, await api.readCertificateSigningRequest({ name }), {
      decision: 'Approved',
      reason: 'TestApprove',
      message: 'approved by a second client',
    });
    // THEN the certificate arrives
    const opened = await opening;
    assert.equal(opened.chain.leaf.subject.commonName, 'manual-user');
  });

  it('fails with the denied error, at once, when another client denies the request', async () => {
    // GIVEN a pending request with a long timeout
    const { request } = await clientRequest('denied-user');
    const created = createdName();
    const opening = openCertificateSigningRequest(clientConfig(request, { autoApprove: false }), {
      kubeconfig,
      timeoutMs: 120_000,
      onProgress: created.onProgress,
    });
    // WHEN a second client denies it
    const name = await created.name;
    const api = admin.makeApiClient(CertificatesV1Api);
    const started = Date.now();
    await decide(admin, api, await api.readCertificateSigningRequest({ name }), {
      decision: 'Denied',
      reason: 'NotOnTheList',
      message: 'denied-user is not on the list',
    });
    // THEN open fails with the denial's reason and message, long before its timeout
    const error = await rejectsWithCode(opening, 'denied');
    assert.match(error.message, /NotOnTheList: denied-user is not on the list/);
    assert.equal(error.condition?.reason, 'NotOnTheList');
    assert.equal(error.csrName, name);
    assert.ok(Date.now() - started < 60_000, 'the denial ended the wait, not the timeout');
  });

  // A signer nobody serves never signs, so the outcome is a timeout whatever the timing; and since the wait hears of
  // the runtime's own approval, the message says it was approved even when the timeout passes before the approval
  // has answered (1 ms).
  for (const timeoutMs of [1500, 1]) {
    it(`fails with a timeout error naming the signer when nobody signs (timeout ${timeoutMs} ms)`, async () => {
      // GIVEN an approved request for a custom signer no controller serves
      const { request } = await clientRequest('nobody-signs');
      const config = clientConfig(request, {
        spec: { request, signerName: 'example.com/nobody-serves-this', usages: ['client auth'] },
      });
      const steps: string[] = [];
      // WHEN the wait times out
      const error = await rejectsWithCode(
        openCertificateSigningRequest(config, { kubeconfig, timeoutMs, onProgress: (p) => steps.push(p.step) }),
        'timeout',
      );
      // THEN the message says what was missing: the signature, by that signer
      assert.match(error.message, new RegExp(`timed out after ${timeoutMs} ms`));
      assert.match(error.message, /approved but the signer example\.com\/nobody-serves-this never issued/);
      assert.equal(error.signerName, 'example.com/nobody-serves-this');
      assert.deepEqual(steps, ['validated', 'created', 'approved', 'deleted']);
    });
  }

  it('fails with a timeout error saying approval is missing when nobody approves', async () => {
    const { request } = await clientRequest('nobody-approves');
    const error = await rejectsWithCode(
      openCertificateSigningRequest(clientConfig(request, { autoApprove: false }), { kubeconfig, timeoutMs: 1000 }),
      'timeout',
    );
    assert.match(error.message, /never approved/);
  });

  it('deletes the object and fails with the aborted error when aborted while waiting', async () => {
    // GIVEN a request waiting for an approval that never comes
    const { request } = await clientRequest('aborted-user');
    const controller = new AbortController();
    const created = createdName();
    const opening = openCertificateSigningRequest(clientConfig(request, { autoApprove: false }), {
      kubeconfig,
      signal: controller.signal,
      onProgress: created.onProgress,
    });
    // WHEN the caller aborts once the object exists
    const name = await created.name;
    assert.deepEqual(await csrNamesWithPrefix(admin, name), [name]);
    controller.abort();
    // THEN open rejects with `aborted` (and afterEach proves the object is gone)
    await rejectsWithCode(opening, 'aborted');
  });

  it('fails when the name is taken, leaving the existing object untouched', async () => {
    // GIVEN an object of the same name made by someone else
    const { request } = await clientRequest('taken-user');
    const name = `${prefix}taken`;
    const api = admin.makeApiClient(CertificatesV1Api);
    const existing = await api.createCertificateSigningRequest({
      body: {
        metadata: { name },
        spec: { request: Buffer.from(request).toString('base64'), signerName: CLIENT_SIGNER, usages: ['client auth'] },
      },
    });
    try {
      // WHEN open is asked for that exact name
      const error = await rejectsWithCode(
        openCertificateSigningRequest(clientConfig(request, { metadata: { name } }), { kubeconfig }),
        'already-exists',
      );
      // THEN the error says so and the existing object is the same, unapproved
      assert.match(error.message, /already exists; it was left untouched/);
      const after = await api.readCertificateSigningRequest({ name });
      assert.equal(after.metadata?.uid, existing.metadata?.uid);
      assert.equal(after.status?.conditions, undefined);
    } finally {
      await api.deleteCertificateSigningRequest({ name });
    }
  });

  it('fails before touching the cluster when the spec is invalid', async () => {
    const { request } = await clientRequest('bad-expiry');
    const config = clientConfig(request, { spec: { ...clientConfig(request).spec, expirationSeconds: 60 } });
    const error = await rejectsWithCode(openCertificateSigningRequest(config, { kubeconfig }), 'invalid-spec');
    assert.match(error.message, /spec\.expirationSeconds/);
    assert.match(error.message, /60/);
  });

  it('fails with the invalid-object error carrying the API field errors', async () => {
    // GIVEN a label the API server rejects (the spec rules do not look at labels)
    const { request } = await clientRequest('bad-label');
    const config = clientConfig(request, { metadata: { generateName: prefix, labels: { 'not a valid key!': 'x' } } });
    const error = await rejectsWithCode(openCertificateSigningRequest(config, { kubeconfig }), 'invalid-object');
    assert.match(error.message, /metadata\.labels/);
    assert.doesNotMatch(error.message, /Headers|Body:/, 'no raw HTTP dump in the message');
  });

  it('fails with the unreachable error naming the server when nothing listens', async () => {
    const { request } = await clientRequest('unreachable-user');
    const cluster = admin.getCurrentCluster();
    assert.ok(cluster);
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ ...cluster, server: 'https://127.0.0.1:9' }],
      users: admin.getUsers(),
      contexts: [{ name: 'dead', cluster: cluster.name, user: admin.getCurrentUser()?.name ?? '' }],
      currentContext: 'dead',
    });
    const error = await rejectsWithCode(
      openCertificateSigningRequest(clientConfig(request), { kubeConfig: kc }),
      'unreachable',
    );
    assert.match(error.message, /https:\/\/127\.0\.0\.1:9 is unreachable/);
  });

  it('names the missing RBAC rule when the identity may create but not approve', async () => {
    // GIVEN a user who may create, read, watch and delete CSRs, but not approve
    const user = `${prefix}requester`;
    const revoke = await grantClusterRole(admin, user, [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests'],
        verbs: ['create', 'get', 'list', 'watch', 'delete'],
      },
    ]);
    try {
      const userConfig = await userKubeconfig(kubeconfig, user, work);
      const { request } = await clientRequest('wants-approval');
      // WHEN it opens with autoApprove
      const error = await rejectsWithCode(
        openCertificateSigningRequest(clientConfig(request), { kubeconfig: userConfig }),
        'forbidden',
      );
      // THEN the message names the verb, resource and signer it lacks
      assert.match(error.message, /verb "approve" on resource "signers"/);
      assert.match(error.message, /kubernetes\.io\/kube-apiserver-client/);
      assert.equal(error.cleanupError, undefined, 'and the object was deleted');
    } finally {
      await revoke();
    }
  });

  it('reports a failed delete instead of ignoring it, and close() retries it', async () => {
    // GIVEN a user who may create and approve but not delete
    const user = `${prefix}nodelete`;
    const revoke = await grantClusterRole(admin, user, [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests'],
        verbs: ['create', 'get', 'list', 'watch'],
      },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['signers'],
        verbs: ['approve'],
        resourceNames: [CLIENT_SIGNER],
      },
    ]);
    try {
      const userConfig = await userKubeconfig(kubeconfig, user, work);
      const { request } = await clientRequest('undeletable');
      // WHEN it opens
      const opened = await openCertificateSigningRequest(clientConfig(request), { kubeconfig: userConfig });
      // THEN it has the certificate, but says the object is still there, and why
      assert.match(opened.certificate, /BEGIN CERTIFICATE/);
      assert.equal(opened.deleted, false);
      assert.equal(opened.cleanupError?.code, 'cleanup-failed');
      assert.match(opened.cleanupError?.message ?? '', /kubectl delete csr/);
      await assert.rejects(
        opened.close(),
        (e: unknown) => CsrRuntimeError.isCsrRuntimeError(e) && e.code === 'cleanup-failed',
      );
      // WHEN the permission is granted, close() deletes it
      const revokeDelete = await grantClusterRole(
        admin,
        user,
        [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['delete'] }],
        `test-${user}-delete`,
      );
      try {
        // (grantClusterRole resolves once the authorizer applies the grant)
        await opened.close();
        assert.equal(opened.deleted, true);
        assert.equal(opened.cleanupError, undefined);
      } finally {
        await revokeDelete();
      }
    } finally {
      await revoke();
    }
  });

  it('issues 200 certificates opened concurrently, with no failure and no object left', async () => {
    // GIVEN 200 requests
    const count = 200;
    const requests = await Promise.all(Array.from({ length: count }, (_, i) => clientRequest(`many-${i}`)));
    // WHEN all are opened at once (with the default timeout of 5 minutes: this test is about outcomes, not speed)
    const outcomes = await Promise.allSettled(
      requests.map(({ request }) => openCertificateSigningRequest(clientConfig(request), { kubeconfig, caBundlePem })),
    );
    // THEN none failed, each got its own certificate, and every object is gone (afterEach lists the cluster)
    const failures = outcomes.flatMap((o, i) =>
      o.status === 'rejected' ? [`many-${i}: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`] : [],
    );
    assert.deepEqual(failures, []);
    const opened = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    assert.equal(new Set(opened.map((o) => o.chain.leaf.fingerprintSha256)).size, count);
    assert.deepEqual(
      opened.map((o) => o.chain.leaf.subject.commonName),
      requests.map((_, i) => `many-${i}`),
    );
    assert.ok(opened.every((o) => o.deleted));
  });
});
