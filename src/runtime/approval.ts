import type { CertificatesV1Api, KubeConfig, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { conditionOf } from './conditions.js';
import { CsrApi } from './csr-api.js';
import { decideWithRetry, type ApprovalDecision } from './decision-loop.js';

/** The reason this library writes on the Approved condition it sets for `autoApprove`. */
export const AUTO_APPROVE_REASON = 'KubeCsrAutoApprove';
/** The message this library writes on the Approved condition it sets for `autoApprove`. */
export const AUTO_APPROVE_MESSAGE = 'This CertificateSigningRequest was auto-approved by cdktf-kubernetes-csr';

/** A decision on a CertificateSigningRequest, as written to its /approval subresource. */
export type { ApprovalDecision };

/**
 * Writes an Approved or Denied condition through the /approval subresource, re-reading the object and retrying when
 * someone else updated it meanwhile (409). Approving an already-approved request is a no-op; approving a denied one
 * (or the reverse) fails, since the API never removes those conditions.
 * A 403 names the RBAC rule that is missing.
 */
export function decide(
  kc: KubeConfig,
  api: CertificatesV1Api,
  current: V1CertificateSigningRequest,
  decision: ApprovalDecision,
  signal?: AbortSignal,
): Promise<V1CertificateSigningRequest> {
  const csrApi = new CsrApi(kc, api);
  const name = current.metadata?.name ?? '';
  const verb = decision.decision === 'Approved' ? 'approve' : 'deny';
  return decideWithRetry(current, decision, {
    describe: `CertificateSigningRequest "${name}"`,
    errorOptions: { csrName: name, signerName: current.spec.signerName },
    has: (csr, type) => conditionOf(csr, type) !== undefined,
    withDecision: (csr, { decision: type, reason, message }) => {
      const now = new Date();
      const condition = { type, status: 'True', reason, message, lastUpdateTime: now, lastTransitionTime: now };
      return { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), condition] } };
    },
    write: (body) => csrApi.replaceApproval(body, verb, signal),
    reread: () => csrApi.read(name, signal),
  });
}
