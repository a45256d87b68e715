import type { ParsedCertificateRequest } from '../pki/index.js';
import type { CsrField, CsrSpec } from './csr-spec.js';
import type { SpecViolation } from './engine.js';

/**
 * Brand of a {@link ValidatedCsr}. A registered symbol (not instanceof), so that a value validated by one copy of this
 * library is recognised by another.
 */
export const VALIDATED_CSR_SYMBOL: unique symbol = Symbol.for('cdktf-kubernetes-csr/ValidatedCsr');

/**
 * A {@link CsrSpec} that passed every rule, with what validating it found: the parsed request and the warnings.
 * Made by `toValidatedCsr` and `checkCsr`; the runtime opens it without validating or parsing it again. It is frozen;
 * spread it to add the runtime's `autoApprove` (a spread copy keeps the brand).
 */
export interface ValidatedCsr extends CsrSpec {
  /** The brand: present only on values made by `toValidatedCsr` and `checkCsr` (and copies of them). */
  readonly [VALIDATED_CSR_SYMBOL]: true;
  /** spec.request, parsed (subject, subjectAltNames, public key, signature checked). */
  readonly parsedRequest: ParsedCertificateRequest;
  /** The rules that warn about the spec (it would be signed but is likely wrong). */
  readonly warnings: readonly SpecViolation<CsrField>[];
}

/** True when `x` carries the {@link ValidatedCsr} brand, also across module copies. */
export function isValidatedCsr(x: unknown): x is ValidatedCsr {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[VALIDATED_CSR_SYMBOL] === true;
}

/** Brands a spec that passed the rules; the spec is copied and frozen, so that the brand keeps meaning "validated". */
export function brandValidatedCsr(
  csr: CsrSpec,
  parsedRequest: ParsedCertificateRequest,
  warnings: readonly SpecViolation<CsrField>[],
): ValidatedCsr {
  const { metadata } = csr;
  const spec = csr.spec;
  return Object.freeze({
    [VALIDATED_CSR_SYMBOL]: true as const,
    ...(metadata === undefined
      ? {}
      : {
          metadata: Object.freeze({
            ...metadata,
            ...(metadata.labels === undefined ? {} : { labels: Object.freeze({ ...metadata.labels }) }),
          }),
        }),
    spec: Object.freeze({
      ...spec,
      ...(spec.usages === undefined ? {} : { usages: Object.freeze([...spec.usages]) }),
    }),
    parsedRequest,
    warnings: Object.freeze([...warnings]),
  });
}
