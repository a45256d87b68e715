/** Why the runtime failed, for scripts and callers that branch on it. */
export type CsrRuntimeErrorCode =
  /** The input broke a spec rule (see the `cause`, a CsrSpecError). */
  | 'invalid-spec'
  /** A CertificateSigningRequest of that name exists already; it was left untouched. */
  | 'already-exists'
  /** The API refused an operation for lack of RBAC permission. */
  | 'forbidden'
  /** The API server rejected the object (its field errors are in the message). */
  | 'invalid-object'
  /** The API server could not be reached. */
  | 'unreachable'
  /** The kubeconfig could not be loaded or names no cluster. */
  | 'kubeconfig'
  /** Somebody (or an approver) denied the request. */
  | 'denied'
  /** The signer (or cert-manager issuer) marked the request Failed. */
  | 'failed'
  /** cert-manager marked the CertificateRequest InvalidRequest: the issuer will never process it. */
  | 'invalid-request'
  /** Nothing issued the certificate in time. */
  | 'timeout'
  /** The caller aborted the wait. */
  | 'aborted'
  /** The request was already decided the other way (approved vs denied); the API never removes a decision. */
  | 'conflict'
  /** The issued certificate is unusable: unparsable, or not for the request's key. */
  | 'bad-certificate'
  /** The CertificateSigningRequest object could not be deleted afterwards. */
  | 'cleanup-failed'
  /** Any other API error. */
  | 'api-error';

/** Options of {@link CsrRuntimeError}. */
export interface CsrRuntimeErrorOptions {
  /** The CertificateSigningRequest (or cert-manager CertificateRequest) object's name, when one was involved. @default - none */
  readonly csrName?: string;
  /** The namespace of a cert-manager CertificateRequest. @default - none (CertificateSigningRequests have none) */
  readonly namespace?: string;
  /** The signer the request was for. @default - none */
  readonly signerName?: string;
  /** The condition that ended the wait (Denied or Failed). @default - none */
  readonly condition?: { readonly type: string; readonly reason?: string; readonly message?: string };
  /** The underlying error (API exception, network error, spec error). @default - none */
  readonly cause?: unknown;
  /** A failed clean-up that happened on the way out of an earlier failure. @default - none */
  readonly cleanupError?: CsrRuntimeError;
  /**
   * How to fix it, when the runtime knows; appended to the message after "; ". Front ends may word their own
   * remedy from `code`, `missing` and `problem` instead.
   * @default - none
   */
  readonly remedy?: string;
  /** For a `timeout`: what never came, the approval or the issuance. @default - not said */
  readonly missing?: 'approval' | 'issuance';
}

/**
 * The single error class of the runtime. `code` is machine-readable; the message says what happened, the value or
 * object involved, and how to fix it. Raw API exceptions are kept as `cause`, never pasted into the message.
 */
export class CsrRuntimeError extends Error {
  /** Machine-readable reason. */
  public readonly code: CsrRuntimeErrorCode;
  /** The CertificateSigningRequest (or cert-manager CertificateRequest) object's name, when one was involved. */
  public readonly csrName?: string;
  /** The namespace of the cert-manager CertificateRequest, when one was involved. */
  public readonly namespace?: string;
  /** What happened, without the remedy and the clean-up note. */
  public readonly problem: string;
  /** How to fix it, when the runtime knows. */
  public readonly remedy?: string;
  /** For a `timeout`: what never came, the approval or the issuance. */
  public readonly missing?: 'approval' | 'issuance';
  /** The signer the request was for, when known. */
  public readonly signerName?: string;
  /** The Denied or Failed condition that ended the wait, when there was one. */
  public readonly condition?: { readonly type: string; readonly reason?: string; readonly message?: string };
  /** A clean-up that failed after this error happened: the object may still be in the cluster. */
  public readonly cleanupError?: CsrRuntimeError;

  public constructor(code: CsrRuntimeErrorCode, message: string, options: CsrRuntimeErrorOptions = {}) {
    const cleanupNote = options.cleanupError ? `\nalso: ${options.cleanupError.message}` : '';
    const remedy = options.remedy ? `; ${options.remedy}` : '';
    super(message + remedy + cleanupNote, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CsrRuntimeError';
    this.code = code;
    this.problem = message;
    this.remedy = options.remedy;
    this.missing = options.missing;
    this.csrName = options.csrName;
    this.namespace = options.namespace;
    this.signerName = options.signerName;
    this.condition = options.condition;
    this.cleanupError = options.cleanupError;
  }

  /** True for a CsrRuntimeError, also across copies of this module. */
  public static isCsrRuntimeError(value: unknown): value is CsrRuntimeError {
    return (
      value instanceof Error &&
      value.name === 'CsrRuntimeError' &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }

  /** A copy of this error that also reports a failed clean-up. */
  public withCleanupError(cleanupError: CsrRuntimeError): CsrRuntimeError {
    return this.copyWith({ cleanupError });
  }

  /**
   * A copy of this error that names the object and signer it concerns where it does not yet (an API call's error
   * seen by a caller that knows more).
   */
  public withContext(context: Pick<CsrRuntimeErrorOptions, 'csrName' | 'namespace' | 'signerName'>): CsrRuntimeError {
    return this.copyWith({
      csrName: this.csrName ?? context.csrName,
      namespace: this.namespace ?? context.namespace,
      signerName: this.signerName ?? context.signerName,
    });
  }

  private copyWith(changes: CsrRuntimeErrorOptions): CsrRuntimeError {
    return new CsrRuntimeError(this.code, this.problem, {
      csrName: this.csrName,
      namespace: this.namespace,
      signerName: this.signerName,
      condition: this.condition,
      cause: this.cause,
      remedy: this.remedy,
      missing: this.missing,
      cleanupError: this.cleanupError,
      ...changes,
    });
  }
}
