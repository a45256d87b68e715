/**
 * cdktf constructs: a generic ephemeral resource element, the ephemeral kubernetes_certificate_signing_request_v1,
 * the kubecsr provider with its self-subject-review data source and its ephemeral kubecsr_certificate,
 * kubecsr_client_identity (keys generated in memory) and kubecsr_cert_manager_certificate_request, wiring helpers
 * and higher-level certificates.
 * @cdktf/provider-kubernetes is only loaded through deep imports; kubecsr's server code (grpc) is never loaded.
 *
 * @packageDocumentation
 */
export * from './ephemeral-resource.js';
export * from './certificate-signing-request-v1-ephemeral.js';
export * from './kubecsr-provider.js';
export * from './cert-manager-certificate-request.js';
export * from './kubecsr-key-resource.js';
export * from './kubecsr-certificate.js';
export * from './kubecsr-client-identity.js';
export * from './issued-identity-provider.js';
export * from './tls-secret-v1.js';
export * from './local-key.js';
export * from './issued-certificate.js';
export * from './client-certificate.js';
export * from './serving-certificate.js';
export {
  EphemeralProviderPresenceValidation,
  EphemeralValueUsageValidation,
  WRITE_ONLY_ARGUMENTS,
} from './validations.js';
export { renderEphemeralHcl, installEphemeralStackSupport } from './stack-support.js';
export { isEphemeralResourceLike, TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL } from './brand.js';
export type { EphemeralResourceLike } from './brand.js';
