/**
 * cdktf-kubernetes-csr: ephemeral Kubernetes CertificateSigningRequests for CDK for Terraform.
 *
 * The package root holds what a cdktf app needs at synth time:
 * - constructs: the ephemeral `kubernetes_certificate_signing_request_v1` for cdktf 0.21, the kubecsr provider and
 *   its types, and the helpers that wire the issued certificate into TLS inputs;
 * - pki: the key, request and certificate helpers an app calls, and their error;
 * - rules: the validation entry points shared by the constructs and the runtime, their error and the in-tree
 *   signer names.
 *
 * The layers' plumbing (rule tables, the rule engine, key files, synthesis helpers) is not exported here; each layer
 * alone is `cdktf-kubernetes-csr/pki`, `/rules`, `/constructs` and `/provider`. The provider-style runtime (open /
 * renew / close on `@kubernetes/client-node`) is `cdktf-kubernetes-csr/runtime`, kept out of the root so that
 * synthesizing a stack does not load the Kubernetes client (about 0.5 s).
 *
 * @packageDocumentation
 */

// constructs
export {
  CertManagerCertificateRequest,
  ClientCertificate,
  EphemeralKubernetesCertificateSigningRequestV1,
  IssuedCertificate,
  issuedIdentityProvider,
  KubeCsrCertificate,
  KubeCsrClientIdentity,
  KubeCsrKeyResource,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  KubernetesCertificateSigningRequestV1Ephemeral,
  ServingCertificate,
  TerraformEphemeralResource,
  TlsSecretV1,
} from './constructs/index.js';
export type {
  CertificateKeyMode,
  CertificateRequestShape,
  InMemorySettings,
  JsonObject,
  CertManagerCertificateRequestConfig,
  CertManagerCertificateRequestMetadata,
  CertManagerCertificateRequestSpec,
  CertManagerIssuerRef,
  ClientCertificateProps,
  ClientCertificateUsage,
  EphemeralKubernetesCertificateSigningRequestV1Config,
  IClientCredentials,
  InMemoryIssuance,
  IssuedCertificateProps,
  IssuedIdentityProviderKind,
  IssuedIdentityProviderProps,
  KubeCsrCertificateConfig,
  KubeCsrClientIdentityConfig,
  KubeCsrIssuanceProps,
  KubeCsrKeyType,
  KubeCsrProviderConfig,
  KubeCsrSelfSubjectReviewConfig,
  KubernetesCertificateSigningRequestV1EphemeralConfig,
  KubernetesCertificateSigningRequestV1EphemeralMetadata,
  KubernetesCertificateSigningRequestV1EphemeralSpec,
  ServingCertificateProps,
  TerraformEphemeralMetaArguments,
  TerraformEphemeralResourceConfig,
  TlsSecretV1Metadata,
  TlsSecretV1Props,
} from './constructs/index.js';

// pki
export {
  assertPublicKeysEqual,
  createCertificateRequest,
  describeCertificate,
  describeCertificateChain,
  describeCertificateRequest,
  describePublicKey,
  generateKey,
  KEY_TYPES,
  MAX_CERTIFICATE_CHAIN_BYTES,
  MAX_CERTIFICATE_REQUEST_BYTES,
  parseCertificateChain,
  parseCertificateRequest,
  PKI_ERROR_CODES,
  PkiError,
  publicKeysEqual,
  verifyCertificateRequest,
  verifyChain,
} from './pki/index.js';
export type {
  CertificateChain,
  CertificateChainDescription,
  CertificateDescription,
  CertificateRequestDescription,
  CertificateRequestParams,
  DistinguishedName,
  GeneratedKey,
  KeyType,
  NameDescription,
  ParsedCertificate,
  ParsedCertificateRequest,
  PkiErrorCode,
  PublicKeyInfo,
  RequestedExtensions,
  SubjectAltNames,
  VerifyChainOptions,
} from './pki/index.js';

// rules
export {
  assertValidCertManagerRequest,
  assertValidCsr,
  checkCertManagerRequest,
  checkCsr,
  CERT_MANAGER_ISSUER_KINDS,
  CERT_MANAGER_TERRAFORM_FIELD_NAMES,
  CsrSpecError,
  KEY_USAGES,
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBE_APISERVER_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  LEGACY_UNKNOWN_SIGNER,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  TERRAFORM_FIELD_NAMES,
  toValidatedCertManagerRequest,
  toValidatedCsr,
  isValidatedCertManagerRequest,
  isValidatedCsr,
  validateCertManagerRequest,
  validateCsr,
} from './rules/index.js';
export type {
  AssertValidCertManagerRequestOptions,
  CertManagerField,
  CertManagerIssuerKind,
  CertManagerRequestCheck,
  CertManagerRequestIssuerRef,
  CertManagerRequestMetadata,
  CertManagerRequestSpec,
  CertManagerRequestSpecDraft,
  CertManagerRequestSpecFields,
  AssertValidCsrOptions,
  CsrCheck,
  CsrField,
  CsrMetadata,
  CsrRequestSpec,
  CsrSpec,
  CsrSpecDraft,
  CsrSpecErrorOptions,
  KeyUsage,
  Severity,
  SpecViolation,
  ValidateCertManagerRequestOptions,
  ValidateCsrOptions,
  ValidatedCertManagerRequest,
  ValidatedCsr,
} from './rules/index.js';
