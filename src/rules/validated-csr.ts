import type { ParsedCertificateRequest } from '../pki/index.js';
import type { CsrField, CsrSpec } from './csr-spec.js';
import { isBrandedFor } from './brand.js';
import type { SpecViolation } from './engine.js';

/**
 * Brand of a {@link ValidatedCsr}. A registered symbol (not instanceof), so that a value validated by one copy of this
 * library is recognised by another.
 */
export const VALIDATED_CSR_SYMBOL: unique symbol = Symbol.for('cdktf-kubernetes-csr/ValidatedCsr');

/**
 * A {@link CsrSpec} that passed every rule, with what validating it found: the parsed request and the warnings.
 * Made by `toValidatedCsr` and `checkCsr`; the runtime opens it without validating or parsing it again. It is frozen;
 * spread it to add the runtime's `autoApprove`: a copy that keeps the very `metadata` and `spec` objects stays
 * validated, one with another `metadata` or `spec` does not (the runtime then validates it).
 */
export interface ValidatedCsr extends CsrSpec {
  /** The brand: the `metadata` and `spec` that were validated, so that a copy with others is not taken for them. */
  readonly [VALIDATED_CSR_SYMBOL]: Pick<CsrSpec, 'metadata' | 'spec'>;
  /** spec.request, parsed (subject, subjectAltNames, public key, signature checked). */
  readonly parsedRequest: ParsedCertificateRequest;
  /** The rules that warn about the spec (it would be signed but is likely wrong). */
  readonly warnings: readonly SpecViolation<CsrField>[];
}

/**
 * True when `x` carries the {@link ValidatedCsr} brand for the `metadata` and `spec` it holds, also across module
 * copies.
 */
export function isValidatedCsr(x: unknown): x is ValidatedCsr {
  return isBrandedFor(x, VALIDATED_CSR_SYMBOL);
}

/** Brands a spec that passed the rules; the spec is copied and frozen, so that the brand keeps meaning "validated". */
export function brandValidatedCsr(
  csr: CsrSpec,
  parsedRequest: ParsedCertificateRequest,
  warnings: readonly SpecViolation<CsrField>[],
): ValidatedCsr {
  const metadata =
    csr.metadata === undefined
      ? undefined
      : Object.freeze({
          ...csr.metadata,
          ...(csr.metadata.labels === undefined ? {} : { labels: Object.freeze({ ...csr.metadata.labels }) }),
        });
  const spec = Object.freeze({
    ...csr.spec,
    ...(csr.spec.usages === undefined ? {} : { usages: Object.freeze([...csr.spec.usages]) }),
  });
  return Object.freeze({
    [VALIDATED_CSR_SYMBOL]: Object.freeze({ metadata, spec }),
    ...(metadata === undefined ? {} : { metadata }),
    spec,
    parsedRequest,
    warnings: Object.freeze([...warnings]),
  });
}
