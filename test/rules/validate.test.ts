import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  CsrSpecError,
  KEY_USAGES,
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBE_APISERVER_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  LEGACY_UNKNOWN_SIGNER,
  assertValidCsr,
  validateCsr,
} from '../../src/rules/index.js';
import type { CsrMetadata, CsrRequestSpec, CsrSpecDraft, SpecViolation } from '../../src/rules/index.js';
import { CSR_SPEC_RULES } from '../../src/rules/validate.js';
import { opensslCsr, tamperCsr } from './support/openssl-csr.js';
import type { FixtureKey } from './support/openssl-csr.js';

/** Every 16-character run of the base64 body of a PEM block. */
function base64Runs(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const runs: string[] = [];
  for (let i = 0; i + 16 <= body.length; i += 8) runs.push(body.slice(i, i + 16));
  return runs;
}

interface Fixtures {
  client: string;
  clientNoCn: string;
  kubeletClient: string;
  kubeletClientWrongOrg: string;
  kubeletClientWrongCn: string;
  kubeletClientWithSan: string;
  kubeletServing: string;
  kubeletServingNoSan: string;
  kubeletServingEmailSan: string;
  tampered: string;
}

const fx = {} as Fixtures;

before(() => {
  fx.client = opensslCsr({ subject: '/O=dev/CN=alice' });
  fx.clientNoCn = opensslCsr({ subject: '/O=dev' });
  fx.kubeletClient = opensslCsr({ subject: '/O=system:nodes/CN=system:node:worker-1' });
  fx.kubeletClientWrongOrg = opensslCsr({ subject: '/O=system:nodes/O=admins/CN=system:node:worker-1' });
  fx.kubeletClientWrongCn = opensslCsr({ subject: '/O=system:nodes/CN=worker-1' });
  fx.kubeletClientWithSan = opensslCsr({
    subject: '/O=system:nodes/CN=system:node:worker-1',
    subjectAltName: 'DNS:worker-1',
  });
  fx.kubeletServing = opensslCsr({
    subject: '/O=system:nodes/CN=system:node:worker-1',
    subjectAltName: 'DNS:worker-1,IP:10.0.0.7',
  });
  fx.kubeletServingNoSan = opensslCsr({ subject: '/O=system:nodes/CN=system:node:worker-1' });
  fx.kubeletServingEmailSan = opensslCsr({
    subject: '/O=system:nodes/CN=system:node:worker-1',
    subjectAltName: 'DNS:worker-1,email:ops@example.com,URI:spiffe://cluster.local/node',
  });
  fx.tampered = tamperCsr(opensslCsr({ subject: '/O=dev/CN=alice' }), 'alice', 'alicf');
});

/** The fields a test changes, by their names in metadata and spec (undefined removes one). */
type Overrides = Pick<CsrMetadata, 'name' | 'generateName'> & Partial<CsrRequestSpec>;

/** A valid kube-apiserver-client CertificateSigningRequest, with `overrides`. */
function clientSpec(overrides: Overrides = {}): CsrSpecDraft {
  const { name, generateName, ...spec }: Overrides = {
    name: 'alice-client',
    request: fx.client,
    signerName: KUBE_APISERVER_CLIENT_SIGNER,
    usages: ['client auth'],
    ...overrides,
  };
  return { metadata: { name, generateName }, spec };
}

function rulesOf(violations: readonly SpecViolation[]): string[] {
  return violations.map((v) => v.rule);
}

describe('validateCsr: valid specs', () => {
  it('accepts a kube-apiserver-client spec', () => {
    assert.deepEqual(validateCsr(clientSpec({ expirationSeconds: 3600 })), []);
  });

  const keys: FixtureKey[] = ['rsa-2048', 'ecdsa-p256', 'ecdsa-p384', 'ed25519'];
  for (const key of keys) {
    it(`accepts a CSR made with a ${key} key`, () => {
      const request = opensslCsr({ key, subject: '/O=dev/CN=bob' });
      assert.deepEqual(validateCsr(clientSpec({ request })), []);
    });
  }

  it('accepts the exact usage sets of the kubelet signers', () => {
    for (const usages of [
      ['digital signature', 'key encipherment', 'client auth'],
      ['digital signature', 'client auth'],
    ]) {
      const spec = clientSpec({ signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER, request: fx.kubeletClient, usages });
      assert.deepEqual(validateCsr(spec), []);
    }
    for (const usages of [
      ['key encipherment', 'digital signature', 'server auth'],
      ['digital signature', 'server auth'],
    ]) {
      const spec = clientSpec({ signerName: KUBELET_SERVING_SIGNER, request: fx.kubeletServing, usages });
      assert.deepEqual(validateCsr(spec), []);
    }
  });

  it('accepts a custom signer with any valid usages and subject', () => {
    const spec = clientSpec({
      signerName: 'example.com/serving',
      usages: ['server auth', 'any'],
      request: fx.clientNoCn,
    });
    assert.deepEqual(validateCsr(spec), []);
  });

  it('accepts generateName instead of name, and the largest expirationSeconds', () => {
    const spec = clientSpec({ name: undefined, generateName: 'alice-', expirationSeconds: 2147483647 });
    assert.deepEqual(validateCsr(spec), []);
  });
});

interface FailureCase {
  readonly rule: string;
  readonly when: string;
  readonly spec: () => CsrSpecDraft;
  readonly severity?: 'warning';
  /** text the message must contain */
  readonly mentions?: RegExp;
}

const failures: readonly FailureCase[] = [
  { rule: 'name-required', when: 'neither name nor generateName is set', spec: () => clientSpec({ name: undefined }) },
  {
    rule: 'name-dns-subdomain',
    when: 'the name is not a DNS-1123 subdomain',
    spec: () => clientSpec({ name: 'Alice_Client' }),
    mentions: /metadata\.name: .*received "Alice_Client"/,
  },
  {
    rule: 'generate-name-prefix',
    when: 'generateName starts with a dash',
    spec: () => clientSpec({ name: undefined, generateName: '-alice' }),
    mentions: /metadata\.generateName \(terraform: metadata\.generate_name\)/,
  },
  { rule: 'signer-name-required', when: 'signerName is empty', spec: () => clientSpec({ signerName: '' }) },
  { rule: 'signer-name-required', when: 'signerName is missing', spec: () => clientSpec({ signerName: undefined }) },
  {
    rule: 'signer-name-legacy-unknown',
    when: 'signerName is kubernetes.io/legacy-unknown',
    spec: () => clientSpec({ signerName: LEGACY_UNKNOWN_SIGNER }),
    mentions: /not allowed via certificates\.k8s\.io\/v1/,
  },
  {
    rule: 'signer-name-format',
    when: 'signerName is not a qualified name',
    spec: () => clientSpec({ signerName: 'my-signer' }),
    mentions: /spec\.signerName \(terraform: spec\.signer_name\).*example\.com\/signer-name/,
  },
  {
    rule: 'signer-name-unknown-kubernetes-io',
    when: 'signerName is an unknown kubernetes.io signer (warning)',
    spec: () => clientSpec({ signerName: 'kubernetes.io/kube-apiserver-clients' }),
    severity: 'warning',
  },
  {
    rule: 'expiration-integer',
    when: 'expirationSeconds is not an integer',
    spec: () => clientSpec({ expirationSeconds: 3600.5 }),
  },
  {
    rule: 'expiration-range',
    when: 'expirationSeconds is below 600',
    spec: () => clientSpec({ expirationSeconds: 599 }),
    mentions: /received 599.*600/,
  },
  {
    rule: 'expiration-range',
    when: 'expirationSeconds exceeds int32',
    spec: () => clientSpec({ expirationSeconds: 2147483648 }),
  },
  { rule: 'usages-required', when: 'usages is missing', spec: () => clientSpec({ usages: undefined }) },
  { rule: 'usages-required', when: 'usages is empty', spec: () => clientSpec({ usages: [] }) },
  {
    rule: 'usages-valid',
    when: 'a usage is not in the API set',
    spec: () => clientSpec({ usages: ['client auth', 'clientAuth'] }),
    mentions: /unsupported key usage "clientAuth"/,
  },
  {
    rule: 'usages-unique',
    when: 'a usage repeats',
    spec: () => clientSpec({ usages: ['client auth', 'client auth'] }),
  },
  { rule: 'request-required', when: 'request is missing', spec: () => clientSpec({ request: undefined }) },
  { rule: 'request-required', when: 'request is blank', spec: () => clientSpec({ request: '  \n' }) },
  {
    rule: 'request-not-private-key',
    when: 'request holds a private key',
    spec: () => clientSpec({ request: privateKeyPem() }),
    mentions: /redacted/,
  },
  {
    rule: 'request-parse',
    when: 'request is not PEM',
    spec: () => clientSpec({ request: 'hello' }),
    mentions: /is not a usable CSR \(/,
  },
  {
    rule: 'request-parse',
    when: 'request is a truncated PEM block',
    spec: () => clientSpec({ request: fx.client.replace(/\n[^\n]+\n-----END/, '\n-----END') }),
  },
  {
    rule: 'request-signature',
    when: 'the CSR was altered after signing',
    spec: () => clientSpec({ request: fx.tampered }),
  },
  {
    rule: 'signer-required-usages',
    when: 'kube-apiserver-client lacks client auth',
    spec: () => clientSpec({ usages: ['digital signature'] }),
    mentions: /requires usage "client auth"/,
  },
  {
    rule: 'signer-permitted-usages',
    when: 'kube-apiserver-client gets server auth',
    spec: () => clientSpec({ usages: ['client auth', 'server auth'] }),
    mentions: /refuses usage "server auth"/,
  },
  {
    rule: 'signer-permitted-usages',
    when: 'kube-apiserver-client-kubelet gets key agreement',
    spec: () =>
      clientSpec({
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        request: fx.kubeletClient,
        usages: ['digital signature', 'client auth', 'key agreement'],
      }),
  },
  {
    rule: 'signer-required-usages',
    when: 'kube-apiserver-client-kubelet lacks digital signature',
    spec: () =>
      clientSpec({
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        request: fx.kubeletClient,
        usages: ['client auth'],
      }),
  },
  {
    rule: 'signer-organizations',
    when: 'kube-apiserver-client-kubelet has an extra organization',
    spec: () =>
      clientSpec({
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        request: fx.kubeletClientWrongOrg,
        usages: ['digital signature', 'client auth'],
      }),
    mentions: /received CSR subject O=\["system:nodes","admins"\]/,
  },
  {
    rule: 'signer-common-name-prefix',
    when: 'kube-apiserver-client-kubelet CN lacks system:node:',
    spec: () =>
      clientSpec({
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        request: fx.kubeletClientWrongCn,
        usages: ['digital signature', 'client auth'],
      }),
  },
  {
    rule: 'signer-sans-forbidden',
    when: 'kube-apiserver-client-kubelet has a SAN',
    spec: () =>
      clientSpec({
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        request: fx.kubeletClientWithSan,
        usages: ['digital signature', 'client auth'],
      }),
    mentions: /DNS:worker-1/,
  },
  {
    rule: 'signer-sans-dns-or-ip-required',
    when: 'kubelet-serving has no DNS or IP SAN',
    spec: () =>
      clientSpec({
        signerName: KUBELET_SERVING_SIGNER,
        request: fx.kubeletServingNoSan,
        usages: ['digital signature', 'server auth'],
      }),
  },
  {
    rule: 'signer-sans-no-email-uri',
    when: 'kubelet-serving has email and URI SANs',
    spec: () =>
      clientSpec({
        signerName: KUBELET_SERVING_SIGNER,
        request: fx.kubeletServingEmailSan,
        usages: ['digital signature', 'server auth'],
      }),
  },
  {
    rule: 'signer-organizations',
    when: 'kubelet-serving is requested for a user certificate',
    spec: () => clientSpec({ signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'] }),
  },
  {
    rule: 'client-common-name',
    when: 'a kube-apiserver-client CSR has no common name (warning)',
    spec: () => clientSpec({ request: fx.clientNoCn }),
    severity: 'warning',
  },
];

function privateKeyPem(): string {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
}

describe('validateCsr: every rule fails when broken', () => {
  for (const failure of failures) {
    it(`fails when ${failure.when} (${failure.rule})`, () => {
      const violations = validateCsr(failure.spec());
      const hit = violations.find((v) => v.rule === failure.rule);
      assert.ok(hit, `expected ${failure.rule}, got ${JSON.stringify(rulesOf(violations))}`);
      assert.equal(hit.severity, failure.severity ?? 'error');
      assert.ok(hit.message.includes(hit.field), 'the message names the field');
      assert.ok(hit.message.includes(`received ${hit.received}`), 'the message shows the value received');
      assert.ok(hit.message.includes(`allowed: ${hit.allowed}`), 'the message says what is allowed');
      assert.ok(hit.message.includes(`fix: ${hit.fix}`), 'the message says how to fix it');
      if (failure.mentions) assert.match(hit.message, failure.mentions);
    });
  }

  it('has a failure case for every rule in CSR_SPEC_RULES', () => {
    const covered = new Set(failures.map((f) => f.rule));
    assert.deepEqual(
      CSR_SPEC_RULES.map((r) => r.rule).filter((r) => !covered.has(r)),
      [],
    );
  });
});

describe('validateCsr: unresolved values', () => {
  const isToken = (v: unknown): boolean =>
    (typeof v === 'string' && v.startsWith('${TOKEN')) || (typeof v === 'number' && v === -1.8881545897087626e289);

  it('skips every field the predicate reports as unresolved', () => {
    const spec: CsrSpecDraft = {
      metadata: { name: '${TOKEN[name]}' },
      spec: {
        request: '${TOKEN[request]}',
        signerName: '${TOKEN[signer]}',
        expirationSeconds: -1.8881545897087626e289,
        usages: ['${TOKEN[usages]}'],
      },
    };
    assert.deepEqual(validateCsr(spec, { isUnresolved: isToken }), []);
  });

  it('still checks the resolved fields next to unresolved ones', () => {
    const spec = clientSpec({ request: '${TOKEN[request]}', usages: ['client auth', 'bogus'] });
    assert.deepEqual(rulesOf(validateCsr(spec, { isUnresolved: isToken })), ['usages-valid']);
  });

  it('skips the subject rules when the request is unresolved', () => {
    const spec = clientSpec({
      signerName: KUBELET_SERVING_SIGNER,
      request: '${TOKEN[r]}',
      usages: ['digital signature', 'server auth'],
    });
    assert.deepEqual(validateCsr(spec, { isUnresolved: isToken }), []);
  });

  it('skips the usage rules when one usage is unresolved', () => {
    const spec = clientSpec({ usages: ['${TOKEN[u]}', 'server auth'] });
    assert.deepEqual(validateCsr(spec, { isUnresolved: isToken }), []);
  });

  it('does not parse the request when parseRequest is false', () => {
    assert.deepEqual(validateCsr(clientSpec({ request: 'not pem' }), { parseRequest: false }), []);
  });
});

describe('validateCsr: field names of the caller', () => {
  it('names the fields by fieldNames in the fixes and as terraformField, and by their API paths without it', () => {
    const spec = clientSpec({ usages: ['server auth'] });
    const renamed = validateCsr(spec, { fieldNames: { 'spec.usages': 'usages' } });
    assert.deepEqual(
      renamed.map((v) => [v.rule, v.terraformField, v.fix]),
      [
        ['signer-required-usages', 'usages', 'use usages = ["client auth"]'],
        ['signer-permitted-usages', 'usages', 'use usages = ["client auth"]'],
      ],
    );
    const plain = validateCsr(spec);
    assert.deepEqual(
      plain.map((v) => [v.terraformField, v.fix]),
      [
        ['spec.usages', 'use spec.usages = ["client auth"]'],
        ['spec.usages', 'use spec.usages = ["client auth"]'],
      ],
    );
  });
});

describe('assertValidCsr and CsrSpecError', () => {
  it('returns the warnings when there is no error', () => {
    const warnings = assertValidCsr(clientSpec({ request: fx.clientNoCn }));
    assert.deepEqual(rulesOf(warnings), ['client-common-name']);
  });

  it('fails with code invalid-spec, every error, and the subject in the message', () => {
    assert.throws(
      () =>
        assertValidCsr(clientSpec({ name: 'Bad', expirationSeconds: 60, usages: ['server auth'] }), {
          subject: "'stack/csr'",
        }),
      (error: unknown) => {
        assert.ok(error instanceof CsrSpecError);
        assert.equal(error.code, 'invalid-spec');
        assert.equal(error.subject, "'stack/csr'");
        assert.deepEqual(rulesOf(error.violations), [
          'name-dns-subdomain',
          'expiration-range',
          'signer-required-usages',
          'signer-permitted-usages',
        ]);
        assert.match(error.message, /^invalid CertificateSigningRequest spec in 'stack\/csr' \(4 problems\):/);
        assert.match(
          error.message,
          /\n {2}- spec\.usages: signer "kubernetes\.io\/kube-apiserver-client" requires usage "client auth"/,
        );
        assert.ok(CsrSpecError.isCsrSpecError(error));
        return true;
      },
    );
  });

  it('never prints key material, even when a private key is passed as the request', () => {
    const key = privateKeyPem();
    assert.throws(
      () => assertValidCsr(clientSpec({ request: key, name: key })),
      (error: unknown) => {
        assert.ok(error instanceof CsrSpecError);
        assert.doesNotMatch(error.message, /-----BEGIN/);
        for (const run of base64Runs(key)) assert.ok(!error.message.includes(run), 'a piece of the key leaked');
        return true;
      },
    );
  });

  it('summarises CSRs instead of echoing them', () => {
    const [violation] = validateCsr(
      clientSpec({ usages: ['server auth'], signerName: 'example.com/x', request: fx.tampered }),
    );
    assert.ok(violation);
    assert.match(violation.received, /^<\d+ characters of PEM text>$/);
  });

  it('knows all 23 key usages of the API', () => {
    assert.equal(KEY_USAGES.length, 23);
  });
});
