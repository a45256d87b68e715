import type { CertificateChain, ParsedCertificate } from './certificate.js';
import type { ParsedCertificateRequest } from './csr.js';
import type { PublicKeyInfo } from './keys.js';
import type { DistinguishedName } from './names.js';
import type { SubjectAltNames } from './san.js';

/** A subject or issuer as plain data. */
export interface NameDescription {
  /** `CN`, when present. */
  readonly commonName?: string;
  /** Every `O`, in order. */
  readonly organizations: string[];
  /** RFC 4514 form. */
  readonly text: string;
}

/** What `kube-csr inspect` prints for a certificate signing request. Plain, JSON-serialisable data. */
export interface CertificateRequestDescription {
  /** Discriminator. */
  readonly kind: 'certificate-request';
  /** Subject: user name (CN) and groups (O) for the kube-apiserver-client signers. */
  readonly subject: NameDescription;
  /** Subject alternative names. */
  readonly subjectAltNames: SubjectAltNames;
  /** Key algorithm, size and curve. */
  readonly publicKey: PublicKeyInfo;
  /** Signature algorithm name. */
  readonly signatureAlgorithm: string;
  /** Whether the self-signature verifies. */
  readonly signatureValid: boolean;
}

/** What `kube-csr inspect` prints for a certificate. Plain, JSON-serialisable data (dates as ISO 8601 strings). */
export interface CertificateDescription {
  /** Discriminator. */
  readonly kind: 'certificate';
  /** Subject. */
  readonly subject: NameDescription;
  /** Issuer. */
  readonly issuer: NameDescription;
  /** Subject alternative names. */
  readonly subjectAltNames: SubjectAltNames;
  /** Serial number, uppercase hex. */
  readonly serialNumber: string;
  /** Start of validity, ISO 8601. */
  readonly notBefore: string;
  /** End of validity, ISO 8601. */
  readonly notAfter: string;
  /** notAfter minus notBefore, in seconds: compare with the `spec.expirationSeconds` that was asked for. */
  readonly lifetimeSeconds: number;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprintSha256: string;
  /** Key usages in Kubernetes words. */
  readonly keyUsages: string[];
  /** Extended key usages in Kubernetes words. */
  readonly extendedKeyUsages: string[];
  /** Whether it is a CA certificate. */
  readonly isCa: boolean;
  /** Key algorithm, size and curve. */
  readonly publicKey: PublicKeyInfo;
  /** Signature algorithm name. */
  readonly signatureAlgorithm: string;
}

/** A chain as plain data. */
export interface CertificateChainDescription {
  /** The issued certificate. */
  readonly leaf: CertificateDescription;
  /** The intermediates, in order. */
  readonly intermediates: CertificateDescription[];
}

function name(dn: DistinguishedName): NameDescription {
  return dn.commonName === undefined
    ? { organizations: [...dn.organizations], text: dn.text }
    : { commonName: dn.commonName, organizations: [...dn.organizations], text: dn.text };
}

function sans(s: SubjectAltNames): SubjectAltNames {
  return {
    dnsNames: [...s.dnsNames],
    ipAddresses: [...s.ipAddresses],
    uris: [...s.uris],
    emailAddresses: [...s.emailAddresses],
  };
}

function key(info: PublicKeyInfo): PublicKeyInfo {
  return {
    algorithm: info.algorithm,
    ...(info.bits === undefined ? {} : { bits: info.bits }),
    ...(info.curve === undefined ? {} : { curve: info.curve }),
  };
}

/** Reduces a parsed request to plain data for printing (no KeyObject, no Buffer, no undefined values). */
export function describeCertificateRequest(parsed: ParsedCertificateRequest): CertificateRequestDescription {
  return {
    kind: 'certificate-request',
    subject: name(parsed.subject),
    subjectAltNames: sans(parsed.subjectAltNames),
    publicKey: key(parsed.publicKeyInfo),
    signatureAlgorithm: parsed.signatureAlgorithm,
    signatureValid: parsed.signatureValid,
  };
}

/** Reduces a parsed certificate to plain data for printing (dates as ISO 8601 strings). */
export function describeCertificate(parsed: ParsedCertificate): CertificateDescription {
  return {
    kind: 'certificate',
    subject: name(parsed.subject),
    issuer: name(parsed.issuer),
    subjectAltNames: sans(parsed.subjectAltNames),
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore.toISOString(),
    notAfter: parsed.notAfter.toISOString(),
    lifetimeSeconds: Math.round((parsed.notAfter.getTime() - parsed.notBefore.getTime()) / 1000),
    fingerprintSha256: parsed.fingerprintSha256,
    keyUsages: [...parsed.keyUsages],
    extendedKeyUsages: [...parsed.extendedKeyUsages],
    isCa: parsed.isCa,
    publicKey: key(parsed.publicKeyInfo),
    signatureAlgorithm: parsed.signatureAlgorithm,
  };
}

/** Reduces a parsed chain to plain data for printing. */
export function describeCertificateChain(chain: CertificateChain): CertificateChainDescription {
  return { leaf: describeCertificate(chain.leaf), intermediates: chain.intermediates.map(describeCertificate) };
}
