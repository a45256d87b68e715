import type { SpecViolation } from './engine.js';

/** Options of {@link CsrSpecError}. */
export interface CsrSpecErrorOptions {
  /**
   * What was being validated, for the first line of the message (e.g. a construct path).
   * @default - no subject in the message
   */
  readonly subject?: string;
  /**
   * The kind of object the spec is for, for the first line of the message.
   * @default 'CertificateSigningRequest'
   */
  readonly kind?: string;
  /**
   * The underlying error, if any.
   * @default - none
   */
  readonly cause?: unknown;
}

/**
 * A CertificateSigningRequest spec breaks one or more rules of {@link validateCsr}.
 *
 * `code` is always `'invalid-spec'`; `violations` holds every rule that failed (errors only). The message lists
 * each violation with the field, the value received (key material is never printed), what is allowed and how to fix it.
 */
export class CsrSpecError extends Error {
  /** Machine-readable error code. */
  public readonly code = 'invalid-spec' as const;
  /** The violations, errors only, in field order. */
  public readonly violations: readonly SpecViolation[];
  /** What was being validated, if known. */
  public readonly subject?: string;

  public constructor(violations: readonly SpecViolation[], options: CsrSpecErrorOptions = {}) {
    const where = options.subject ? ` in ${options.subject}` : '';
    const count = violations.length === 1 ? '1 problem' : `${violations.length} problems`;
    super(
      `invalid ${options.kind ?? 'CertificateSigningRequest'} spec${where} (${count}):\n${violations.map((v) => `  - ${v.message}`).join('\n')}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'CsrSpecError';
    this.violations = violations;
    this.subject = options.subject;
  }

  /** True for a CsrSpecError, also across module copies (checks the code, not the prototype). */
  public static isCsrSpecError(x: unknown): x is CsrSpecError {
    return x instanceof Error && (x as { code?: unknown }).code === 'invalid-spec' && 'violations' in x;
  }
}
