import { CsrRuntimeError, type CsrRuntimeErrorOptions } from './errors.js';
import { httpStatusOf } from './kube-client.js';

/** A decision on a request, as written to its conditions. */
export interface ApprovalDecision {
  /** The condition written: `Approved`, or `Denied`. */
  readonly decision: 'Approved' | 'Denied';
  /** CamelCase reason, e.g. `KubeCsrAutoApprove`. */
  readonly reason: string;
  /** Human-readable message. */
  readonly message: string;
}

/** How {@link decideWithRetry} reads and writes one kind of request. */
export interface DecisionTarget<T> {
  /** The object for messages, e.g. `CertificateSigningRequest "x"`. */
  readonly describe: string;
  /** What the `conflict` error carries besides its message. */
  readonly errorOptions: CsrRuntimeErrorOptions;
  /** Whether the object carries the condition of `type` with status True. */
  has(object: T, type: ApprovalDecision['decision']): boolean;
  /** The object with the decision's condition appended. */
  withDecision(object: T, decision: ApprovalDecision): T;
  /** Writes the object's conditions; a 409 means it changed meanwhile. */
  write(body: T): Promise<T>;
  /** Reads the object again, after a 409. */
  reread(): Promise<T>;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * Writes an Approved or Denied condition, re-reading the object and retrying when someone else updated it meanwhile
 * (409). Deciding what is already decided that way is a no-op; deciding the other way fails with `conflict`, since
 * neither certificates.k8s.io nor cert-manager ever removes a decision.
 */
export async function decideWithRetry<T>(
  current: T,
  decision: ApprovalDecision,
  target: DecisionTarget<T>,
): Promise<T> {
  let object = current;
  for (let attempt = 0; ; attempt++) {
    if (target.has(object, decision.decision)) return object;
    const opposite = decision.decision === 'Approved' ? 'Denied' : 'Approved';
    if (target.has(object, opposite)) {
      throw new CsrRuntimeError(
        'conflict',
        `${target.describe} is already ${opposite.toLowerCase()}; that cannot be changed`,
        target.errorOptions,
      );
    }
    try {
      return await target.write(target.withDecision(object, decision));
    } catch (error) {
      if (httpStatusOf(error) !== 409 || attempt >= MAX_CONFLICT_RETRIES) throw error;
      object = await target.reread();
    }
  }
}
