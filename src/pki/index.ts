/**
 * The PKI layer: keys, PKCS#10 certificate signing requests and X.509 certificate chains, with the parsing rules
 * of kube-apiserver. Node's crypto does the cryptography; node-forge does ASN.1.
 *
 * @packageDocumentation
 */
export { PkiError, PKI_ERROR_CODES } from './errors.js';
export type { PkiErrorCode } from './errors.js';
export { MAX_CERTIFICATE_CHAIN_BYTES, MAX_CERTIFICATE_REQUEST_BYTES } from './pem.js';
export { assertPublicKeysEqual, describePublicKey, generateKey, KEY_TYPES, publicKeysEqual } from './keys.js';
export type { GeneratedKey, KeyType, PublicKeyInfo } from './keys.js';
export { MAX_SUBJECT_VALUE_LENGTH } from './names.js';
export type { DistinguishedName } from './names.js';
export type { SubjectAltNames } from './san.js';
export {
  CERTIFICATE_REQUEST_PEM_LABEL,
  createCertificateRequest,
  parseCertificateRequest,
  verifyCertificateRequest,
} from './csr.js';
export type { CertificateRequestParams, ParsedCertificateRequest } from './csr.js';
export type { RequestedExtensions } from './extensions.js';
export { CERTIFICATE_PEM_LABEL, parseCertificateChain, verifyChain } from './certificate.js';
export type { CertificateChain, ParsedCertificate, VerifyChainOptions } from './certificate.js';
export { describeCertificate, describeCertificateChain, describeCertificateRequest } from './describe.js';
export type {
  CertificateChainDescription,
  CertificateDescription,
  CertificateRequestDescription,
  NameDescription,
} from './describe.js';
