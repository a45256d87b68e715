import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  assertPublicKeysEqual,
  createCertificateRequest,
  parseCertificateChain,
  parseCertificateRequest,
  publicKeysEqual,
  verifyChain,
} from '../../src/pki/index.js';
import type { CertificateChain, PkiErrorCode } from '../../src/pki/index.js';
import { containsKeyMaterial, openssl, opensslOk } from './support/openssl.js';
import { makePki } from './support/pki.js';
import type { TestPki } from './support/pki.js';
import { expectPkiError } from './support/expect.js';

describe('parseCertificateChain', () => {
  let pki: TestPki;
  let chain: CertificateChain;
  before(async () => {
    pki = await makePki();
    chain = parseCertificateChain(pki.leaf + pki.intermediate);
  });
  after(() => pki.tmp.dispose());

  it('GIVEN the openssl test PKI WHEN openssl verifies it THEN it is sound (so the tests below test the parser)', async () => {
    const result = await openssl(['verify', '-CAfile', 'root.crt', '-untrusted', 'int.crt', 'leaf.crt'], pki.tmp.dir);
    assert.equal(result.code, 0, result.stderr);
  });

  it('GIVEN leaf then intermediate WHEN parsed THEN the first block is the leaf and the second the intermediate', () => {
    assert.equal(chain.leaf.subject.commonName, 'jane');
    assert.deepEqual(chain.leaf.subject.organizations, ['devs', 'ops']);
    assert.equal(chain.leaf.subject.text, 'CN=jane,O=ops,O=devs');
    assert.equal(chain.leaf.issuer.text, 'CN=test intermediate ca,O=test');
    assert.equal(chain.intermediates.length, 1);
    assert.equal(chain.intermediates[0]?.subject.commonName, 'test intermediate ca');
    assert.equal(chain.intermediates[0]?.issuer.commonName, 'test root ca');
  });

  it('GIVEN the leaf WHEN parsed THEN usages, SANs, CA flag and key are what openssl was told to issue', () => {
    const { leaf } = chain;
    assert.deepEqual(leaf.keyUsages, ['digital signature', 'key encipherment']);
    assert.deepEqual(leaf.extendedKeyUsages, ['client auth', 'server auth']);
    assert.equal(leaf.isCa, false);
    assert.deepEqual(leaf.subjectAltNames, {
      dnsNames: ['leaf.example.com'],
      ipAddresses: ['10.0.0.7', '2001:db8::7'],
      uris: ['spiffe://cluster.local/ns/default/sa/app'],
      emailAddresses: ['leaf@example.com'],
    });
    assert.deepEqual(leaf.publicKeyInfo, { algorithm: 'rsa', bits: 2048 });
    assert.equal(leaf.signatureAlgorithm, 'ecdsa-with-SHA256'); // openssl x509 -req signs with SHA-256 by default
    const intermediate = chain.intermediates[0];
    assert.ok(intermediate);
    assert.equal(intermediate.isCa, true);
    assert.deepEqual(intermediate.keyUsages, ['cert sign', 'crl sign']);
    assert.deepEqual(intermediate.extendedKeyUsages, []);
    assert.deepEqual(intermediate.publicKeyInfo, { algorithm: 'ecdsa', bits: 384, curve: 'P-384' });
  });

  it('GIVEN the leaf WHEN compared with openssl x509 output THEN serial, fingerprint and dates agree', async () => {
    const out = await opensslOk(
      ['x509', '-in', 'leaf.crt', '-noout', '-serial', '-fingerprint', '-sha256', '-startdate', '-enddate'],
      pki.tmp.dir,
    );
    const field = (name: string): string => new RegExp(`${name}=(.+)`, 'i').exec(out)?.[1]?.trim() ?? '';
    assert.equal(chain.leaf.serialNumber, field('serial'));
    assert.equal(chain.leaf.serialNumber, '2002');
    assert.equal(chain.leaf.fingerprintSha256, field('sha256 Fingerprint'));
    assert.equal(chain.leaf.notBefore.getTime(), new Date(field('notBefore')).getTime());
    assert.equal(chain.leaf.notAfter.getTime(), new Date(field('notAfter')).getTime());
    assert.equal(chain.leaf.notAfter.getTime() - chain.leaf.notBefore.getTime(), 86_400_000);
    assert.equal(chain.leaf.pem, pki.leaf);
    const text = await opensslOk(['x509', '-in', 'leaf.crt', '-noout', '-text'], pki.tmp.dir);
    assert.match(text, new RegExp(`Signature Algorithm: ${chain.leaf.signatureAlgorithm}\\n`));
    assert.match(text, /Subject: O = devs, O = ops, CN = jane\n/);
  });

  it('GIVEN the leaf and the request it was issued for WHEN keys are compared THEN they match, and differ from another key', async () => {
    const request = parseCertificateRequest(await pki.tmp.read('leaf.csr'));
    assert.equal(publicKeysEqual(chain.leaf.x509.publicKey, request.publicKey), true);
    assert.equal(publicKeysEqual(chain.leaf.x509.publicKey, pki.leafKey.privateKey), true);
    assert.equal(publicKeysEqual(chain.leaf.x509.publicKey, createPrivateKey(await pki.tmp.read('int.key'))), false);
    assert.throws(
      () => assertPublicKeysEqual(request.publicKey, chain.intermediates[0]?.x509.publicKey ?? request.publicKey),
      expectPkiError('key-mismatch', /expected rsa 2048 bits, found ecdsa P-384/),
    );
  });

  const layouts: { name: string; input: (p: TestPki) => string }[] = [
    {
      name: 'text before, between and after the blocks',
      input: (p) => `issued by test\n${p.leaf}\n# intermediate:\n${p.intermediate}trailer\n`,
    },
    { name: 'CRLF line endings', input: (p) => (p.leaf + p.intermediate).replace(/\n/g, '\r\n') },
    { name: 'no newline between the blocks', input: (p) => p.leaf.trimEnd() + '\n' + p.intermediate.trimEnd() },
  ];
  for (const layout of layouts) {
    it(`GIVEN a chain with ${layout.name} WHEN parsed THEN the same two certificates come out`, () => {
      const parsed = parseCertificateChain(layout.input(pki));
      assert.equal(parsed.leaf.fingerprintSha256, chain.leaf.fingerprintSha256);
      assert.deepEqual(
        parsed.intermediates.map((c) => c.fingerprintSha256),
        chain.intermediates.map((c) => c.fingerprintSha256),
      );
    });
  }

  it('GIVEN a single certificate WHEN parsed THEN it is the leaf and there are no intermediates', () => {
    const parsed = parseCertificateChain(pki.root);
    assert.equal(parsed.leaf.subject.commonName, 'test root ca');
    assert.equal(parsed.leaf.isCa, true);
    assert.deepEqual(parsed.intermediates, []);
  });

  const failures: { name: string; input: (p: TestPki) => string; code: PkiErrorCode; pattern: RegExp }[] = [
    {
      name: 'the chain is empty',
      input: () => '',
      code: 'empty-input',
      pattern: /empty input: pass a PEM-encoded certificate/,
    },
    {
      name: 'the chain has no PEM block',
      input: () => 'no certificate here',
      code: 'no-pem-armor',
      pattern: /no -----BEGIN CERTIFICATE----- line/,
    },
    {
      name: 'a block has PEM headers',
      input: (p) => p.leaf + p.intermediate.replace('-----\n', '-----\nComment: intermediate\n\n'),
      code: 'pem-headers',
      pattern: /block on line \d+ has PEM headers \("Comment"\)/,
    },
    {
      name: 'the chain holds a certificate signing request',
      input: (p) => p.leaf + armourRequest(p),
      code: 'wrong-pem-label',
      pattern:
        /^block 2 \(line \d+\): expected a PEM block labelled CERTIFICATE but found CERTIFICATE REQUEST: that is the signing request/,
    },
    {
      name: 'the chain starts with a request',
      input: (p) => armourRequest(p),
      code: 'wrong-pem-label',
      pattern: /found CERTIFICATE REQUEST/,
    },
    {
      name: 'the chain holds a private key',
      input: (p) => p.leaf + p.leafKey.privateKeyPem,
      code: 'wrong-pem-label',
      pattern: /found PRIVATE KEY: pass the certificate, not the private key/,
    },
    {
      name: 'a block is not a certificate',
      input: () => '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n',
      code: 'malformed-der',
      pattern: /is not an X\.509 certificate/,
    },
    {
      name: 'a certificate is cut short',
      input: (p) => armourCertificate(derOf(p.leaf).subarray(0, 200)),
      code: 'truncated-der',
      pattern: /only 200 are present/,
    },
    {
      name: 'a block holds two certificates',
      input: (p) => armourCertificate(Buffer.concat([derOf(p.leaf), derOf(p.intermediate)])),
      code: 'malformed-der',
      pattern: /trailing bytes after its DER structure: pass exactly one/,
    },
    {
      name: 'the chain is larger than 1 MiB',
      input: (p) => `${'#'.repeat(1024 * 1024)}\n${p.leaf}`,
      code: 'oversized-input',
      pattern: /at most 1048576 bytes \(1024 KiB\)/,
    },
  ];
  for (const f of failures) {
    it(`fails when ${f.name}`, () => {
      assert.throws(
        () => parseCertificateChain(f.input(pki)),
        (error: unknown) =>
          expectPkiError(f.code, f.pattern)(error) &&
          !containsKeyMaterial((error as Error).message, pki.leafKey.privateKeyPem),
      );
    });
  }
});

describe('verifyChain', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  after(() => pki.tmp.dispose());

  it('GIVEN leaf + intermediate and the root CA WHEN verified THEN it passes', () => {
    assert.doesNotThrow(() => verifyChain(parseCertificateChain(pki.leaf + pki.intermediate), pki.root));
  });

  it('GIVEN a bundle with an unrelated CA and the root CA WHEN verified THEN the right CA is found', () => {
    assert.doesNotThrow(() =>
      verifyChain(parseCertificateChain(pki.leaf + pki.intermediate), pki.otherRoot + pki.root),
    );
  });

  it('GIVEN only the leaf and the intermediate as the bundle WHEN verified THEN it passes', () => {
    assert.doesNotThrow(() => verifyChain(parseCertificateChain(pki.leaf), pki.intermediate));
  });

  it('GIVEN a chain whose top certificate is itself in the bundle WHEN verified THEN it passes', () => {
    assert.doesNotThrow(() => verifyChain(parseCertificateChain(pki.leaf + pki.intermediate + pki.root), pki.root));
  });

  it('GIVEN no bundle WHEN verified THEN only the links inside the chain are checked', () => {
    assert.doesNotThrow(() => verifyChain(parseCertificateChain(pki.leaf + pki.intermediate)));
  });

  it('fails when the bundle holds the wrong CA', () => {
    assert.throws(
      () => verifyChain(parseCertificateChain(pki.leaf + pki.intermediate), pki.otherRoot),
      expectPkiError(
        'untrusted-chain',
        /^no CA certificate of the bundle \(1 certificate\) issued "CN=test intermediate ca,O=test" \(issuer "CN=test root ca,O=test"\): pass the CA bundle of the signer/,
      ),
    );
  });

  it('fails when the intermediate is missing and the bundle holds only the root', () => {
    assert.throws(
      () => verifyChain(parseCertificateChain(pki.leaf), pki.root),
      expectPkiError('untrusted-chain', /issued "CN=jane,O=ops,O=devs" .* or add the missing intermediates/),
    );
  });

  it('fails when the blocks are in the wrong order', () => {
    assert.throws(
      () => verifyChain(parseCertificateChain(pki.intermediate + pki.leaf), pki.root),
      expectPkiError('untrusted-chain', /^intermediate 1 "CN=jane,O=ops,O=devs" is not a CA certificate/),
    );
  });

  it('fails when the next certificate is a CA that did not issue the previous one', () => {
    assert.throws(
      () => verifyChain(parseCertificateChain(pki.leaf + pki.otherRoot)),
      expectPkiError(
        'untrusted-chain',
        /^the issued certificate "CN=jane,O=ops,O=devs" \(issuer "CN=test intermediate ca,O=test"\) was not issued and signed by intermediate 1 "CN=other root ca,O=test"/,
      ),
    );
  });

  it('fails when a certificate has expired', () => {
    const chain = parseCertificateChain(pki.leaf + pki.intermediate);
    const later = new Date(chain.leaf.notAfter.getTime() + 1000);
    assert.throws(
      () => verifyChain(chain, pki.root, { now: later }),
      expectPkiError(
        'certificate-expired',
        /^the issued certificate "CN=jane,O=ops,O=devs" expired at .*request a new certificate/,
      ),
    );
  });

  it('fails when a certificate is not yet valid', () => {
    const chain = parseCertificateChain(pki.leaf + pki.intermediate);
    const earlier = new Date(chain.leaf.notBefore.getTime() - 60_000);
    assert.throws(
      () => verifyChain(chain, pki.root, { now: earlier }),
      expectPkiError('certificate-not-yet-valid', /is not valid before .*check the clock/),
    );
  });

  it('fails when the CA bundle is not PEM certificates', () => {
    assert.throws(
      () => verifyChain(parseCertificateChain(pki.leaf + pki.intermediate), pki.leafKey.privateKeyPem),
      (error: unknown) =>
        expectPkiError('wrong-pem-label', /found PRIVATE KEY/)(error) &&
        !containsKeyMaterial((error as Error).message, pki.leafKey.privateKeyPem),
    );
  });
});

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function armourCertificate(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
}

function armourRequest(p: TestPki): string {
  return createCertificateRequest({ privateKey: p.leafKey.privateKey, commonName: 'x' });
}
