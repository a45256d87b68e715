/**
 * The provider-style runtime: Terraform's ephemeral lifecycle (open, renew, close) for a Kubernetes
 * CertificateSigningRequest and for a cert-manager CertificateRequest, on `@kubernetes/client-node`.
 *
 * @packageDocumentation
 */
// Types of the layers below that the runtime's configs and results use, so that a program can name them.
export type { CertificateChain } from '../pki/index.js';
export { CERT_MANAGER_ISSUER_KINDS } from '../rules/index.js';
export type { CertManagerIssuerKind, CsrMetadata, CsrRequestSpec } from '../rules/index.js';
export { AUTO_APPROVE_MESSAGE, AUTO_APPROVE_REASON, decide } from './approval.js';
export type { ApprovalDecision } from './approval.js';
export { conditionOf } from './conditions.js';
export type { CsrConditionType } from './conditions.js';
export { CsrRuntimeError } from './errors.js';
export type { CsrRuntimeErrorCode, CsrRuntimeErrorOptions } from './errors.js';
export { collectGarbage } from './gc.js';
export type { GcOptions, GcResult } from './gc.js';
export { certificatesApi, loadKubeConfig, serverOf } from './kube-client.js';
export type { ClusterConnectionOptions } from './kube-client.js';
export type { VerifiedChain } from './issued-chain.js';
export { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './labels.js';
export { CsrApi, deleteCertificateSigningRequest } from './csr-api.js';
export { openCertificateSigningRequest } from './open.js';
export type {
  CertificateSigningRequestConfig,
  IssuedCertificate,
  OpenedCertificateSigningRequest,
  OpenOptions,
  OpenProgress,
  OpenStep,
} from './open.js';
export {
  isValidatedCertManagerRequest,
  isValidatedCsr,
  toValidatedCertManagerRequest,
  toValidatedCsr,
} from '../rules/index.js';
export type {
  CertManagerRequestIssuerRef,
  CertManagerRequestMetadata,
  CertManagerRequestSpec,
  CertManagerRequestSpecFields,
  CsrSpec,
  ValidatedCertManagerRequest,
  ValidatedCsr,
} from '../rules/index.js';
export { reviewSelf } from './self-subject-review.js';
export type { ReviewedIdentity } from './self-subject-review.js';
export { clusterCaData, userKubeconfigYaml } from './user-kubeconfig.js';
export type { UserKubeconfigParams } from './user-kubeconfig.js';
export { waitForCertificate } from './wait-for-certificate.js';
export type { ObjectWatchOptions, ObservedVia } from './object-watch.js';
export type { IssuanceStage, WaitForCertificateOptions } from './wait-for-certificate.js';
export {
  CERT_MANAGER_AUTO_APPROVE_MESSAGE,
  CERT_MANAGER_AUTO_APPROVE_REASON,
  CERTIFICATE_REQUEST_RESOURCE,
  CertificateRequestClient,
  decideCertificateRequest,
  deleteCertificateRequest,
  describeIssuerRef,
  mayApprove,
  openCertificateRequest,
  waitForCertificateRequest,
} from './cert-manager/index.js';
export type {
  CertificateRequestCondition,
  CertificateRequestConfig,
  CertificateRequestDecision,
  CertificateRequestObject,
  CertificateRequestProgress,
  CertificateRequestStage,
  CertificateRequestStep,
  OpenCertificateRequestOptions,
  OpenedCertificateRequest,
  VerifiedCertificateRequest,
  WaitForCertificateRequestOptions,
} from './cert-manager/index.js';
