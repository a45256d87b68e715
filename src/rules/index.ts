/**
 * CertificateSigningRequest spec rules shared by the constructs and the runtime: pure functions and rule tables,
 * no cdktf import. The rule tables and the engine that evaluates them stay inside this layer; callers use the
 * validation entry points, the error class and the name, signer, usage and duration helpers listed here.
 *
 * @packageDocumentation
 */
export {
  CERT_MANAGER_GROUP,
  CERT_MANAGER_ISSUER_KINDS,
  certManagerSignerName,
  DEFAULT_CERT_MANAGER_DURATION_MS,
  DEFAULT_CERT_MANAGER_USAGES,
  expectedCertManagerUsages,
  MIN_CERT_MANAGER_DURATION_MS,
} from './cert-manager.js';
export type { CertManagerIssuerKind } from './cert-manager.js';
export { CERT_MANAGER_TERRAFORM_FIELD_NAMES } from './cert-manager-request.js';
export type {
  CertManagerField,
  CertManagerRequestIssuerRef,
  CertManagerRequestMetadata,
  CertManagerRequestSpec,
  CertManagerRequestSpecDraft,
  CertManagerRequestSpecFields,
} from './cert-manager-request.js';
export {
  assertValidCertManagerRequest,
  checkCertManagerRequest,
  toValidatedCertManagerRequest,
  validateCertManagerRequest,
} from './cert-manager-validate.js';
export type {
  AssertValidCertManagerRequestOptions,
  CertManagerRequestCheck,
  ValidateCertManagerRequestOptions,
} from './cert-manager-validate.js';
export {
  isValidatedCertManagerRequest,
  VALIDATED_CERT_MANAGER_REQUEST_SYMBOL,
} from './validated-cert-manager-request.js';
export type { ValidatedCertManagerRequest } from './validated-cert-manager-request.js';
export { containsPrivateKey, redactPem } from './describe.js';
export { formatGoDuration, parseGoDuration } from './duration.js';
export type { DurationSyntax } from './duration.js';
export type { Severity, SpecViolation } from './engine.js';
export { CsrSpecError } from './errors.js';
export type { CsrSpecErrorOptions } from './errors.js';
export {
  DEFAULT_GENERATE_NAME,
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  generateNamePrefixProblems,
  isKubernetesSignerName,
  kubecsrGenerateName,
  SIGNER_NAME_MAX_LENGTH,
  signerNameProblems,
  toDns1123Subdomain,
} from './names.js';
export {
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBE_APISERVER_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  LEGACY_UNKNOWN_SIGNER,
  WELL_KNOWN_SIGNERS,
  wellKnownSigner,
} from './signers.js';
export type { SignerProfile, SubjectAltNamePolicy } from './signers.js';
export { isKeyUsage, KEY_USAGES } from './usages.js';
export type { KeyUsage } from './usages.js';
export { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS, TERRAFORM_FIELD_NAMES } from './csr-spec.js';
export type { CsrField, CsrMetadata, CsrRequestSpec, CsrSpec, CsrSpecDraft } from './csr-spec.js';
export { assertValidCsr, checkCsr, toValidatedCsr, validateCsr } from './validate.js';
export type { AssertValidCsrOptions, CsrCheck, ValidateCsrOptions } from './validate.js';
export { isValidatedCsr, VALIDATED_CSR_SYMBOL } from './validated-csr.js';
export type { ValidatedCsr } from './validated-csr.js';
