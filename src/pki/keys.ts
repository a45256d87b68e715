import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { PkiError } from './errors.js';

/** Key algorithms this package generates and signs requests with. */
export type KeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'ed25519';

/** Every {@link KeyType}, strongest-compatible first within each family. */
export const KEY_TYPES: readonly KeyType[] = [
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ecdsa-p256',
  'ecdsa-p384',
  'ecdsa-p521',
  'ed25519',
];

/** A freshly generated key pair. */
export interface GeneratedKey {
  /** The type it was generated as. */
  readonly keyType: KeyType;
  /** The private key. Keep it in memory or in an ephemeral value; never send it to the cluster. */
  readonly privateKey: KeyObject;
  /** The public key. */
  readonly publicKey: KeyObject;
  /** The private key as an unencrypted PKCS#8 PEM (label `PRIVATE KEY`), as kubeconfig expects it. */
  readonly privateKeyPem: string;
}

/** The public key algorithm, size and curve of a key, as shown to people. */
export interface PublicKeyInfo {
  /** Algorithm family. */
  readonly algorithm: 'rsa' | 'ecdsa' | 'ed25519' | 'ed448';
  /** Key size in bits: the modulus length for RSA, the field size for ECDSA; absent for EdDSA. */
  readonly bits?: number;
  /** NIST curve name for ECDSA (`P-224`, `P-256`, `P-384`, `P-521`), else OpenSSL's curve name; absent otherwise. */
  readonly curve?: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

const CURVES: Readonly<Record<string, { readonly name: string; readonly bits: number }>> = {
  secp224r1: { name: 'P-224', bits: 224 },
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
};

/**
 * Generates a key pair with Node's native, asynchronous `crypto.generateKeyPair` (RSA keys use exponent 65537).
 *
 * @param keyType - one of {@link KEY_TYPES}
 * @throws PkiError `unsupported-key` when `keyType` is not one of {@link KEY_TYPES}
 */
export async function generateKey(keyType: KeyType): Promise<GeneratedKey> {
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  switch (keyType) {
    case 'rsa-2048':
    case 'rsa-3072':
    case 'rsa-4096':
      pair = await generateKeyPairAsync('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001 });
      break;
    case 'ecdsa-p256':
    case 'ecdsa-p384':
    case 'ecdsa-p521':
      pair = await generateKeyPairAsync('ec', { namedCurve: `P-${keyType.slice(7)}` });
      break;
    case 'ed25519':
      pair = await generateKeyPairAsync('ed25519');
      break;
    default:
      throw new PkiError(
        'unsupported-key',
        `key type ${JSON.stringify(String(keyType))} is not supported: use one of ${KEY_TYPES.join(', ')}`,
      );
  }
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keyType, privateKey: pair.privateKey, publicKey: pair.publicKey, privateKeyPem };
}

/**
 * Describes the algorithm, size and curve of a public (or private) key.
 *
 * @throws PkiError `unsupported-key` for key types other than RSA, ECDSA, Ed25519 and Ed448 (DSA, RSA-PSS-only,
 * X25519, secret keys...)
 */
export function describePublicKey(key: KeyObject): PublicKeyInfo {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return details.modulusLength === undefined
        ? { algorithm: 'rsa' }
        : { algorithm: 'rsa', bits: details.modulusLength };
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      const known = CURVES[curve];
      return known ? { algorithm: 'ecdsa', bits: known.bits, curve: known.name } : { algorithm: 'ecdsa', curve };
    }
    case 'ed25519':
      return { algorithm: 'ed25519' };
    case 'ed448':
      return { algorithm: 'ed448' };
    default:
      throw new PkiError(
        'unsupported-key',
        `the key is of type ${key.type === 'secret' ? 'secret' : String(key.asymmetricKeyType)}, which is not ` +
          'supported: use an RSA, ECDSA (P-256, P-384, P-521) or Ed25519 key',
      );
  }
}

/** The SPKI DER of a public key, or of the public half of a private key. */
function spki(key: KeyObject, what: string): Buffer {
  if (!(key instanceof KeyObject) || key.type === 'secret') {
    throw new PkiError('unsupported-key', `${what} must be an asymmetric public or private KeyObject`);
  }
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/**
 * Whether two keys have the same public key, comparing their SubjectPublicKeyInfo DER. A private key stands for its
 * public half, so `publicKeysEqual(privateKey, certificate.x509.publicKey)` checks that a certificate belongs to a key.
 *
 * @throws PkiError `unsupported-key` when either argument is not an asymmetric KeyObject
 */
export function publicKeysEqual(a: KeyObject, b: KeyObject): boolean {
  return spki(a, 'the first key').equals(spki(b, 'the second key'));
}

/**
 * Throws unless two keys have the same public key; `what` names the pair in the message, e.g.
 * `'the issued certificate and the request'`.
 *
 * @throws PkiError `key-mismatch`
 */
export function assertPublicKeysEqual(expected: KeyObject, actual: KeyObject, what = 'the two keys'): void {
  if (!publicKeysEqual(expected, actual)) {
    const show = (k: KeyObject): string => {
      const info = describePublicKey(k);
      return [info.algorithm, info.curve ?? (info.bits === undefined ? '' : `${info.bits} bits`)]
        .filter(Boolean)
        .join(' ');
    };
    throw new PkiError(
      'key-mismatch',
      `${what} have different public keys (expected ${show(expected)}, found ${show(actual)}): the certificate was ` +
        'issued for another key; use the private key that signed the request',
    );
  }
}

/**
 * Turns the `privateKey` parameter (a KeyObject or a PEM string) into a private KeyObject.
 *
 * @internal
 */
export function toPrivateKey(privateKey: KeyObject | string): KeyObject {
  if (privateKey instanceof KeyObject) {
    if (privateKey.type !== 'private') {
      throw new PkiError(
        'invalid-private-key',
        `privateKey is a ${privateKey.type} key: pass the private key the request is to be signed with`,
      );
    }
    return privateKey;
  }
  if (typeof privateKey !== 'string') {
    throw new PkiError(
      'invalid-private-key',
      `privateKey must be a KeyObject or a PEM string but is ${typeof privateKey}`,
    );
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(privateKey)) {
    throw new PkiError(
      'invalid-private-key',
      'privateKey is a string without a -----BEGIN ... PRIVATE KEY----- line: pass a PEM private key ' +
        '(PKCS#8, PKCS#1 or SEC1) or a KeyObject',
    );
  }
  try {
    return createPrivateKey({ key: privateKey, format: 'pem' });
  } catch (error) {
    // Node's message names the OpenSSL reason, never the key; still, keep our own words in front.
    throw new PkiError(
      'invalid-private-key',
      'privateKey could not be read as an unencrypted PEM private key (is it encrypted or damaged?): pass an ' +
        'unencrypted PKCS#8, PKCS#1 or SEC1 PEM, or decrypt it first (openssl pkey -in key.pem -out plain.pem)',
      { cause: error },
    );
  }
}
