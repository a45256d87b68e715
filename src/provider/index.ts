/**
 * kubecsr, a Terraform provider written in TypeScript (plugin protocol 6): hashicorp/kubernetes' ephemeral
 * `kubernetes_certificate_signing_request_v1` with this package's runtime behind it, the ephemeral
 * `kubecsr_certificate` and `kubecsr_client_identity` whose keys are generated in memory during Open, and
 * `kubecsr_self_subject_review`.
 * Terraform runs it through the launcher {@link installProvider} writes.
 *
 * @packageDocumentation
 */
export {
  defaultProviderHome,
  installProvider,
  KUBECSR_PROVIDER_NAME,
  KUBECSR_PROVIDER_SOURCE,
  kubecsrProviderVersion,
  launcherScript,
  terraformPlatform,
} from './install.js';
export type { InstalledProvider, InstallProviderOptions } from './install.js';
export { CERTIFICATE_SCHEMA, CERTIFICATE_TYPE } from './resources/certificate.js';
export { CSR_V1_SCHEMA, CSR_V1_TYPE } from './resources/certificate-signing-request-v1.js';
export { CLIENT_IDENTITY_SCHEMA, CLIENT_IDENTITY_TYPE } from './resources/client-identity.js';
export { DEFAULT_KEY_TYPE } from './resources/key-issuance.js';
export type { KeyType } from '../pki/index.js';
export {
  CERT_MANAGER_REQUEST_SCHEMA,
  CERT_MANAGER_REQUEST_TYPE,
} from './resources/cert-manager-certificate-request.js';
export { SELF_SUBJECT_REVIEW_TYPE } from './resources/self-subject-review.js';
export { PROVIDER_CONFIG_SCHEMA } from './provider-schema.js';
export type { AttributeSchema, BlockSchema, CtyType, NestedBlockSchema } from './values/schema.js';
