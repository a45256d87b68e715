import type { CertificatesV1Api, KubeConfig, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { conditionOf } from './conditions.js';
import { CsrRuntimeError } from './errors.js';
import { httpStatusOf, toRuntimeError } from './kube-client.js';

/** The reason this library writes on the Approved condition it sets for `autoApprove`. */
export const AUTO_APPROVE_REASON = 'KubeCsrAutoApprove';
/** The message this library writes on the Approved condition it sets for `autoApprove`. */
export const AUTO_APPROVE_MESSAGE = 'This CertificateSigningRequest was auto-approved by cdktf-kubernetes-csr';

/** A decision on a CertificateSigningRequest, as written to its /approval subresource. */
export interface ApprovalDecision {
  /** The condition written: `Approved`, or `Denied`. */
  readonly decision: 'Approved' | 'Denied';
  /** CamelCase reason, e.g. `KubeCsrAutoApprove`. */
  readonly reason: string;
  /** Human-readable message. */
  readonly message: string;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * Writes an Approved or Denied condition through the /approval subresource, re-reading the object and retrying when
 * someone else updated it meanwhile (409). Approving an already-approved request is a no-op; approving a denied one
 * (or the reverse) fails, since the API never removes those conditions.
 * A 403 names the RBAC rule that is missing.
 */
export async function decide(
  kc: KubeConfig,
  api: CertificatesV1Api,
  current: V1CertificateSigningRequest,
  decision: ApprovalDecision,
): Promise<V1CertificateSigningRequest> {
  const name = current.metadata?.name ?? '';
  const signerName = current.spec.signerName;
  let csr = current;
  for (let attempt = 0; ; attempt++) {
    if (conditionOf(csr, decision.decision)) return csr;
    const opposite = decision.decision === 'Approved' ? 'Denied' : 'Approved';
    if (conditionOf(csr, opposite)) {
      throw new CsrRuntimeError(
        'conflict',
        `CertificateSigningRequest "${name}" is already ${opposite.toLowerCase()}; that cannot be changed`,
        { csrName: name, signerName },
      );
    }
    const now = new Date();
    const body: V1CertificateSigningRequest = {
      ...csr,
      status: {
        ...csr.status,
        conditions: [
          ...(csr.status?.conditions ?? []),
          {
            type: decision.decision,
            status: 'True',
            reason: decision.reason,
            message: decision.message,
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ],
      },
    };
    try {
      return await api.replaceCertificateSigningRequestApproval({ name, body });
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 409 && attempt < MAX_CONFLICT_RETRIES) {
        csr = await api.readCertificateSigningRequest({ name });
        continue;
      }
      if (status === 403) {
        const verb = decision.decision === 'Approved' ? 'approve' : 'deny';
        throw new CsrRuntimeError(
          'forbidden',
          `not allowed to ${verb} CertificateSigningRequest "${name}": the identity in the kubeconfig needs verb "approve" ` +
            `on resource "signers" of API group certificates.k8s.io with resourceNames ["${signerName}"] ` +
            `(or "${signerName.split('/')[0]}/*"), and verb "update" on "certificatesigningrequests/approval"`,
          { csrName: name, signerName, cause: error },
        );
      }
      throw toRuntimeError(
        error,
        `${decision.decision === 'Approved' ? 'approve' : 'deny'} CertificateSigningRequest "${name}"`,
        {
          kc,
          csrName: name,
          signerName,
        },
      );
    }
  }
}
