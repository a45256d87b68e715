import type { CertManagerRequestSpec } from '../../rules/index.js';
import type { CsrRuntimeError } from '../errors.js';
import type { ClusterConnectionOptions } from '../kube-client.js';
import type { VerifiedCertificateRequest } from './verify.js';

/**
 * The cert-manager CertificateRequest to submit (cert-manager.io/v1): the shared model
 * ({@link CertManagerRequestSpec}; metadata.name, else metadata.generateName, default "kube-csr-"; the managed-by
 * label is always added), or a `ValidatedCertManagerRequest` that is opened without being validated again, and whether
 * to approve it.
 */
export type CertificateRequestConfig = CertManagerRequestSpec & {
  /**
   * Approve the request by writing the `Approved` condition to its status (needs RBAC verb `approve` on resource
   * `signers` of API group cert-manager.io for the issuer, and `update` on `certificaterequests/status`). Off, the
   * runtime leaves approval to cert-manager's approver (or an approval policy, or a person).
   * @default false
   */
  readonly autoApprove?: boolean;
};

/** A step of {@link openCertificateRequest}, for progress output. */
export type CertificateRequestStep = 'validated' | 'created' | 'approved' | 'issued' | 'verified' | 'deleted';

/** Progress of {@link openCertificateRequest}. */
export interface CertificateRequestProgress {
  /** The step just completed. */
  readonly step: CertificateRequestStep;
  /** The object's name, once known. */
  readonly name?: string;
  /** The object's namespace. */
  readonly namespace: string;
  /** For `approved`: who approved it, from the condition's reason (e.g. `cert-manager.io` for cert-manager's approver). */
  readonly approvedBy?: string;
  /** Milliseconds since open started. */
  readonly elapsedMs: number;
}

/** Options of {@link openCertificateRequest}. */
export interface OpenCertificateRequestOptions extends ClusterConnectionOptions {
  /**
   * How long to wait for approval and issuance, in milliseconds.
   * @default 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /** Aborts the wait; the object is deleted before the returned promise rejects. @default - none */
  readonly signal?: AbortSignal;
  /** Called after each step. @default - none */
  readonly onProgress?: (progress: CertificateRequestProgress) => void;
  /**
   * PEM CA certificates the issued chain must verify against, besides the `status.ca` the issuer returns.
   * @default - the chain is verified against status.ca when the issuer sets it, else only its links are checked
   */
  readonly caBundlePem?: string;
  /** The safety-net poll interval while the watch is quiet, in milliseconds. @default 2000 */
  readonly pollIntervalMs?: number;
}

/** What {@link openCertificateRequest} returns: the issued certificate, and the clean-up call after open. */
export interface OpenedCertificateRequest extends VerifiedCertificateRequest {
  /** The name the CertificateRequest had. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Whether the object has been deleted (false only when deletion failed; {@link OpenedCertificateRequest.close} retries it). */
  readonly deleted: boolean;
  /** The deletion failure, when `deleted` is false. */
  readonly cleanupError?: CsrRuntimeError;
  /** Deletes the object if open could not. Safe to call more than once. */
  close(): Promise<void>;
}
