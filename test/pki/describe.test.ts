import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createCertificateRequest,
  describeCertificate,
  describeCertificateChain,
  describeCertificateRequest,
  generateKey,
  parseCertificateChain,
  parseCertificateRequest,
} from '../../src/pki/index.js';
import { makePki } from './support/pki.js';
import type { TestPki } from './support/pki.js';

/** JSON-able: survives a JSON round trip unchanged and holds no Buffer, KeyObject, Date or undefined. */
function assertPlainJson(value: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
  const walk = (v: unknown): void => {
    if (v === undefined) {
      assert.fail('undefined value in a description');
    }
    if (typeof v === 'object' && v !== null) {
      assert.ok(
        Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype,
        'a description holds a non-plain object',
      );
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
}

describe('describeCertificateRequest', () => {
  it('GIVEN an ECDSA P-384 request with SANs WHEN described THEN it is plain JSON with subject, SANs, key and signature', async () => {
    const key = await generateKey('ecdsa-p384');
    const parsed = parseCertificateRequest(
      createCertificateRequest({
        privateKey: key.privateKey,
        commonName: 'jane',
        organizations: ['devs'],
        dnsNames: ['jane.example.com'],
        ipAddresses: ['10.1.2.3'],
      }),
    );
    const description = describeCertificateRequest(parsed);
    assertPlainJson(description);
    assert.deepEqual(description, {
      kind: 'certificate-request',
      subject: { commonName: 'jane', organizations: ['devs'], text: 'CN=jane,O=devs' },
      subjectAltNames: { dnsNames: ['jane.example.com'], ipAddresses: ['10.1.2.3'], uris: [], emailAddresses: [] },
      publicKey: { algorithm: 'ecdsa', bits: 384, curve: 'P-384' },
      signatureAlgorithm: 'ecdsa-with-SHA384',
      signatureValid: true,
    });
  });

  it('GIVEN an Ed25519 request WHEN described THEN the key has neither bits nor curve (no undefined fields)', async () => {
    const key = await generateKey('ed25519');
    const description = describeCertificateRequest(
      parseCertificateRequest(createCertificateRequest({ privateKey: key.privateKey, commonName: 'a' })),
    );
    assertPlainJson(description);
    assert.deepEqual(description.publicKey, { algorithm: 'ed25519' });
    assert.deepEqual(Object.keys(description.publicKey), ['algorithm']);
  });

  it('GIVEN a description WHEN it is changed THEN the parsed request is not (it holds copies)', async () => {
    const key = await generateKey('ed25519');
    const parsed = parseCertificateRequest(
      createCertificateRequest({ privateKey: key.privateKey, commonName: 'a', organizations: ['x'] }),
    );
    describeCertificateRequest(parsed).subject.organizations.push('y');
    assert.deepEqual(parsed.subject.organizations, ['x']);
  });
});

describe('describeCertificate', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  after(() => pki.tmp.dispose());

  it('GIVEN the openssl-issued leaf WHEN described THEN validity, fingerprint, usages and SANs are plain JSON', () => {
    const chain = parseCertificateChain(pki.leaf + pki.intermediate);
    const description = describeCertificate(chain.leaf);
    assertPlainJson(description);
    assert.equal(description.kind, 'certificate');
    assert.deepEqual(description.subject, {
      commonName: 'jane',
      organizations: ['devs', 'ops'],
      text: 'CN=jane,O=ops,O=devs',
    });
    assert.deepEqual(description.issuer, {
      commonName: 'test intermediate ca',
      organizations: ['test'],
      text: 'CN=test intermediate ca,O=test',
    });
    assert.equal(description.notBefore, chain.leaf.notBefore.toISOString());
    assert.equal(description.notAfter, chain.leaf.notAfter.toISOString());
    assert.equal(description.lifetimeSeconds, 86_400);
    assert.match(description.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(description.serialNumber, '2002');
    assert.deepEqual(description.keyUsages, ['digital signature', 'key encipherment']);
    assert.deepEqual(description.extendedKeyUsages, ['client auth', 'server auth']);
    assert.equal(description.isCa, false);
    assert.deepEqual(description.publicKey, { algorithm: 'rsa', bits: 2048 });
    assert.deepEqual(description.subjectAltNames.dnsNames, ['leaf.example.com']);
  });

  it('GIVEN a chain WHEN described THEN the leaf and each intermediate are described in order', () => {
    const description = describeCertificateChain(parseCertificateChain(pki.leaf + pki.intermediate));
    assertPlainJson(description);
    assert.equal(description.leaf.subject.commonName, 'jane');
    assert.deepEqual(
      description.intermediates.map((c) => [c.subject.commonName, c.isCa, c.keyUsages]),
      [['test intermediate ca', true, ['cert sign', 'crl sign']]],
    );
  });
});
