import type { ParsedCertificateRequest } from '../pki/index.js';
import type { CertManagerField, CertManagerRequestSpec } from './cert-manager-request.js';
import type { SpecViolation } from './engine.js';

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
 * runtime's `autoApprove` (a spread copy keeps the brand, so change nothing else in a copy).
 */
export interface ValidatedCertManagerRequest extends CertManagerRequestSpec {
  /** The brand: present only on values made by `toValidatedCertManagerRequest` and `checkCertManagerRequest`. */
  readonly [VALIDATED_CERT_MANAGER_REQUEST_SYMBOL]: true;
  /** spec.request, parsed (subject, subjectAltNames, public key, signature checked). */
  readonly parsedRequest: ParsedCertificateRequest;
  /** The rules that warn about the request (it would be issued but is likely wrong). */
  readonly warnings: readonly SpecViolation<CertManagerField>[];
}

/** True when `x` carries the {@link ValidatedCertManagerRequest} brand, also across module copies. */
export function isValidatedCertManagerRequest(x: unknown): x is ValidatedCertManagerRequest {
  return (
    x !== null &&
    typeof x === 'object' &&
    (x as Record<symbol, unknown>)[VALIDATED_CERT_MANAGER_REQUEST_SYMBOL] === true
  );
}

/** Brands a request that passed the rules; it is copied and frozen, so that the brand keeps meaning "validated". */
export function brandValidatedCertManagerRequest(
  request: CertManagerRequestSpec,
  parsedRequest: ParsedCertificateRequest,
  warnings: readonly SpecViolation<CertManagerField>[],
): ValidatedCertManagerRequest {
  const { metadata, spec } = request;
  return Object.freeze({
    [VALIDATED_CERT_MANAGER_REQUEST_SYMBOL]: true as const,
    metadata: Object.freeze({
      ...metadata,
      ...(metadata.labels === undefined ? {} : { labels: Object.freeze({ ...metadata.labels }) }),
    }),
    spec: Object.freeze({
      ...spec,
      issuerRef: Object.freeze({ ...spec.issuerRef }),
      ...(spec.usages === undefined ? {} : { usages: Object.freeze([...spec.usages]) }),
    }),
    parsedRequest,
    warnings: Object.freeze([...warnings]),
  });
}
