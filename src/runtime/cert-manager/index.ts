/**
 * cert-manager CertificateRequests (cert-manager.io/v1) with the same ephemeral lifecycle as the
 * CertificateSigningRequest runtime: open (validate, create, approve when asked, watch until issued, verify,
 * delete) and close.
 *
 * @packageDocumentation
 */
export {
  CERT_MANAGER_AUTO_APPROVE_MESSAGE,
  CERT_MANAGER_AUTO_APPROVE_REASON,
  decideCertificateRequest,
  mayApprove,
} from './approve.js';
export type { CertificateRequestDecision } from './approve.js';
export { CERTIFICATE_REQUEST_RESOURCE, CertificateRequestClient, describeIssuerRef } from './client.js';
export type { CertificateRequestCondition, CertificateRequestObject } from './client.js';
export { deleteCertificateRequest, openCertificateRequest } from './open.js';
export type {
  CertificateRequestConfig,
  CertificateRequestProgress,
  CertificateRequestStep,
  OpenCertificateRequestOptions,
  OpenedCertificateRequest,
} from './types.js';
export type { VerifiedCertificateRequest } from './verify.js';
export { waitForCertificateRequest } from './wait.js';
export type { CertificateRequestStage, WaitForCertificateRequestOptions } from './wait.js';
