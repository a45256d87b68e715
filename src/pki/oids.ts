/**
 * Object identifiers used by the PKI layer, with the names OpenSSL and Kubernetes print.
 *
 * @internal
 */
export const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
} as const;

/** Short names for distinguished-name attribute types (RFC 4514 and Go's pkix, plus emailAddress). @internal */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** How a signature algorithm is checked with Node's crypto. @internal */
export interface SignatureAlgorithmSpec {
  /** OpenSSL's name, as printed by `openssl req -text`. */
  readonly name: string;
  /** Digest for crypto.verify; null for EdDSA (the digest is part of the scheme). */
  readonly hash: string | null;
  /** The key type the algorithm needs (Node's asymmetricKeyType). */
  readonly keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448';
  /** Whether kube-apiserver (Go crypto/x509 CheckSignature) accepts it for a CSR. */
  readonly acceptedByKubernetes: boolean;
}

/** Signature algorithms by OID. RSASSA-PSS is handled apart because it has parameters. @internal */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithmSpec>> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5', keyType: 'rsa', acceptedByKubernetes: false },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1', keyType: 'rsa', acceptedByKubernetes: true },
  '1.2.840.113549.1.1.11': {
    name: 'sha256WithRSAEncryption',
    hash: 'sha256',
    keyType: 'rsa',
    acceptedByKubernetes: true,
  },
  '1.2.840.113549.1.1.12': {
    name: 'sha384WithRSAEncryption',
    hash: 'sha384',
    keyType: 'rsa',
    acceptedByKubernetes: true,
  },
  '1.2.840.113549.1.1.13': {
    name: 'sha512WithRSAEncryption',
    hash: 'sha512',
    keyType: 'rsa',
    acceptedByKubernetes: true,
  },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1', keyType: 'ec', acceptedByKubernetes: true },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256', keyType: 'ec', acceptedByKubernetes: true },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384', keyType: 'ec', acceptedByKubernetes: true },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512', keyType: 'ec', acceptedByKubernetes: true },
  '1.3.101.112': { name: 'ED25519', hash: null, keyType: 'ed25519', acceptedByKubernetes: true },
  '1.3.101.113': { name: 'ED448', hash: null, keyType: 'ed448', acceptedByKubernetes: false },
};

/** Hash algorithm OIDs (for RSASSA-PSS parameters). @internal */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Key usage bits (RFC 5280 4.2.1.3) in the words of the Kubernetes `spec.usages` field, by bit number. @internal */
export const KEY_USAGE_NAMES: readonly string[] = [
  'digital signature',
  'content commitment',
  'key encipherment',
  'data encipherment',
  'key agreement',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
];

/** Extended key usages in the words of the Kubernetes `spec.usages` field. @internal */
export const EXTENDED_KEY_USAGE_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.37.0': 'any',
  '1.3.6.1.5.5.7.3.1': 'server auth',
  '1.3.6.1.5.5.7.3.2': 'client auth',
  '1.3.6.1.5.5.7.3.3': 'code signing',
  '1.3.6.1.5.5.7.3.4': 'email protection',
  '1.3.6.1.5.5.7.3.5': 'ipsec end system',
  '1.3.6.1.5.5.7.3.6': 'ipsec tunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsec user',
  '1.3.6.1.5.5.7.3.8': 'timestamping',
  '1.3.6.1.5.5.7.3.9': 'ocsp signing',
  '1.3.6.1.4.1.311.10.3.3': 'microsoft sgc',
  '2.16.840.1.113730.4.1': 'netscape sgc',
};
