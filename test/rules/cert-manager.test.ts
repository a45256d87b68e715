import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CERT_MANAGER_RULES } from '../../src/rules/cert-manager.js';
import {
  CsrSpecError,
  VALIDATED_CERT_MANAGER_REQUEST_SYMBOL,
  assertValidCertManagerRequest,
  certManagerSignerName,
  checkCertManagerRequest,
  expectedCertManagerUsages,
  formatGoDuration,
  isValidatedCertManagerRequest,
  parseGoDuration,
  toValidatedCertManagerRequest,
  validateCertManagerRequest,
} from '../../src/rules/index.js';
import type {
  CertManagerRequestIssuerRef,
  CertManagerRequestMetadata,
  CertManagerRequestSpec,
  CertManagerRequestSpecDraft,
  CertManagerRequestSpecFields,
  SpecViolation,
} from '../../src/rules/index.js';
import { opensslCsr, tamperCsr } from './support/openssl-csr.js';

const fx = { plain: '', ca: '', notCa: '', usages: '', tampered: '' };

before(() => {
  fx.plain = opensslCsr({ subject: '/CN=app.example.com', subjectAltName: 'DNS:app.example.com' });
  fx.ca = opensslCsr({ subject: '/CN=intermediate', extensions: ['basicConstraints=critical,CA:TRUE'] });
  fx.notCa = opensslCsr({ subject: '/CN=leaf', extensions: ['basicConstraints=CA:FALSE'] });
  fx.usages = opensslCsr({
    subject: '/CN=server',
    extensions: ['keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'],
  });
  fx.tampered = tamperCsr(opensslCsr({ subject: '/CN=alice' }), 'alice', 'alicf');
});

/** The fields a test changes, by their names in metadata, spec and spec.issuerRef (undefined removes one). */
type Overrides = Partial<Pick<CertManagerRequestMetadata, 'generateName' | 'namespace'>> &
  Partial<Omit<CertManagerRequestSpecFields, 'issuerRef'>> & {
    readonly issuerRef?: Partial<CertManagerRequestIssuerRef>;
  };

/** The smallest valid CertificateRequest, with `overrides`. */
function request(overrides: Overrides = {}): CertManagerRequestSpecDraft {
  const { generateName, namespace, issuerRef, ...spec }: Overrides = {
    generateName: 'app-',
    namespace: 'default',
    request: fx.plain,
    ...overrides,
  };
  return { metadata: { generateName, namespace }, spec: { ...spec, issuerRef: { name: 'ca-issuer', ...issuerRef } } };
}

function rulesOf(violations: readonly SpecViolation[]): string[] {
  return violations.map((v) => v.rule);
}

describe('validateCertManagerRequest: valid requests', () => {
  it('accepts the smallest request: namespace, issuer name and a CSR', () => {
    assert.deepEqual(validateCertManagerRequest(request()), []);
  });

  it('accepts a ClusterIssuer, a duration, usages and isCA matching the CSR', () => {
    assert.deepEqual(
      validateCertManagerRequest(
        request({
          request: fx.usages,
          issuerRef: { kind: 'ClusterIssuer', group: 'cert-manager.io' },
          duration: '1h30m',
          usages: ['digital signature', 'key encipherment', 'server auth'],
        }),
      ),
      [],
    );
    assert.deepEqual(validateCertManagerRequest(request({ request: fx.ca, isCA: true, duration: '2160h' })), []);
    assert.deepEqual(validateCertManagerRequest(request({ request: fx.notCa, isCA: false })), []);
  });

  it('accepts any kind for an external issuer group (cert-manager cannot know its kinds)', () => {
    assert.deepEqual(
      validateCertManagerRequest(request({ issuerRef: { group: 'awspca.cert-manager.io', kind: 'AWSPCAIssuer' } })),
      [],
    );
  });
});

describe('validateCertManagerRequest: every rule, one failure each', () => {
  const failures: { rule: string; when: string; input: () => CertManagerRequestSpecDraft; mentions?: RegExp }[] = [
    { rule: 'namespace-required', when: 'the namespace is missing', input: () => request({ namespace: undefined }) },
    {
      rule: 'namespace-dns-label',
      when: 'the namespace is not a DNS label',
      input: () => request({ namespace: 'My_Namespace' }),
      mentions: /"My_Namespace"/,
    },
    {
      rule: 'issuer-name-required',
      when: 'spec.issuerRef.name is missing',
      input: () => request({ issuerRef: { name: '' } }),
      mentions: /spec\.issuerRef\.name \(terraform: spec\.issuer_ref\.name\)/,
    },
    {
      rule: 'issuer-name-format',
      when: 'the issuer name is not an object name',
      input: () => request({ issuerRef: { name: 'CA Issuer' } }),
    },
    {
      rule: 'issuer-group-format',
      when: 'the issuer group is not an API group',
      input: () => request({ issuerRef: { group: 'Cert Manager' } }),
    },
    {
      rule: 'issuer-kind',
      when: 'the kind is neither Issuer nor ClusterIssuer in the cert-manager.io group',
      input: () => request({ issuerRef: { kind: 'clusterissuer' } }),
      mentions: /"clusterissuer".*"ClusterIssuer"/,
    },
    {
      rule: 'duration-format',
      when: 'the duration uses days',
      input: () => request({ duration: '30d' }),
      mentions: /unknown unit "d".*"720h"/,
    },
    {
      rule: 'duration-minimum',
      when: 'the duration is under an hour',
      input: () => request({ duration: '10m' }),
      mentions: /10m0s is shorter than cert-manager's minimum certificate duration \(1h\)/,
    },
    {
      rule: 'request-is-ca-matches',
      when: 'the CSR asks for CA:TRUE but spec.isCA is false',
      input: () => request({ request: fx.ca }),
      mentions: /CA:TRUE but spec\.isCA is false.*set spec\.isCA = true/,
    },
    {
      rule: 'request-usages-match',
      when: "the CSR's extended key usages differ from spec.usages",
      input: () => request({ request: fx.usages, usages: ['digital signature', 'key encipherment', 'client auth'] }),
      mentions: /\["server auth"\] but spec\.usages gives \["client auth"\]/,
    },
  ];

  for (const failure of failures) {
    it(`fails when ${failure.when} (${failure.rule})`, () => {
      const violations = validateCertManagerRequest(failure.input());
      const hit = violations.find((v) => v.rule === failure.rule);
      assert.ok(hit, `expected ${failure.rule}, got ${JSON.stringify(rulesOf(violations))}`);
      assert.ok(hit.message.includes(hit.field), 'the message names the field');
      assert.ok(hit.message.includes(`received ${hit.received}`), 'the message shows the value received');
      assert.ok(hit.message.includes(`allowed: ${hit.allowed}`), 'the message says what is allowed');
      assert.ok(hit.message.includes(`fix: ${hit.fix}`), 'the message says how to fix it');
      if (failure.mentions) assert.match(hit.message, failure.mentions);
    });
  }

  it('has a failure case for every rule in CERT_MANAGER_RULES', () => {
    const covered = new Set(failures.map((f) => f.rule));
    assert.deepEqual(
      CERT_MANAGER_RULES.map((r) => r.rule).filter((r) => !covered.has(r)),
      [],
    );
  });

  it('applies the shared CertificateSigningRequest rules to name, request and usages', () => {
    const violations = validateCertManagerRequest(
      request({ generateName: '-bad', request: fx.tampered, usages: ['client auth', 'clientAuth', 'client auth'] }),
    );
    assert.deepEqual(rulesOf(violations).sort(), [
      'generate-name-prefix',
      'request-signature',
      'usages-unique',
      'usages-valid',
    ]);
    assert.ok(
      violations.every((v) => !v.message.includes('signer')),
      'no CertificateSigningRequest-only rule',
    );
  });

  it('never echoes a private key given as the request', () => {
    const keyPem = `-----BEGIN ${'PRIVATE KEY'}-----\nMC4CAQAwBQYDK2VwBCIEIL2dvSsZAnGkbiUvbYX1rq0Q2u4RbV9mk2rVxU4V0hGz\n-----END ${'PRIVATE KEY'}-----\n`;
    assert.throws(
      () => assertValidCertManagerRequest(request({ request: keyPem })),
      (thrown: unknown) =>
        thrown instanceof CsrSpecError &&
        thrown.message.startsWith('invalid cert-manager CertificateRequest spec') &&
        thrown.message.includes('contains a private key') &&
        !thrown.message.includes('MC4CAQAwBQYDK2VwBCIEIL2dvSsZAnGkbiUvbYX1rq0Q2u4RbV9mk2rVxU4V0hGz'),
    );
  });

  it('skips every value a token predicate marks as unresolved', () => {
    const isToken = (v: unknown) => typeof v === 'string' && v.startsWith('${TOKEN');
    const input: CertManagerRequestSpecDraft = {
      metadata: { generateName: '${TOKEN[g]}', namespace: '${TOKEN[ns]}' },
      spec: {
        request: '${TOKEN[req]}',
        issuerRef: { name: '${TOKEN[issuer]}', kind: '${TOKEN[kind]}' },
        duration: '${TOKEN[duration]}',
        usages: ['${TOKEN[usage]}'],
      },
    };
    assert.deepEqual(validateCertManagerRequest(input, { isUnresolved: isToken }), []);
  });
});

describe('toValidatedCertManagerRequest and checkCertManagerRequest: a request validated once', () => {
  /** The smallest valid request as a whole CertManagerRequestSpec. */
  const whole = (overrides: Overrides = {}) => request(overrides) as CertManagerRequestSpec;
  const isToken = (v: unknown) => typeof v === 'string' && v.startsWith('${TOKEN');

  it('brands a valid request with its parsed CSR and warnings', () => {
    // GIVEN a valid request with labels
    const spec = whole({ usages: ['digital signature', 'key encipherment'] });
    const labelled: CertManagerRequestSpec = { ...spec, metadata: { ...spec.metadata, labels: { team: 'a' } } };

    // WHEN it is validated into the model
    const validated = toValidatedCertManagerRequest(labelled);

    // THEN it carries the brand, the request as given, the parsed CSR and no warning
    assert.ok(isValidatedCertManagerRequest(validated));
    assert.equal(validated[VALIDATED_CERT_MANAGER_REQUEST_SYMBOL].spec, validated.spec);
    assert.equal(validated[VALIDATED_CERT_MANAGER_REQUEST_SYMBOL].metadata, validated.metadata);
    assert.deepEqual(validated.metadata, labelled.metadata);
    assert.deepEqual(validated.spec, labelled.spec);
    assert.equal(validated.parsedRequest.subject.commonName, 'app.example.com');
    assert.deepEqual(validated.warnings, []);
  });

  it('uses a registered symbol, so that another copy of the library recognises the brand', () => {
    assert.equal(VALIDATED_CERT_MANAGER_REQUEST_SYMBOL, Symbol.for('cdktf-kubernetes-csr/ValidatedCertManagerRequest'));
  });

  it('is frozen, and a spread copy (to add autoApprove) keeps the brand', () => {
    const validated = toValidatedCertManagerRequest(whole({ usages: ['digital signature'] }));
    assert.ok(
      Object.isFrozen(validated) &&
        Object.isFrozen(validated.metadata) &&
        Object.isFrozen(validated.spec) &&
        Object.isFrozen(validated.spec.issuerRef) &&
        Object.isFrozen(validated.spec.usages),
    );
    assert.ok(isValidatedCertManagerRequest({ ...validated, autoApprove: true }));
  });

  it('does not take a copy with another spec or metadata for validated: the brand names what was checked', () => {
    const validated = toValidatedCertManagerRequest(whole({ usages: ['digital signature'] }));
    const otherIssuer = { ...validated, spec: { ...validated.spec, issuerRef: { name: 'other' } } };
    const otherNamespace = { ...validated, metadata: { ...validated.metadata, namespace: 'elsewhere' } };
    assert.equal(isValidatedCertManagerRequest(otherIssuer), false);
    assert.equal(isValidatedCertManagerRequest(otherNamespace), false);
  });

  it('does not brand a plain request', () => {
    assert.equal(isValidatedCertManagerRequest(whole()), false);
    assert.equal(isValidatedCertManagerRequest(undefined), false);
  });

  it('fails with every error when the request is invalid', () => {
    assert.throws(
      () => toValidatedCertManagerRequest(whole({ namespace: 'My_Namespace', duration: '10m' }), { subject: "'s/cr'" }),
      (error: unknown) => {
        assert.ok(error instanceof CsrSpecError);
        assert.ok(error.message.startsWith("invalid cert-manager CertificateRequest spec in 's/cr'"));
        assert.deepEqual(rulesOf(error.violations), ['namespace-dns-label', 'duration-minimum']);
        return true;
      },
    );
  });

  it('gives no validated request while a value is unresolved, or when a rule fails', () => {
    const unresolved = checkCertManagerRequest(request({ duration: '${TOKEN[duration]}' }), { isUnresolved: isToken });
    assert.deepEqual(unresolved.violations, []);
    assert.equal(unresolved.validated, undefined);
    const invalid = checkCertManagerRequest(request({ issuerRef: { name: 'CA Issuer' } }));
    assert.deepEqual(rulesOf(invalid.violations), ['issuer-name-format']);
    assert.equal(invalid.validated, undefined);
    assert.ok(isValidatedCertManagerRequest(checkCertManagerRequest(request()).validated));
  });
});

describe('Go durations', () => {
  const cases: [string, number | RegExp][] = [
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90m', 5_400_000],
    ['2160h', 7_776_000_000],
    ['500ms', 500],
    ['0', 0],
    ['-1h', -3_600_000],
    ['', /empty/],
    ['1', /missing a unit/],
    ['1d', /unknown unit "d"/],
    ['h', /expected a number/],
    ['3000000h', /longer than Go can represent/],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)} as Go's time.ParseDuration does`, () => {
      const parsed = parseGoDuration(text);
      if (typeof expected === 'number') assert.deepEqual(parsed, { ms: expected });
      else assert.match('problem' in parsed ? parsed.problem : '', expected);
    });
  }

  it('formats milliseconds as Go prints durations', () => {
    assert.equal(formatGoDuration(5_400_000), '1h30m0s');
    assert.equal(formatGoDuration(600_000), '10m0s');
    assert.equal(formatGoDuration(1_500), '1.5s');
  });
});

describe('cert-manager approval names and usages', () => {
  it("names the signer as cert-manager's approval check does", () => {
    assert.equal(
      certManagerSignerName({ name: 'ca', kind: 'ClusterIssuer', namespace: 'team-a' }),
      'clusterissuers.cert-manager.io/ca',
    );
    assert.equal(certManagerSignerName({ name: 'ca', namespace: 'team-a' }), 'issuers.cert-manager.io/team-a.ca');
    assert.equal(
      certManagerSignerName({ name: 'x', kind: 'AWSPCAIssuer', group: 'awspca.cert-manager.io', namespace: 'a' }),
      undefined,
    );
  });

  it('derives the usages cert-manager puts in a certificate', () => {
    assert.deepEqual(expectedCertManagerUsages(undefined, false), {
      keyUsages: ['digital signature', 'key encipherment'],
      extendedKeyUsages: [],
    });
    assert.deepEqual(expectedCertManagerUsages(['signing', 's/mime'], true), {
      keyUsages: ['cert sign', 'digital signature'],
      extendedKeyUsages: ['email protection'],
    });
  });
});
