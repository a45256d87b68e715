import assert from 'node:assert/strict';
import { generateKeyPairSync, createSecretKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  assertPublicKeysEqual,
  describePublicKey,
  generateKey,
  KEY_TYPES,
  PkiError,
  publicKeysEqual,
} from '../../src/pki/index.js';
import type { GeneratedKey, KeyType, PublicKeyInfo } from '../../src/pki/index.js';
import { opensslOk, scratchDir } from './support/openssl.js';
import type { ScratchDir } from './support/openssl.js';

const EXPECTED: Record<KeyType, { info: PublicKeyInfo; openssl: RegExp }> = {
  'rsa-2048': { info: { algorithm: 'rsa', bits: 2048 }, openssl: /Private-Key: \(2048 bit, 2 primes\)/ },
  'rsa-3072': { info: { algorithm: 'rsa', bits: 3072 }, openssl: /Private-Key: \(3072 bit, 2 primes\)/ },
  'rsa-4096': { info: { algorithm: 'rsa', bits: 4096 }, openssl: /Private-Key: \(4096 bit, 2 primes\)/ },
  'ecdsa-p256': { info: { algorithm: 'ecdsa', bits: 256, curve: 'P-256' }, openssl: /NIST CURVE: P-256/ },
  'ecdsa-p384': { info: { algorithm: 'ecdsa', bits: 384, curve: 'P-384' }, openssl: /NIST CURVE: P-384/ },
  'ecdsa-p521': { info: { algorithm: 'ecdsa', bits: 521, curve: 'P-521' }, openssl: /NIST CURVE: P-521/ },
  ed25519: { info: { algorithm: 'ed25519' }, openssl: /ED25519 Private-Key/ },
};

describe('generateKey', () => {
  const keys = new Map<KeyType, GeneratedKey>();
  let tmp: ScratchDir;

  before(async () => {
    tmp = await scratchDir();
    const generated = await Promise.all(KEY_TYPES.map((t) => generateKey(t)));
    generated.forEach((k) => keys.set(k.keyType, k));
  });
  after(() => tmp.dispose());

  it('GIVEN the key type list WHEN read THEN it names every supported type once', () => {
    assert.deepEqual([...KEY_TYPES].sort(), [
      'ecdsa-p256',
      'ecdsa-p384',
      'ecdsa-p521',
      'ed25519',
      'rsa-2048',
      'rsa-3072',
      'rsa-4096',
    ]);
  });

  for (const keyType of KEY_TYPES) {
    it(`GIVEN ${keyType} WHEN generated THEN the pair matches, the PEM is PKCS#8 and openssl reads it as ${keyType}`, async () => {
      const key = keys.get(keyType);
      assert.ok(key);
      assert.equal(key.keyType, keyType);
      assert.equal(key.privateKey.type, 'private');
      assert.equal(key.publicKey.type, 'public');
      assert.deepEqual(describePublicKey(key.publicKey), EXPECTED[keyType].info);
      assert.ok(publicKeysEqual(key.privateKey, key.publicKey));
      assert.match(key.privateKeyPem, /^-{5}BEGIN PRIVATE KEY-{5}\n[\s\S]+\n-{5}END PRIVATE KEY-{5}\n$/);
      const file = await tmp.write(`${keyType}.key`, key.privateKeyPem);
      const text = await opensslOk(['pkey', '-in', file, '-noout', '-text']);
      assert.match(text, EXPECTED[keyType].openssl);
    });
  }

  it('GIVEN two keys of the same type WHEN compared THEN they differ, and each equals itself', async () => {
    const [a, b] = await Promise.all([generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
    assert.equal(publicKeysEqual(a.publicKey, b.publicKey), false);
    assert.equal(publicKeysEqual(a.publicKey, a.privateKey), true);
    assert.doesNotThrow(() => assertPublicKeysEqual(a.privateKey, a.publicKey));
  });

  it('fails when the key type is unknown', async () => {
    await assert.rejects(generateKey('rsa-1024' as KeyType), (error: unknown) => {
      assert.ok(PkiError.isPkiError(error, 'unsupported-key'));
      assert.match(error.message, /key type "rsa-1024" is not supported: use one of rsa-2048, .*ed25519/);
      return true;
    });
  });

  it('fails when two public keys that must match differ', async () => {
    const [a, b] = await Promise.all([generateKey('ecdsa-p256'), generateKey('rsa-2048')]);
    assert.throws(
      () => assertPublicKeysEqual(a.publicKey, b.publicKey, 'the certificate and the request'),
      (error: unknown) => {
        assert.ok(PkiError.isPkiError(error, 'key-mismatch'));
        assert.match(error.message, /^the certificate and the request have different public keys/);
        assert.match(error.message, /expected ecdsa P-256, found rsa 2048 bits/);
        return true;
      },
    );
  });

  it('fails when publicKeysEqual is given a secret key', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    assert.throws(
      () => publicKeysEqual(publicKey, createSecretKey(Buffer.alloc(32))),
      (error: unknown) => PkiError.isPkiError(error, 'unsupported-key'),
    );
  });

  it('fails when describePublicKey is given a key type it cannot show (x25519)', () => {
    const { publicKey } = generateKeyPairSync('x25519');
    assert.throws(
      () => describePublicKey(publicKey),
      (error: unknown) => PkiError.isPkiError(error, 'unsupported-key') && /type x25519/.test(error.message),
    );
  });
});

describe('PkiError', () => {
  it('GIVEN a PkiError WHEN checked with isPkiError THEN the brand and code are recognised', () => {
    const error = new PkiError('bad-signature', 'x', { cause: new Error('inner') });
    assert.equal(PkiError.isPkiError(error), true);
    assert.equal(PkiError.isPkiError(error, 'bad-signature'), true);
    assert.equal(PkiError.isPkiError(error, 'empty-input'), false);
    assert.equal(PkiError.isPkiError(new Error('x')), false);
    assert.equal(PkiError.isPkiError(null), false);
    assert.equal(error.name, 'PkiError');
    assert.ok(error instanceof Error);
    assert.equal((error.cause as Error).message, 'inner');
  });
});
