import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createCertificateRequest,
  generateKey,
  KEY_TYPES,
  parseCertificateRequest,
  PkiError,
  publicKeysEqual,
  verifyCertificateRequest,
} from '../../src/pki/index.js';
import type { CertificateRequestParams, GeneratedKey, KeyType, PkiErrorCode } from '../../src/pki/index.js';
import { containsKeyMaterial, openssl, scratchDir } from './support/openssl.js';
import type { ScratchDir } from './support/openssl.js';

const SIGNATURE: Record<KeyType, string> = {
  'rsa-2048': 'sha256WithRSAEncryption',
  'rsa-3072': 'sha256WithRSAEncryption',
  'rsa-4096': 'sha256WithRSAEncryption',
  'ecdsa-p256': 'ecdsa-with-SHA256',
  'ecdsa-p384': 'ecdsa-with-SHA384',
  'ecdsa-p521': 'ecdsa-with-SHA512',
  ed25519: 'ED25519',
};

const SANS = {
  dnsNames: ['api.example.com', '*.apps.example.com'],
  ipAddresses: ['10.0.0.1', '2001:0db8:0:0:0:0:0:1'],
  uris: ['spiffe://cluster.local/ns/default/sa/app'],
  emailAddresses: ['jane@example.com'],
};

function expectPkiError(code: PkiErrorCode, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(PkiError.isPkiError(error), `expected a PkiError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    assert.equal(error.message, error.message.charAt(0).toLowerCase() + error.message.slice(1));
    return true;
  };
}

describe('createCertificateRequest', () => {
  const keys = new Map<KeyType, GeneratedKey>();
  let tmp: ScratchDir;

  before(async () => {
    tmp = await scratchDir();
    for (const key of await Promise.all(KEY_TYPES.map((t) => generateKey(t)))) {
      keys.set(key.keyType, key);
    }
  });
  after(() => tmp.dispose());

  function key(keyType: KeyType): GeneratedKey {
    const found = keys.get(keyType);
    assert.ok(found, keyType);
    return found;
  }

  for (const keyType of KEY_TYPES) {
    it(`GIVEN a ${keyType} key WHEN a request with subject and SANs is created THEN openssl verifies it and shows the same subject, SANs and algorithm`, async () => {
      const pem = createCertificateRequest({
        privateKey: key(keyType).privateKeyPem,
        commonName: 'jane',
        organizations: ['example cluster', 'devs'],
        ...SANS,
      });
      assert.match(
        pem,
        /^-----BEGIN CERTIFICATE REQUEST-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE REQUEST-----\n$/,
      );
      const file = await tmp.write(`${keyType}.csr`, pem);
      const verified = await openssl(['req', '-in', file, '-noout', '-verify']);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stderr + verified.stdout, /self-signature verify OK/);
      const text = (await openssl(['req', '-in', file, '-noout', '-text'])).stdout;
      assert.match(text, /Subject: O = example cluster, O = devs, CN = jane\n/);
      assert.match(
        text,
        /DNS:api\.example\.com, DNS:\*\.apps\.example\.com, email:jane@example\.com, IP Address:10\.0\.0\.1, IP Address:2001:DB8:0:0:0:0:0:1, URI:spiffe:\/\/cluster\.local\/ns\/default\/sa\/app\n/,
      );
      assert.match(text, new RegExp(`Signature Algorithm: ${SIGNATURE[keyType]}\\n`));
    });

    it(`GIVEN a ${keyType} request we created WHEN parsed back THEN every field round-trips and the key is the signer's`, () => {
      const k = key(keyType);
      const parsed = verifyCertificateRequest(
        createCertificateRequest({ privateKey: k.privateKey, commonName: 'jane', organizations: ['devs'], ...SANS }),
      );
      assert.deepEqual(parsed.subject, { commonName: 'jane', organizations: ['devs'], text: 'CN=jane,O=devs' });
      assert.deepEqual(parsed.subjectAltNames, { ...SANS, ipAddresses: ['10.0.0.1', '2001:db8::1'] });
      assert.equal(parsed.signatureAlgorithm, SIGNATURE[keyType]);
      assert.equal(parsed.signatureValid, true);
      assert.ok(publicKeysEqual(parsed.publicKey, k.publicKey));
    });
  }

  it('GIVEN openssl WHEN it checks a request we created and then altered THEN it reports the bad signature (the cross-check can fail)', async () => {
    const pem = createCertificateRequest({ privateKey: key('ecdsa-p256').privateKey, commonName: 'jane' });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\n/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('jane'));
    der[at] = 'J'.charCodeAt(0);
    const file = await tmp.write(
      'altered.csr',
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    const result = await openssl(['req', '-in', file, '-noout', '-verify']);
    assert.doesNotMatch(result.stderr + result.stdout, /verify OK/);
    assert.equal(parseCertificateRequest(await tmp.read('altered.csr')).signatureValid, false);
  });

  it('GIVEN no SANs and no organizations WHEN created THEN the request has only CN and no SANs', () => {
    const parsed = verifyCertificateRequest(
      createCertificateRequest({ privateKey: key('ed25519').privateKeyPem, commonName: 'system:node:worker-1' }),
    );
    assert.deepEqual(parsed.subject, {
      commonName: 'system:node:worker-1',
      organizations: [],
      text: 'CN=system:node:worker-1',
    });
    assert.deepEqual(parsed.subjectAltNames, { dnsNames: [], ipAddresses: [], uris: [], emailAddresses: [] });
  });

  it('GIVEN non-ASCII and RFC 4514 special characters in the subject WHEN round-tripped THEN values are exact and the text is escaped', () => {
    const parsed = parseCertificateRequest(
      createCertificateRequest({
        privateKey: key('ecdsa-p256').privateKey,
        commonName: 'Zoë, "admin"',
        organizations: ['#ops+sre'],
      }),
    );
    assert.equal(parsed.subject.commonName, 'Zoë, "admin"');
    assert.deepEqual(parsed.subject.organizations, ['#ops+sre']);
    assert.equal(parsed.subject.text, 'CN=Zoë\\, \\"admin\\",O=\\#ops\\+sre');
  });

  it('GIVEN PKCS#1 and SEC1 PEM private keys WHEN used THEN they sign like PKCS#8', () => {
    const rsa = key('rsa-2048');
    const ec = key('ecdsa-p384');
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    assert.match(sec1, /BEGIN EC PRIVATE KEY/);
    assert.ok(
      publicKeysEqual(
        verifyCertificateRequest(createCertificateRequest({ privateKey: pkcs1, commonName: 'a' })).publicKey,
        rsa.publicKey,
      ),
    );
    assert.ok(
      publicKeysEqual(
        verifyCertificateRequest(createCertificateRequest({ privateKey: sec1, commonName: 'a' })).publicKey,
        ec.publicKey,
      ),
    );
  });

  it('GIVEN a P-224 key (the provider docs example curve) WHEN used THEN the request is signed with ecdsa-with-SHA256', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-224' });
    const parsed = verifyCertificateRequest(
      createCertificateRequest({ privateKey, commonName: 'admin', organizations: ['example cluster'] }),
    );
    assert.equal(parsed.signatureAlgorithm, 'ecdsa-with-SHA256');
    assert.deepEqual(parsed.publicKeyInfo, { algorithm: 'ecdsa', bits: 224, curve: 'P-224' });
  });

  it('GIVEN IPv6 and IPv4-mapped addresses WHEN round-tripped THEN they come back in canonical form', () => {
    const parsed = parseCertificateRequest(
      createCertificateRequest({
        privateKey: key('ed25519').privateKey,
        commonName: 'a',
        ipAddresses: ['::1', '::', 'fe80:0:0:0:1:0:0:1', '2001:db8:0:1:1:1:1:1', '::ffff:10.1.2.3', '1::'],
      }),
    );
    assert.deepEqual(parsed.subjectAltNames.ipAddresses, [
      '::1',
      '::',
      'fe80::1:0:0:1',
      '2001:db8:0:1:1:1:1:1',
      '::ffff:10.1.2.3',
      '1::',
    ]);
  });

  const subjectCases: { name: string; params: Partial<CertificateRequestParams>; pattern: RegExp }[] = [
    {
      name: 'the common name is empty',
      params: { commonName: '' },
      pattern: /^commonName is "": it must not be empty/,
    },
    { name: 'the common name is blank', params: { commonName: '   ' }, pattern: /^commonName is " {3}"/ },
    { name: 'the common name has a newline', params: { commonName: 'a\nb' }, pattern: /control character/ },
    {
      name: 'the common name has an unpaired surrogate',
      params: { commonName: 'a\uD800' },
      pattern: /unpaired utf-16 surrogate/,
    },
    {
      name: 'the common name is too long',
      params: { commonName: 'x'.repeat(1025) },
      pattern: /1025 characters long; the limit is 1024/,
    },
    {
      name: 'an organization is empty',
      params: { commonName: 'a', organizations: ['devs', ''] },
      pattern: /^organizations\[1\] is ""/,
    },
    {
      name: 'the common name is not a string',
      params: { commonName: 42 as unknown as string },
      pattern: /must be a string but is number/,
    },
  ];
  for (const c of subjectCases) {
    it(`fails when ${c.name}`, () => {
      assert.throws(
        () => createCertificateRequest({ privateKey: key('ed25519').privateKey, commonName: 'a', ...c.params }),
        expectPkiError('invalid-subject', c.pattern),
      );
    });
  }

  const sanCases: { name: string; params: Partial<CertificateRequestParams>; pattern: RegExp }[] = [
    {
      name: 'a DNS name has a space',
      params: { dnsNames: ['bad name.example.com'] },
      pattern: /^dnsNames\[0\] is "bad name\.example\.com": expected a DNS name/,
    },
    { name: 'a DNS name is not ASCII', params: { dnsNames: ['bücher.example'] }, pattern: /punycode/ },
    {
      name: 'a DNS name starts with a hyphen',
      params: { dnsNames: ['ok.example', '-x.example'] },
      pattern: /^dnsNames\[1\]/,
    },
    {
      name: 'an IP address is out of range',
      params: { ipAddresses: ['10.0.0.256'] },
      pattern: /^ipAddresses\[0\] is "10\.0\.0\.256": expected an IPv4 or IPv6 address/,
    },
    {
      name: 'an IP address has a prefix length',
      params: { ipAddresses: ['10.0.0.0/8'] },
      pattern: /without a port, prefix length or zone/,
    },
    { name: 'an IPv6 address has a zone', params: { ipAddresses: ['fe80::1%eth0'] }, pattern: /^ipAddresses\[0\]/ },
    {
      name: 'a URI is relative',
      params: { uris: ['/ns/default'] },
      pattern: /^uris\[0\] is "\/ns\/default": expected an absolute uri/,
    },
    { name: 'a URI is not ASCII', params: { uris: ['https://bücher.example/'] }, pattern: /ascii only/ },
    {
      name: 'an email address has no @',
      params: { emailAddresses: ['jane'] },
      pattern: /^emailAddresses\[0\] is "jane"/,
    },
    { name: 'an email address has two @', params: { emailAddresses: ['a@b@c'] }, pattern: /expected one address/ },
    {
      name: 'a SAN list is not an array',
      params: { dnsNames: 'a.example' as unknown as string[] },
      pattern: /^dnsNames must be an array of strings/,
    },
  ];
  for (const c of sanCases) {
    it(`fails when ${c.name}`, () => {
      assert.throws(
        () => createCertificateRequest({ privateKey: key('ed25519').privateKey, commonName: 'a', ...c.params }),
        expectPkiError('invalid-san', c.pattern),
      );
    });
  }

  it('fails when the private key is a public key', () => {
    assert.throws(
      () => createCertificateRequest({ privateKey: key('ed25519').publicKey, commonName: 'a' }),
      expectPkiError('invalid-private-key', /^privateKey is a public key: pass the private key/),
    );
  });

  it('fails when the private key string is not a private key PEM (and the message does not echo it)', () => {
    const notAKey = createCertificateRequest({ privateKey: key('ed25519').privateKey, commonName: 'a' });
    assert.throws(
      () => createCertificateRequest({ privateKey: notAKey, commonName: 'a' }),
      (error: unknown) =>
        expectPkiError('invalid-private-key', /without a -----BEGIN \.\.\. PRIVATE KEY----- line/)(error) &&
        !containsKeyMaterial((error as Error).message, notAKey),
    );
  });

  it('fails when the private key PEM is encrypted, without echoing the key', () => {
    const encrypted = key('rsa-2048')
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    assert.throws(
      () => createCertificateRequest({ privateKey: encrypted, commonName: 'a' }),
      (error: unknown) => {
        expectPkiError(
          'invalid-private-key',
          /could not be read as an unencrypted PEM private key .*openssl pkey/,
        )(error);
        const e = error as PkiError;
        assert.ok(!containsKeyMaterial(e.message, encrypted));
        assert.ok(!e.message.includes('secret'));
        assert.ok(e.cause instanceof Error);
        return true;
      },
    );
  });

  it('fails when the private key PEM is damaged, without echoing the key', () => {
    const pem = key('ecdsa-p256').privateKeyPem;
    const damaged = pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!!!!!!!!!!!!!!!!!');
    assert.throws(
      () => createCertificateRequest({ privateKey: damaged, commonName: 'a' }),
      (error: unknown) =>
        expectPkiError('invalid-private-key', /could not be read/)(error) &&
        !containsKeyMaterial((error as Error).message, pem),
    );
  });

  const unsupportedKeys: { name: string; make: () => CertificateRequestParams['privateKey']; pattern: RegExp }[] = [
    {
      name: 'the RSA key has fewer than 2048 bits',
      make: () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      pattern: /the RSA key has 1024 bits; at least 2048 are required/,
    },
    {
      name: 'the ECDSA key is on secp256k1',
      make: () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
      pattern: /curve secp256k1, which kube-apiserver cannot verify/,
    },
    {
      name: 'the key is Ed448',
      make: () => generateKeyPairSync('ed448').privateKey,
      pattern: /ed448 keys are not accepted by kube-apiserver/,
    },
    {
      name: 'the key is X25519 (key agreement only)',
      make: () => generateKeyPairSync('x25519').privateKey,
      pattern: /type x25519, which is not supported/,
    },
  ];
  for (const c of unsupportedKeys) {
    it(`fails when ${c.name}`, () => {
      assert.throws(
        () => createCertificateRequest({ privateKey: c.make(), commonName: 'a' }),
        expectPkiError('unsupported-key', c.pattern),
      );
    });
  }
});
