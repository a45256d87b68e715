import type { ParsedCertificateRequest } from '../pki/index.js';
import type { CertManagerField, CertManagerRequestSpec } from './cert-manager-request.js';
import type { SpecViolation } from './engine.js';
import { isBrandedFor } from './brand.js';

/**
 * Brand of a {@link ValidatedCertManagerRequest}. A registered symbol (not instanceof), so that a value validated by
 * one copy of this library is recognised by another.
 */
export const VALIDATED_CERT_MANAGER_REQUEST_SYMBOL: unique symbol = Symbol.for(
  'cdktf-kubernetes-csr/ValidatedCertManagerRequest',
);

/**
 * A {@link CertManagerRequestSpec} that passed every rule, with what validating it found: the parsed request and the
 * warnings. Made by `toValidatedCertManagerRequest` and `checkCertManagerRequest`; the runtime's
 * `openCertificateRequest` opens it without validating or parsing it again. It is frozen; spread it to add the
 * runtime's `autoApprove`: a copy that keeps the very `metadata` and `spec` objects stays validated, one with another
 * `metadata` or `spec` does not (the runtime then validates it).
 */
export interface ValidatedCertManagerRequest extends CertManagerRequestSpec {
  /** The brand: the `metadata` and `spec` that were validated, so that a copy with others is not taken for them. */
  readonly [VALIDATED_CERT_MANAGER_REQUEST_SYMBOL]: Pick<CertManagerRequestSpec, 'metadata' | 'spec'>;
  /** spec.request, parsed (subject, subjectAltNames, public key, signature checked). */
  readonly parsedRequest: ParsedCertificateRequest;
  /** The rules that warn about the request (it would be issued but is likely wrong). */
  readonly warnings: readonly SpecViolation<CertManagerField>[];
}

/** True when `x` carries the {@link ValidatedCertManagerRequest} brand, also across module copies. */
export function isValidatedCertManagerRequest(x: unknown): x is ValidatedCertManagerRequest {
  return isBrandedFor(x, VALIDATED_CERT_MANAGER_REQUEST_SYMBOL);
}

/** Brands a request that passed the rules; it is copied and frozen, so that the brand keeps meaning "validated". */
export function brandValidatedCertManagerRequest(
  request: CertManagerRequestSpec,
  parsedRequest: ParsedCertificateRequest,
  warnings: readonly SpecViolation<CertManagerField>[],
): ValidatedCertManagerRequest {
  const metadata = Object.freeze({
    ...request.metadata,
    ...(request.metadata.labels === undefined ? {} : { labels: Object.freeze({ ...request.metadata.labels }) }),
  });
  const spec = Object.freeze({
    ...request.spec,
    issuerRef: Object.freeze({ ...request.spec.issuerRef }),
    ...(request.spec.usages === undefined ? {} : { usages: Object.freeze([...request.spec.usages]) }),
  });
  return Object.freeze({
    [VALIDATED_CERT_MANAGER_REQUEST_SYMBOL]: Object.freeze({ metadata, spec }),
    metadata,
    spec,
    parsedRequest,
    warnings: Object.freeze([...warnings]),
  });
}
