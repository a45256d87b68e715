import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CERT_MANAGER_GROUP, certManagerSignerName } from '../../rules/index.js';
import { CsrRuntimeError } from '../errors.js';
import { decideWithRetry, type ApprovalDecision } from '../decision-loop.js';
import { httpStatusOf, toRuntimeError } from '../kube-client.js';
import {
  describeIssuerRef,
  trueCondition,
  type CertificateRequestClient,
  type CertificateRequestObject,
} from './client.js';

/** The reason this library writes on the Approved condition it sets for `autoApprove`. */
export const CERT_MANAGER_AUTO_APPROVE_REASON = 'KubeCsrAutoApprove';
/** The message this library writes on the Approved condition it sets for `autoApprove`. */
export const CERT_MANAGER_AUTO_APPROVE_MESSAGE = 'This CertificateRequest was auto-approved by cdktf-kubernetes-csr';

/** A decision on a CertificateRequest, as written to its status. */
export type CertificateRequestDecision = ApprovalDecision;

function forbiddenRemedy(cr: CertificateRequestObject, namespace: string): string {
  const ref = cr.spec.issuerRef;
  const signer = certManagerSignerName({ ...ref, namespace }) ?? `<resource>.${ref.group ?? CERT_MANAGER_GROUP}/…`;
  const wildcard = `${signer.split('/')[0] ?? ''}/*`;
  return (
    `the identity in the kubeconfig needs verb "approve" on resource "signers" of API group ${CERT_MANAGER_GROUP} ` +
    `with resourceNames ["${signer}"] (or "${wildcard}"), and verb "update" on "certificaterequests/status" in ` +
    `namespace ${namespace}; or leave autoApprove off and let cert-manager's approver (or a person) approve it`
  );
}

/**
 * Whether the identity in `kc` may approve requests for the issuer `cr` refers to, asked the way cert-manager's
 * approval webhook asks (a SubjectAccessReview for verb `approve` on `signers`, by exact name, then by wildcard).
 * Undefined when it cannot be asked (an external issuer group, whose resource name is unknown here).
 */
export async function mayApprove(
  kc: KubeConfig,
  cr: CertificateRequestObject,
  namespace: string,
): Promise<boolean | undefined> {
  const signer = certManagerSignerName({ ...cr.spec.issuerRef, namespace });
  if (signer === undefined) return undefined;
  const api = kc.makeApiClient(AuthorizationV1Api);
  for (const name of [signer, `${signer.split('/')[0] ?? ''}/*`]) {
    try {
      const review = await api.createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: { group: CERT_MANAGER_GROUP, resource: 'signers', verb: 'approve', name },
          },
        },
      });
      if (review.status?.allowed) return true;
    } catch (error) {
      throw toRuntimeError(error, `check the permission to approve for ${describeIssuerRef(cr.spec.issuerRef)}`, {
        kc,
        csrName: cr.metadata.name,
      });
    }
  }
  return false;
}

/** The error for an identity that may not approve requests for the issuer of `cr`. */
export function notAllowedToApprove(cr: CertificateRequestObject, namespace: string, cause?: unknown): CsrRuntimeError {
  const name = cr.metadata.name;
  return new CsrRuntimeError(
    'forbidden',
    `not allowed to approve ${name ? `CertificateRequest ${namespace}/${name}` : 'CertificateRequests'} for ` +
      describeIssuerRef(cr.spec.issuerRef),
    { csrName: name, namespace, cause, remedy: forbiddenRemedy(cr, namespace) },
  );
}

/**
 * Writes an Approved or Denied condition to a CertificateRequest's status, with the object's resourceVersion so
 * that a concurrent change (cert-manager's approver, the issuer) makes it re-read and try again. Approving an
 * approved request is a no-op; approving a denied one (or the reverse) fails with `conflict`, since cert-manager
 * never lets a decision change. Returns the object as written (or as found).
 *
 * First it asks, as cert-manager's approval webhook does, whether the identity may `approve` on `signers` for the
 * issuer, and fails with `forbidden` naming the missing rule when not: the rule holds even on clusters that run
 * cert-manager without its webhook. `permissionChecked` skips that when the caller asked already; `signal` aborts
 * the calls.
 */
export async function decideCertificateRequest(
  kc: KubeConfig,
  client: CertificateRequestClient,
  current: CertificateRequestObject,
  decision: CertificateRequestDecision,
  options: { readonly permissionChecked?: boolean; readonly signal?: AbortSignal } = {},
): Promise<CertificateRequestObject> {
  const { signal } = options;
  const name = current.metadata.name ?? '';
  const namespace = client.namespace;
  if (!options.permissionChecked && (await mayApprove(kc, current, namespace)) === false) {
    throw notAllowedToApprove(current, namespace);
  }
  const verb = decision.decision === 'Approved' ? 'approve' : 'deny';
  return decideWithRetry(current, decision, {
    describe: `CertificateRequest ${namespace}/${name}`,
    errorOptions: { csrName: name, namespace },
    has: (cr, type) => trueCondition(cr, type) !== undefined,
    withDecision: (cr, { decision: type, reason, message }) => {
      const lastTransitionTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const condition = { type, status: 'True' as const, reason, message, lastTransitionTime };
      return { ...cr, status: { ...cr.status, conditions: [...(cr.status?.conditions ?? []), condition] } };
    },
    write: (body) =>
      client.replaceStatus(body, verb, signal).catch((error: unknown) => {
        throw httpStatusOf(error) === 403 ? notAllowedToApprove(body, namespace, error) : error;
      }),
    reread: () => client.read(name, signal),
  });
}
