/**
 * The provider-style runtime: Terraform's ephemeral lifecycle (open, renew, close) for a Kubernetes
 * CertificateSigningRequest and for a cert-manager CertificateRequest, on @kubernetes/client-node.
 *
 * @packageDocumentation
 */
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
export { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './labels.js';
export { deleteCertificateSigningRequest, openCertificateSigningRequest } from './open.js';
export type {
  CertificateSigningRequestConfig,
  IssuedCertificate,
  OpenedCertificateSigningRequest,
  OpenOptions,
  OpenProgress,
  OpenStep,
} from './open.js';
export { isValidatedCsr, toValidatedCsr } from '../rules/index.js';
export type { CsrSpec, ValidatedCsr } from '../rules/index.js';
export { reviewSelf } from './self-subject-review.js';
export type { ReviewedIdentity } from './self-subject-review.js';
export { clusterCaData, userKubeconfigYaml } from './user-kubeconfig.js';
export type { UserKubeconfigParams } from './user-kubeconfig.js';
export { waitForCertificate } from './wait-for-certificate.js';
export type { IssuanceStage, WaitForCertificateOptions } from './wait-for-certificate.js';
export * from './cert-manager/index.js';
