import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { build, children, content, decodeAsn1, elements, encodeAsn1, oid, readOuter, slice, TAG } from './der.js';
import type { Tlv } from './der.js';
import { PkiError } from './errors.js';
import { decodeExtensionList } from './extensions.js';
import type { RequestedExtensions } from './extensions.js';
import { describePublicKey, toPrivateKey } from './keys.js';
import type { PublicKeyInfo } from './keys.js';
import { decodeName, encodeSubject } from './names.js';
import type { DistinguishedName } from './names.js';
import { OID } from './oids.js';
import { checkSize, decodePem, encodePem, MAX_CERTIFICATE_REQUEST_BYTES } from './pem.js';
import type { PemExpectation } from './pem.js';
import { emptySans, encodeSans } from './san.js';
import type { SubjectAltNames } from './san.js';
import { checkSignature, encodeAlgorithmIdentifier, signData, signingAlgorithmFor } from './signature.js';
import type { SignatureCheck } from './signature.js';

/** The PEM label of a PKCS#10 request, exactly as kube-apiserver requires it in `spec.request`. */
export const CERTIFICATE_REQUEST_PEM_LABEL = 'CERTIFICATE REQUEST';

const REQUEST: PemExpectation = {
  label: CERTIFICATE_REQUEST_PEM_LABEL,
  maxBytes: MAX_CERTIFICATE_REQUEST_BYTES,
  allowMultiple: false,
  noun: 'certificate signing request',
};

/** Parameters of {@link createCertificateRequest}. */
export interface CertificateRequestParams {
  /**
   * The private key that signs the request: a KeyObject, or an unencrypted PEM (PKCS#8 `PRIVATE KEY`, PKCS#1
   * `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY`). RSA (at least 2048 bits), ECDSA P-224/P-256/P-384/P-521 or Ed25519.
   */
  readonly privateKey: KeyObject | string;
  /** Subject common name (`CN`). For the kube-apiserver-client signers this is the Kubernetes user name. */
  readonly commonName: string;
  /**
   * Subject organizations (`O`), one RDN each. For the kube-apiserver-client signers these are the groups.
   * @default - none
   */
  readonly organizations?: readonly string[];
  /**
   * DNS subject alternative names, e.g. for `kubernetes.io/kubelet-serving`.
   * @default - none
   */
  readonly dnsNames?: readonly string[];
  /**
   * IP subject alternative names (IPv4 or IPv6 text).
   * @default - none
   */
  readonly ipAddresses?: readonly string[];
  /**
   * URI subject alternative names (absolute, ASCII), e.g. SPIFFE IDs.
   * @default - none
   */
  readonly uris?: readonly string[];
  /**
   * Email subject alternative names.
   * @default - none
   */
  readonly emailAddresses?: readonly string[];
}

/** A decoded PKCS#10 certificate signing request. */
export interface ParsedCertificateRequest {
  /** The request re-armoured as one canonical PEM block (LF endings, 64-character lines, no surrounding text). */
  readonly pem: string;
  /** The DER of the request, exactly as received. */
  readonly der: Buffer;
  /** The subject. */
  readonly subject: DistinguishedName;
  /** SANs from the extensionRequest attribute; empty lists when there is none. */
  readonly subjectAltNames: SubjectAltNames;
  /** basicConstraints, keyUsage and extKeyUsage from the extensionRequest attribute, when the request asks for them. */
  readonly requestedExtensions: RequestedExtensions;
  /** The public key the certificate will be issued for. */
  readonly publicKey: KeyObject;
  /** Algorithm, size and curve of {@link ParsedCertificateRequest.publicKey}. */
  readonly publicKeyInfo: PublicKeyInfo;
  /** OpenSSL's name of the signature algorithm (e.g. `ecdsa-with-SHA256`), or the dotted OID when unknown. */
  readonly signatureAlgorithm: string;
  /** Whether the self-signature verifies with {@link ParsedCertificateRequest.publicKey}. */
  readonly signatureValid: boolean;
}

/**
 * Builds and signs a PKCS#10 certificate signing request (RFC 2986) and returns it as a PEM
 * `CERTIFICATE REQUEST` block, ready for `spec.request`.
 *
 * The subject holds one `O` per organization, then `CN` (UTF8String values). SANs go into an extensionRequest
 * attribute (a non-critical subjectAltName extension); without SANs the attribute set is empty. The signature
 * algorithm follows the key: RSA sha256WithRSAEncryption, P-224 and P-256 ecdsa-with-SHA256, P-384
 * ecdsa-with-SHA384, P-521 ecdsa-with-SHA512, Ed25519 ED25519.
 *
 * @throws PkiError `invalid-private-key`, `unsupported-key`, `invalid-subject` or `invalid-san`
 */
export function createCertificateRequest(params: CertificateRequestParams): string {
  const privateKey = toPrivateKey(params.privateKey);
  const algorithm = signingAlgorithmFor(privateKey);
  const subject = encodeSubject(params.commonName, params.organizations);
  const sans = encodeSans(params);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const attributes = sans
    ? [
        build.sequence([
          build.oid(OID.extensionRequest),
          build.set([build.sequence([build.sequence([build.oid(OID.subjectAltName), build.octetString(sans)])])]),
        ]),
      ]
    : [];
  const info = encodeAsn1(
    build.sequence([
      build.integer(0),
      subject,
      build.raw(spki, 'the public key'),
      build.contextConstructed(0, attributes),
    ]),
  );
  const signature = signData(info, privateKey, algorithm);
  const der = encodeAsn1(
    build.sequence([
      build.raw(info, 'the request info'),
      encodeAlgorithmIdentifier(algorithm),
      build.bitString(signature),
    ]),
  );
  return encodePem(CERTIFICATE_REQUEST_PEM_LABEL, der);
}

/** Splits the DER of a request into the parts the rest of the parser needs. */
function frame(der: Buffer): { info: Tlv; algorithm: Tlv; signature: Tlv; fields: Tlv[] } {
  const what = 'the certificate signing request';
  const outer = readOuter(der, TAG.SEQUENCE, what);
  const [info, algorithm, signature, ...rest] = children(der, outer, what);
  if (
    info?.tag !== TAG.SEQUENCE ||
    algorithm?.tag !== TAG.SEQUENCE ||
    signature?.tag !== TAG.BIT_STRING ||
    rest.length > 0
  ) {
    throw new PkiError(
      'malformed-der',
      `${what} must be a SEQUENCE of request info, signature algorithm and signature BIT STRING: this DER is ` +
        'another kind of object',
    );
  }
  const fields = children(der, info, `${what} info`);
  const [version, subject, spki, attributes] = fields;
  if (
    version?.tag !== TAG.INTEGER ||
    subject?.tag !== TAG.SEQUENCE ||
    spki?.tag !== TAG.SEQUENCE ||
    (attributes !== undefined && attributes.tag !== TAG.CONTEXT_0_CONSTRUCTED) ||
    fields.length > 4
  ) {
    throw new PkiError(
      'malformed-der',
      `${what} info must hold version, subject, public key and [0] attributes: this DER is not a PKCS#10 request`,
    );
  }
  return { info, algorithm, signature, fields };
}

/** The subjectAltNames and the other extensions of the request's extensionRequest attribute. */
function decodeRequestExtensions(
  der: Buffer,
  attributes: Tlv | undefined,
): { subjectAltNames: SubjectAltNames; requestedExtensions: RequestedExtensions } {
  let subjectAltNames = emptySans();
  const requested: { isCa?: boolean; keyUsages?: string[]; extendedKeyUsages?: string[] } = {};
  if (attributes === undefined) {
    return { subjectAltNames, requestedExtensions: requested };
  }
  const what = 'the request attributes';
  const node = decodeAsn1(slice(der, attributes), what);
  for (const attribute of elements(node, what)) {
    const [type, values] = elements(attribute, what);
    if (type === undefined || values === undefined || oid(type, what) !== OID.extensionRequest) {
      continue;
    }
    for (const extensions of elements(values, what)) {
      const found = decodeExtensionList(extensions, what, (name) =>
        name === 'subjectAltName' ? 'the subjectAltName extension' : `the requested ${name} extension`,
      );
      subjectAltNames = found.subjectAltNames ?? subjectAltNames;
      if (found.isCa !== undefined) requested.isCa = found.isCa;
      if (found.keyUsages !== undefined) requested.keyUsages = [...found.keyUsages];
      if (found.extendedKeyUsages !== undefined) requested.extendedKeyUsages = [...found.extendedKeyUsages];
    }
  }
  return { subjectAltNames, requestedExtensions: requested };
}

function publicKeyFromSpki(spki: Buffer, what: string): KeyObject {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    throw new PkiError(
      'unsupported-key',
      `${what} holds a public key that cannot be read (unknown algorithm or damaged): use an RSA, ECDSA or ` +
        'Ed25519 key',
      { cause: error },
    );
  }
}

/** Decodes the request and checks its signature; shared by parse and verify. */
function parse(input: string | Buffer): { parsed: ParsedCertificateRequest; check: SignatureCheck } {
  let der: Buffer;
  if (Buffer.isBuffer(input) && input[0] === 0x30 && !input.includes('-----BEGIN ')) {
    checkSize(input, REQUEST);
    der = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const [block] = decodePem(typeof input === 'string' ? input : input.toString('utf8'), REQUEST);
    der = block?.der ?? Buffer.alloc(0);
  } else {
    throw new PkiError('empty-input', `expected a PEM string or a Buffer but received ${typeof input}`);
  }
  const what = 'the certificate signing request';
  const { info, algorithm, signature, fields } = frame(der);
  const [, subjectTlv, spkiTlv, attributesTlv] = fields;
  const subject = decodeName(decodeAsn1(slice(der, subjectTlv), `${what} subject`), `${what} subject`);
  const publicKey = publicKeyFromSpki(slice(der, spkiTlv), what);
  const publicKeyInfo = describePublicKey(publicKey);
  const { subjectAltNames, requestedExtensions } = decodeRequestExtensions(der, attributesTlv);
  const bitString = content(der, signature);
  if (bitString[0] !== 0) {
    throw new PkiError('malformed-der', `${what}: the signature BIT STRING has unused bits; it is damaged`);
  }
  const check = checkSignature(
    decodeAsn1(slice(der, algorithm), `${what} signature algorithm`),
    bitString.subarray(1),
    slice(der, info),
    publicKey,
    what,
  );
  const parsed: ParsedCertificateRequest = {
    pem: encodePem(CERTIFICATE_REQUEST_PEM_LABEL, der),
    der,
    subject,
    subjectAltNames,
    requestedExtensions,
    publicKey,
    publicKeyInfo,
    signatureAlgorithm: check.name,
    signatureValid: check.valid,
  };
  return { parsed, check };
}

/**
 * Parses a certificate signing request without judging its signature (see
 * {@link ParsedCertificateRequest.signatureValid}; use {@link verifyCertificateRequest} to require it).
 *
 * Accepts what kube-apiserver accepts in `spec.request`, and is stricter where that would hide a mistake:
 * - a string (or a Buffer of PEM text) with exactly one PEM block labelled `CERTIFICATE REQUEST`; LF or CRLF line
 *   endings; text before and after the block is ignored; a BEGIN line must start a line;
 * - the legacy label `NEW CERTIFICATE REQUEST` is rejected (`legacy-pem-label`), as kube-apiserver rejects it;
 * - PEM headers, a second block of any kind and inputs over {@link MAX_CERTIFICATE_REQUEST_BYTES} are rejected;
 * - a Buffer that starts with an ASN.1 SEQUENCE byte (0x30) and has no BEGIN line is read as DER.
 *
 * @param input - PEM text, or a Buffer of PEM text or of DER
 * @throws PkiError for unreadable input (`empty-input`, `oversized-input`, `no-pem-armor`, `malformed-pem`,
 * `wrong-pem-label`, `legacy-pem-label`, `pem-headers`, `bad-base64`, `multiple-blocks`, `truncated-der`,
 * `malformed-der`, `unsupported-key`)
 */
export function parseCertificateRequest(input: string | Buffer): ParsedCertificateRequest {
  return parse(input).parsed;
}

/**
 * Parses a certificate signing request and requires what kube-apiserver's validation requires: a valid
 * self-signature with an algorithm and key Go's crypto/x509 supports. So Ed448, MD5, RSA-PSS over SHA-1, ECDSA
 * curves other than P-224/P-256/P-384/P-521 and RSA keys under 1024 bits fail here even when the signature verifies.
 *
 * @param input - as for {@link parseCertificateRequest}
 * @throws PkiError as {@link parseCertificateRequest}, plus `bad-signature` and `unsupported-signature-algorithm`
 */
export function verifyCertificateRequest(input: string | Buffer): ParsedCertificateRequest {
  const { parsed, check } = parse(input);
  if (check.problem) {
    throw check.problem;
  }
  if (!check.valid) {
    throw new PkiError(
      'bad-signature',
      `the certificate signing request's ${check.name} signature does not verify with its own public key: the ` +
        'request was altered after signing or is damaged; create and sign it again',
    );
  }
  const { algorithm, curve } = parsed.publicKeyInfo;
  if (algorithm === 'ecdsa' && !['P-224', 'P-256', 'P-384', 'P-521'].includes(curve ?? '')) {
    throw new PkiError(
      'unsupported-key',
      `the request's ECDSA key is on curve ${curve ?? 'unknown'}, which kube-apiserver (go crypto/x509) rejects: ` +
        'use P-256, P-384 or P-521',
    );
  }
  if (algorithm === 'rsa' && (parsed.publicKeyInfo.bits ?? 0) < 1024) {
    throw new PkiError(
      'unsupported-key',
      `the request's RSA key has ${parsed.publicKeyInfo.bits ?? 0} bits, and kube-apiserver rejects RSA keys under ` +
        '1024 bits: use a key of 2048 bits or more',
    );
  }
  return parsed;
}
