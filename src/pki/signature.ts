import { constants, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type forge from 'node-forge';
import { build, bytes, elements, oid } from './der.js';
import { PkiError } from './errors.js';
import { describePublicKey } from './keys.js';
import { HASH_ALGORITHMS, OID, SIGNATURE_ALGORITHMS } from './oids.js';

/** The signature algorithm a private key signs requests with. @internal */
export interface SigningAlgorithm {
  readonly oid: string;
  /** OpenSSL's name. */
  readonly name: string;
  /** Digest for crypto.sign; null for Ed25519. */
  readonly hash: string | null;
}

/**
 * Picks the signature algorithm for a key, as Go's x509 and OpenSSL do: RSA sha256WithRSAEncryption; ECDSA
 * P-224 and P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512; Ed25519 pure.
 *
 * @throws PkiError `unsupported-key` for other key types and curves, and for RSA keys under 2048 bits
 * @internal
 */
export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  const info = describePublicKey(key);
  switch (info.algorithm) {
    case 'rsa':
      if ((info.bits ?? 0) < 2048) {
        throw new PkiError(
          'unsupported-key',
          `the RSA key has ${info.bits ?? 'an unknown number of'} bits; at least 2048 are required: generate a ` +
            'new key (rsa-2048, rsa-3072 or rsa-4096)',
        );
      }
      return { oid: OID.sha256WithRSAEncryption, name: 'sha256WithRSAEncryption', hash: 'sha256' };
    case 'ecdsa':
      switch (info.curve) {
        case 'P-224':
        case 'P-256':
          return { oid: OID.ecdsaWithSha256, name: 'ecdsa-with-SHA256', hash: 'sha256' };
        case 'P-384':
          return { oid: OID.ecdsaWithSha384, name: 'ecdsa-with-SHA384', hash: 'sha384' };
        case 'P-521':
          return { oid: OID.ecdsaWithSha512, name: 'ecdsa-with-SHA512', hash: 'sha512' };
        default:
          throw new PkiError(
            'unsupported-key',
            `the ECDSA key is on curve ${info.curve ?? 'unknown'}, which kube-apiserver cannot verify: use P-256, ` +
              'P-384 or P-521',
          );
      }
    case 'ed25519':
      return { oid: OID.ed25519, name: 'ED25519', hash: null };
    default:
      throw new PkiError(
        'unsupported-key',
        `${info.algorithm} keys are not accepted by kube-apiserver (go crypto/x509): use RSA, ECDSA or Ed25519`,
      );
  }
}

/** The AlgorithmIdentifier of a signing algorithm: RSA with NULL parameters, ECDSA and EdDSA without. @internal */
export function encodeAlgorithmIdentifier(algorithm: SigningAlgorithm): forge.asn1.Asn1 {
  return algorithm.oid === OID.sha256WithRSAEncryption
    ? build.sequence([build.oid(algorithm.oid), build.null()])
    : build.sequence([build.oid(algorithm.oid)]);
}

/** Signs `data` (ECDSA signatures in DER form, as X.509 wants them). @internal */
export function signData(data: Buffer, key: KeyObject, algorithm: SigningAlgorithm): Buffer {
  return sign(algorithm.hash, data, { key, dsaEncoding: 'der' });
}

/** Outcome of checking a signature. @internal */
export interface SignatureCheck {
  /** OpenSSL's name of the algorithm, or its dotted OID when unknown. */
  readonly name: string;
  /** Whether the signature verifies. */
  readonly valid: boolean;
  /** Why it could not be checked or is not acceptable, when that is the reason it is not valid. */
  readonly problem?: PkiError;
}

interface PssParameters {
  readonly hash: string;
  readonly saltLength: number;
}

function decodePssParameters(params: forge.asn1.Asn1 | undefined, what: string): PssParameters {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  if (params !== undefined && Array.isArray(params.value)) {
    for (const field of params.value) {
      const [inner] = elements(field, what);
      if (inner === undefined) {
        continue;
      }
      switch (field.type as number) {
        case 0: {
          const [hashOid] = elements(inner, what);
          hash = hashOid ? (HASH_ALGORITHMS[oid(hashOid, what)] ?? 'unknown') : hash;
          break;
        }
        case 1: {
          const [mgfOid, mgfParams] = elements(inner, what);
          const [mgfHashOid] = mgfParams ? elements(mgfParams, what) : [];
          if (mgfOid === undefined || oid(mgfOid, what) !== OID.mgf1 || mgfHashOid === undefined) {
            mgfHash = 'unknown';
          } else {
            mgfHash = HASH_ALGORITHMS[oid(mgfHashOid, what)] ?? 'unknown';
          }
          break;
        }
        case 2:
          saltLength = bytes(inner, what).reduce((n, b) => n * 256 + b, 0);
          break;
        default:
          break;
      }
    }
  }
  if (hash === 'unknown' || mgfHash !== hash) {
    throw new PkiError(
      'unsupported-signature-algorithm',
      `${what}: only RSASSA-PSS with SHA-1/256/384/512 and MGF1 over the same hash is supported`,
    );
  }
  return { hash, saltLength };
}

/**
 * Checks `signature` over `data` with `publicKey`, for the AlgorithmIdentifier `algorithm`. Never throws for a
 * bad or uncheckable signature; reports it instead.
 *
 * @internal
 */
export function checkSignature(
  algorithm: forge.asn1.Asn1,
  signature: Buffer,
  data: Buffer,
  publicKey: KeyObject,
  what: string,
): SignatureCheck {
  const [algOid, params] = elements(algorithm, `${what} signature algorithm`);
  if (algOid === undefined) {
    throw new PkiError('malformed-der', `${what}: the signature algorithm identifier is empty`);
  }
  const dotted = oid(algOid, `${what} signature algorithm`);
  const keyType = publicKey.asymmetricKeyType;
  if (dotted === OID.rsassaPss) {
    const name = 'rsassaPss';
    let pss: PssParameters;
    try {
      pss = decodePssParameters(params, `${what} rsassaPss parameters`);
    } catch (error) {
      if (PkiError.isPkiError(error)) {
        return { name, valid: false, problem: error };
      }
      throw error;
    }
    if (keyType !== 'rsa' && keyType !== 'rsa-pss') {
      return { name, valid: false, problem: mismatch(what, name, publicKey) };
    }
    if (pss.hash === 'sha1') {
      return {
        name,
        valid: false,
        problem: new PkiError(
          'unsupported-signature-algorithm',
          `${what} is signed with RSASSA-PSS over SHA-1, which kube-apiserver rejects: use SHA-256 or stronger`,
        ),
      };
    }
    const valid = verify(
      pss.hash,
      data,
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
      signature,
    );
    return { name, valid };
  }
  const spec = SIGNATURE_ALGORITHMS[dotted];
  if (spec === undefined) {
    return {
      name: dotted,
      valid: false,
      problem: new PkiError(
        'unsupported-signature-algorithm',
        `${what} is signed with the unknown algorithm ${dotted}: sign it with sha256WithRSAEncryption, ` +
          'ecdsa-with-SHA256/384/512 or ED25519',
      ),
    };
  }
  if (spec.keyType !== keyType) {
    return { name: spec.name, valid: false, problem: mismatch(what, spec.name, publicKey) };
  }
  let valid: boolean;
  try {
    valid = verify(spec.hash, data, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch (error) {
    return {
      name: spec.name,
      valid: false,
      problem: new PkiError('unsupported-signature-algorithm', `${what}: ${spec.name} cannot be checked here`, {
        cause: error,
      }),
    };
  }
  if (valid && !spec.acceptedByKubernetes) {
    return {
      name: spec.name,
      valid,
      problem: new PkiError(
        'unsupported-signature-algorithm',
        `${what} is signed with ${spec.name}, which kube-apiserver (go crypto/x509) rejects: sign it with ` +
          'sha256WithRSAEncryption, ecdsa-with-SHA256/384/512 or ED25519',
      ),
    };
  }
  return { name: spec.name, valid };
}

function mismatch(what: string, name: string, publicKey: KeyObject): PkiError {
  return new PkiError(
    'bad-signature',
    `${what} claims a ${name} signature but its public key is ${String(publicKey.asymmetricKeyType)}: the ` +
      'request was assembled from mismatched parts; create it again',
  );
}
