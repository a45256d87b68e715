import type { V1CertificateSigningRequest, V1CertificateSigningRequestCondition } from '@kubernetes/client-node';

/** The condition types of certificates.k8s.io/v1 that end a request's life. */
export type CsrConditionType = 'Approved' | 'Denied' | 'Failed';

/** The condition of `type` with status "True", if the object carries one. */
export function conditionOf(
  csr: V1CertificateSigningRequest,
  type: CsrConditionType,
): V1CertificateSigningRequestCondition | undefined {
  return csr.status?.conditions?.find((condition) => condition.type === type && condition.status === 'True');
}
