import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { bytes, children, decodeAsn1, elements, oid, readOuter, slice, TAG } from './der.js';
import type { Tlv } from './der.js';
import { PkiError } from './errors.js';
import { describePublicKey } from './keys.js';
import type { PublicKeyInfo } from './keys.js';
import { decodeName } from './names.js';
import type { DistinguishedName } from './names.js';
import { decodeExtensionList, type DecodedExtensionName } from './extensions.js';
import { OID, SIGNATURE_ALGORITHMS } from './oids.js';
import { decodePem, encodePem, MAX_CERTIFICATE_CHAIN_BYTES } from './pem.js';
import type { PemExpectation } from './pem.js';
import { emptySans } from './san.js';
import type { SubjectAltNames } from './san.js';

const CERTIFICATE_EXTENSIONS: ReadonlySet<DecodedExtensionName> = new Set([
  'subjectAltName',
  'keyUsage',
  'extKeyUsage',
]);

/** The PEM label of an X.509 certificate. */
export const CERTIFICATE_PEM_LABEL = 'CERTIFICATE';

/** A decoded X.509 certificate. */
export interface ParsedCertificate {
  /** The certificate as one canonical PEM block. */
  readonly pem: string;
  /** Node's view of the certificate (verify, checkIssued, checkHost...). */
  readonly x509: X509Certificate;
  /** The subject. */
  readonly subject: DistinguishedName;
  /** The issuer (its `text` is the RFC 4514 form). */
  readonly issuer: DistinguishedName;
  /** Subject alternative names; empty lists when the extension is absent. */
  readonly subjectAltNames: SubjectAltNames;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. Signers may issue a different lifetime than `spec.expirationSeconds` asked for. */
  readonly notAfter: Date;
  /** Serial number, uppercase hex without separators (as Node prints it). */
  readonly serialNumber: string;
  /** SHA-256 fingerprint of the DER, uppercase hex pairs separated by colons (as OpenSSL prints it). */
  readonly fingerprintSha256: string;
  /** Key usages in the words of Kubernetes `spec.usages` (`digital signature`, `key encipherment`...). */
  readonly keyUsages: string[];
  /** Extended key usages in the words of Kubernetes (`client auth`, `server auth`...); unknown ones as dotted OIDs. */
  readonly extendedKeyUsages: string[];
  /** Whether basicConstraints says CA:TRUE. */
  readonly isCa: boolean;
  /** Algorithm, size and curve of the public key. */
  readonly publicKeyInfo: PublicKeyInfo;
  /** OpenSSL's name of the signature algorithm, or its dotted OID. */
  readonly signatureAlgorithm: string;
}

/** A certificate as delivered in `status.certificate`: the issued certificate, then intermediates. */
export interface CertificateChain {
  /** The first block: the issued certificate. */
  readonly leaf: ParsedCertificate;
  /** The following blocks, in order: the intermediates of the TLS chain. */
  readonly intermediates: ParsedCertificate[];
}

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /**
   * The instant at which every certificate must be valid.
   * @default - now
   */
  readonly now?: Date;
}

const CHAIN: PemExpectation = {
  label: CERTIFICATE_PEM_LABEL,
  maxBytes: MAX_CERTIFICATE_CHAIN_BYTES,
  allowMultiple: true,
  noun: 'certificate',
};

function decodeTime(node: forge.asn1.Asn1, what: string): Date {
  const text = bytes(node, what).toString('latin1');
  if (node.type === forge.asn1.Type.UTCTIME) {
    return forge.asn1.utcTimeToDate(text);
  }
  if (node.type === forge.asn1.Type.GENERALIZEDTIME) {
    return forge.asn1.generalizedTimeToDate(text);
  }
  throw new PkiError('malformed-der', `${what}: a validity time is neither UTCTime nor GeneralizedTime`);
}

/**
 * Parses one DER certificate.
 *
 * @internal
 */
export function parseCertificateDer(der: Buffer, what: string): ParsedCertificate {
  const outer = readOuter(der, TAG.SEQUENCE, what);
  const [tbs, algorithm] = children(der, outer, what);
  if (tbs?.tag !== TAG.SEQUENCE || algorithm?.tag !== TAG.SEQUENCE) {
    throw new PkiError('malformed-der', `${what} is not an X.509 certificate: its DER has the wrong shape`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (error) {
    throw new PkiError('malformed-der', `${what} is not a readable X.509 certificate`, { cause: error });
  }
  const fields: Tlv[] = children(der, tbs, what);
  const offset = fields[0]?.tag === TAG.CONTEXT_0_CONSTRUCTED ? 1 : 0;
  const [, , issuerTlv, validityTlv, subjectTlv] = fields.slice(offset);
  if (issuerTlv === undefined || validityTlv === undefined || subjectTlv === undefined) {
    throw new PkiError('malformed-der', `${what} is missing its issuer, validity or subject`);
  }
  const [notBeforeNode, notAfterNode] = elements(decodeAsn1(slice(der, validityTlv), what), what);
  if (notBeforeNode === undefined || notAfterNode === undefined) {
    throw new PkiError('malformed-der', `${what}: the validity has no notBefore or notAfter`);
  }
  const extensionsTlv = fields.find((f) => f.tag === 0xa3);
  const [list] = extensionsTlv ? elements(decodeAsn1(slice(der, extensionsTlv), what), what) : [];
  // basicConstraints is not decoded here: isCa comes from X509Certificate, which has read it already.
  const extensions = list ? decodeExtensionList(list, what, (name) => `${what} ${name}`, CERTIFICATE_EXTENSIONS) : {};
  const [algOid] = elements(decodeAsn1(slice(der, algorithm), what), what);
  const algDotted = algOid ? oid(algOid, what) : '';
  return {
    pem: encodePem(CERTIFICATE_PEM_LABEL, der),
    x509,
    subject: decodeName(decodeAsn1(slice(der, subjectTlv), `${what} subject`), `${what} subject`),
    issuer: decodeName(decodeAsn1(slice(der, issuerTlv), `${what} issuer`), `${what} issuer`),
    subjectAltNames: extensions.subjectAltNames ?? emptySans(),
    notBefore: decodeTime(notBeforeNode, what),
    notAfter: decodeTime(notAfterNode, what),
    serialNumber: x509.serialNumber,
    fingerprintSha256: x509.fingerprint256,
    keyUsages: [...(extensions.keyUsages ?? [])],
    extendedKeyUsages: [...(extensions.extendedKeyUsages ?? [])],
    isCa: x509.ca,
    publicKeyInfo: describePublicKey(x509.publicKey),
    signatureAlgorithm:
      algDotted === OID.rsassaPss ? 'rsassaPss' : (SIGNATURE_ALGORITHMS[algDotted]?.name ?? algDotted),
  };
}

/** Parses every CERTIFICATE block of `input`. @internal */
export function parseCertificates(input: string, what: string): ParsedCertificate[] {
  if (typeof input !== 'string') {
    throw new PkiError('empty-input', `expected ${what} as a PEM string but received ${typeof input}`);
  }
  const blocks = decodePem(input, CHAIN);
  return blocks.map((block, index) =>
    parseCertificateDer(
      block.der,
      blocks.length > 1 ? `certificate ${index + 1} (line ${block.line})` : 'the certificate',
    ),
  );
}

/**
 * Parses a certificate chain with the semantics of a CSR's `status.certificate`: one or more PEM blocks, all
 * labelled `CERTIFICATE`, none with PEM headers; non-PEM text before, between and after the blocks is allowed
 * (RFC 7468 section 5.2); LF or CRLF. The first block is the issued certificate, the rest are intermediates.
 * Inputs over {@link MAX_CERTIFICATE_CHAIN_BYTES} are rejected. Each block must hold exactly one certificate.
 *
 * @throws PkiError `empty-input`, `oversized-input`, `no-pem-armor`, `malformed-pem`, `wrong-pem-label`,
 * `pem-headers`, `bad-base64`, `truncated-der`, `malformed-der` or `unsupported-key`
 */
export function parseCertificateChain(input: string): CertificateChain {
  const [leaf, ...intermediates] = parseCertificates(input, 'the certificate chain');
  if (leaf === undefined) {
    throw new PkiError('no-pem-armor', 'the certificate chain holds no certificate');
  }
  return { leaf, intermediates };
}

function label(cert: ParsedCertificate): string {
  return cert.subject.text === '' ? '(empty subject)' : JSON.stringify(cert.subject.text);
}

function checkValidity(cert: ParsedCertificate, position: string, now: Date): void {
  if (now.getTime() < cert.notBefore.getTime()) {
    throw new PkiError(
      'certificate-not-yet-valid',
      `${position} ${label(cert)} is not valid before ${cert.notBefore.toISOString()} (now ` +
        `${now.toISOString()}): check the clock of this machine and of the signer`,
    );
  }
  if (now.getTime() > cert.notAfter.getTime()) {
    throw new PkiError(
      'certificate-expired',
      `${position} ${label(cert)} expired at ${cert.notAfter.toISOString()} (now ${now.toISOString()}): ` +
        'request a new certificate',
    );
  }
}

function issued(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  return parent.isCa && child.x509.checkIssued(parent.x509) && child.x509.verify(parent.x509.publicKey);
}

/**
 * Verifies a chain: each certificate is issued and signed by the next one, which must be a CA; every certificate
 * is valid at `options.now`; and, when `caBundlePem` is given, the last certificate of the chain is in the bundle or
 * was issued and signed by a CA certificate of the bundle (which must be valid too). Without a bundle only the links
 * inside the chain are checked: that proves nothing about trust.
 *
 * Key usages and extended key usages are not checked here.
 *
 * @param chain - from {@link parseCertificateChain}
 * @param caBundlePem - PEM CERTIFICATE blocks of the trusted CAs, e.g. the cluster CA (the
 *   `certificate-authority-data` of a kubeconfig, base64-decoded)
 * @throws PkiError `untrusted-chain`, `certificate-expired`, `certificate-not-yet-valid`, or the parse errors of
 *   {@link parseCertificateChain} for the bundle
 */
export function verifyChain(chain: CertificateChain, caBundlePem?: string, options: VerifyChainOptions = {}): void {
  const now = options.now ?? new Date();
  const certs = [chain.leaf, ...chain.intermediates];
  certs.forEach((cert, index) => {
    const position = index === 0 ? 'the issued certificate' : `intermediate ${index}`;
    checkValidity(cert, position, now);
    const parent = certs[index + 1];
    if (parent === undefined) {
      return;
    }
    const parentPosition = `intermediate ${index + 1}`;
    if (!parent.isCa) {
      throw new PkiError(
        'untrusted-chain',
        `${parentPosition} ${label(parent)} is not a CA certificate (no basicConstraints CA:TRUE), so it cannot ` +
          `issue ${position}: remove it or put the right intermediate after ${position}`,
      );
    }
    if (!issued(cert, parent)) {
      throw new PkiError(
        'untrusted-chain',
        `${position} ${label(cert)} (issuer ${JSON.stringify(cert.issuer.text)}) was not issued and signed by ` +
          `${parentPosition} ${label(parent)}: the blocks must be in order, leaf first, each followed by its issuer`,
      );
    }
  });
  if (caBundlePem === undefined) {
    return;
  }
  const anchors = parseCertificates(caBundlePem, 'the CA bundle');
  const top = certs[certs.length - 1] ?? chain.leaf;
  const pinned = anchors.find((anchor) => certs.some((cert) => cert.x509.raw.equals(anchor.x509.raw)));
  if (pinned !== undefined) {
    return;
  }
  const issuer = anchors.find((anchor) => issued(top, anchor));
  if (issuer === undefined) {
    throw new PkiError(
      'untrusted-chain',
      `no CA certificate of the bundle (${anchors.length} certificate${anchors.length === 1 ? '' : 's'}) issued ` +
        `${label(top)} (issuer ${JSON.stringify(top.issuer.text)}): pass the CA bundle of the signer that issued ` +
        'it (for kubernetes.io/* signers, the cluster CA) or add the missing intermediates to the chain',
    );
  }
  checkValidity(issuer, 'the CA certificate', now);
}
