import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CsrSpecError,
  KUBE_APISERVER_CLIENT_SIGNER,
  VALIDATED_CSR_SYMBOL,
  assertValidCsr,
  checkCsr,
  isValidatedCsr,
  toValidatedCsr,
  validateCsr,
} from '../../src/rules/index.js';
import type { CsrSpec, SpecViolation } from '../../src/rules/index.js';
import { opensslCsr } from './support/openssl-csr.js';

let client = '';
let clientNoCn = '';
before(() => {
  client = opensslCsr({ subject: '/O=dev/CN=alice' });
  clientNoCn = opensslCsr({ subject: '/O=dev' });
});

function clientCsr(spec: Partial<CsrSpec['spec']> = {}, metadata: CsrSpec['metadata'] = { name: 'alice' }): CsrSpec {
  return {
    metadata,
    spec: { request: client, signerName: KUBE_APISERVER_CLIENT_SIGNER, usages: ['client auth'], ...spec },
  };
}

const rulesOf = (violations: readonly SpecViolation[]): string[] => violations.map((v) => v.rule);
const isToken = (v: unknown): boolean => typeof v === 'string' && v.startsWith('${TOKEN');

describe('validateCsr: the rules on the shared model', () => {
  it('reports the rules broken in metadata and in spec, in field order', () => {
    // GIVEN a spec that breaks rules in metadata and in spec
    const csr = clientCsr({ expirationSeconds: 60, usages: ['server auth'] }, { name: 'Bad' });

    // WHEN it is validated
    const violations = validateCsr(csr);

    // THEN every broken rule is reported
    assert.deepEqual(rulesOf(violations), [
      'name-dns-subdomain',
      'expiration-range',
      'signer-required-usages',
      'signer-permitted-usages',
    ]);
  });

  it('reports the missing fields of a draft', () => {
    assert.deepEqual(rulesOf(validateCsr({})), [
      'name-required',
      'signer-name-required',
      'usages-required',
      'request-required',
    ]);
  });

  it('fails when assertValidCsr meets an error, and returns the warnings otherwise', () => {
    assert.deepEqual(rulesOf(assertValidCsr(clientCsr({ request: clientNoCn }))), ['client-common-name']);
    assert.throws(
      () => assertValidCsr(clientCsr({ usages: ['client auth', 'bogus'] }), { subject: "'stack/csr'" }),
      (error: unknown) => CsrSpecError.isCsrSpecError(error) && error.subject === "'stack/csr'",
    );
  });
});

describe('toValidatedCsr and checkCsr: a spec validated once', () => {
  it('brands a valid spec with its parsed request and warnings', () => {
    // GIVEN a valid spec whose request has no common name (a warning)
    const csr = clientCsr({ request: clientNoCn });

    // WHEN it is validated into the model
    const validated = toValidatedCsr(csr);

    // THEN it carries the brand, the spec, the parsed request and the warning
    assert.ok(isValidatedCsr(validated));
    assert.equal(validated[VALIDATED_CSR_SYMBOL].spec, validated.spec);
    assert.equal(validated[VALIDATED_CSR_SYMBOL].metadata, validated.metadata);
    assert.deepEqual(validated.spec, csr.spec);
    assert.deepEqual(validated.metadata, csr.metadata);
    assert.deepEqual(validated.parsedRequest.subject.organizations, ['dev']);
    assert.deepEqual(rulesOf(validated.warnings), ['client-common-name']);
  });

  it('uses a registered symbol, so that another copy of the library recognises the brand', () => {
    assert.equal(VALIDATED_CSR_SYMBOL, Symbol.for('cdktf-kubernetes-csr/ValidatedCsr'));
  });

  it('is frozen, and a spread copy (to add autoApprove) keeps the brand', () => {
    const validated = toValidatedCsr(clientCsr());
    assert.ok(Object.isFrozen(validated) && Object.isFrozen(validated.spec) && Object.isFrozen(validated.spec.usages));
    assert.ok(isValidatedCsr({ ...validated, autoApprove: false }));
  });

  it('does not take a copy with another spec or metadata for validated: the brand names what was checked', () => {
    // GIVEN a validated spec
    const validated = toValidatedCsr(clientCsr());

    // WHEN copies replace its spec or its metadata (the brand symbol is copied along)
    const otherSigner = { ...validated, spec: { ...validated.spec, signerName: 'example.com/anything' } };
    const otherName = { ...validated, metadata: { name: 'Not A DNS Name' } };

    // THEN neither counts as validated, so the runtime validates them again
    assert.equal(isValidatedCsr(otherSigner), false);
    assert.equal(isValidatedCsr(otherName), false);
  });

  it('does not brand a plain spec', () => {
    assert.equal(isValidatedCsr(clientCsr()), false);
    assert.equal(isValidatedCsr(undefined), false);
  });

  it('fails with every error when the spec is invalid', () => {
    assert.throws(
      () => toValidatedCsr(clientCsr({ usages: ['client auth', 'bogus'] }, {})),
      (error: unknown) => {
        assert.ok(error instanceof CsrSpecError);
        assert.deepEqual(rulesOf(error.violations), ['name-required', 'usages-valid']);
        return true;
      },
    );
  });

  it('gives no validated spec while a value is unresolved, or when a rule fails', () => {
    const unresolved = checkCsr(clientCsr({ signerName: '${TOKEN[signer]}' }), { isUnresolved: isToken });
    assert.deepEqual(unresolved.violations, []);
    assert.equal(unresolved.validated, undefined);
    const invalid = checkCsr(clientCsr({ usages: ['client auth', 'bogus'] }));
    assert.deepEqual(rulesOf(invalid.violations), ['usages-valid']);
    assert.equal(invalid.validated, undefined);
    assert.ok(isValidatedCsr(checkCsr(clientCsr()).validated));
  });
});
