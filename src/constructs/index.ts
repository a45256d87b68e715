/**
 * cdktf constructs: a generic ephemeral resource element, the ephemeral kubernetes_certificate_signing_request_v1,
 * the kubecsr provider with its self-subject-review data source and its ephemeral kubecsr_certificate,
 * kubecsr_client_identity (keys generated in memory) and kubecsr_cert_manager_certificate_request, wiring helpers
 * and higher-level certificates.
 * `@cdktf/provider-kubernetes` is only loaded through deep imports; kubecsr's server code (grpc) is never loaded.
 *
 * @packageDocumentation
 */
// A type of the PKI layer that the props use (keyType), so that an app can name it.
export type { KeyType } from '../pki/index.js';
export { TerraformEphemeralResource } from './ephemeral-resource.js';
export type { TerraformEphemeralMetaArguments, TerraformEphemeralResourceConfig } from './ephemeral-resource.js';
export {
  EphemeralKubernetesCertificateSigningRequestV1,
  KubernetesCertificateSigningRequestV1Ephemeral,
} from './certificate-signing-request-v1-ephemeral.js';
export type {
  EphemeralKubernetesCertificateSigningRequestV1Config,
  KubernetesCertificateSigningRequestV1EphemeralConfig,
  KubernetesCertificateSigningRequestV1EphemeralMetadata,
  KubernetesCertificateSigningRequestV1EphemeralSpec,
} from './certificate-signing-request-v1-ephemeral.js';
export { KubeCsrProvider, KubeCsrSelfSubjectReview } from './kubecsr-provider.js';
export type { KubeCsrProviderConfig, KubeCsrSelfSubjectReviewConfig } from './kubecsr-provider.js';
export { CertManagerCertificateRequest } from './cert-manager-certificate-request.js';
export type {
  CertManagerCertificateRequestConfig,
  CertManagerCertificateRequestMetadata,
  CertManagerCertificateRequestSpec,
  CertManagerIssuerRef,
} from './cert-manager-certificate-request.js';
export { KubeCsrCertificate } from './kubecsr-certificate.js';
export type { KubeCsrCertificateConfig } from './kubecsr-certificate.js';
export { KubeCsrKeyResource } from './kubecsr-key-resource.js';
export type { KubeCsrIssuanceProps, KubeCsrKeyType } from './kubecsr-key-resource.js';
export { KubeCsrClientIdentity } from './kubecsr-client-identity.js';
export type { KubeCsrClientIdentityConfig } from './kubecsr-client-identity.js';
export { issuedIdentityProvider } from './issued-identity-provider.js';
export type {
  IClientCredentials,
  IssuedIdentityProviderKind,
  IssuedIdentityProviderProps,
} from './issued-identity-provider.js';
export { TlsSecretV1 } from './tls-secret-v1.js';
export type { TlsSecretV1Metadata, TlsSecretV1Props } from './tls-secret-v1.js';
export { ensureLocalKey } from './local-key.js';
export type { LocalKey, LocalKeyOptions } from './local-key.js';
export { IssuedCertificate } from './issued-certificate.js';
export type {
  CertificateKeyMode,
  CertificateRequestShape,
  InMemoryIssuance,
  InMemorySettings,
  IssuedCertificateProps,
} from './issued-certificate.js';
export { ClientCertificate } from './client-certificate.js';
export type { ClientCertificateProps, ClientCertificateUsage } from './client-certificate.js';
export { ServingCertificate } from './serving-certificate.js';
export type { ServingCertificateProps } from './serving-certificate.js';
export {
  EphemeralProviderPresenceValidation,
  EphemeralValueUsageValidation,
  WRITE_ONLY_ARGUMENTS,
} from './validations.js';
export { installEphemeralStackSupport, renderEphemeralHcl } from './stack-support.js';
export type { HclOutput } from './stack-support.js';
export type { JsonObject } from './cdktf-internals.js';
// Types of the rules layer that the props use, so that an app can name them.
export type { CsrMetadata, CsrRequestSpec, CsrSpec } from '../rules/index.js';
export { isEphemeralResourceLike, TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL } from './brand.js';
export type { EphemeralResourceLike } from './brand.js';
