import {
  checkCertManagerRequest,
  checkCsr,
  formatGoDuration,
  type CertManagerField,
  type CertManagerRequestSpec,
  type CsrField,
  type CsrSpec,
  type SpecViolation,
  type ValidatedCertManagerRequest,
  type ValidatedCsr,
} from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { CLIENT_CERTIFICATE_USAGES, type IssuerFlag } from '../issuer.js';
import { ISSUE_COMMAND, type IssuePlan } from './plan.js';

/** The request's fields by the flags that set them, for the rules' messages. */
const FLAG_NAMES: Partial<Readonly<Record<CsrField | CertManagerField, string>>> = {
  'spec.signerName': '--signer (spec.signerName)',
  'spec.expirationSeconds': '--expiration (spec.expirationSeconds)',
  'spec.duration': '--expiration (spec.duration)',
  'spec.issuerRef.name': '--issuer (spec.issuerRef.name)',
  'metadata.namespace': '--namespace (metadata.namespace)',
  'metadata.generateName': 'the name derived from --user (metadata.generateName)',
};

/** A violation in the CLI's words: the flag that sets the field, then what the rule says. */
function flagMessage(v: SpecViolation<CsrField | CertManagerField>): string {
  return `${FLAG_NAMES[v.field] ?? v.field}: ${v.problem}; received ${v.received}; allowed: ${v.allowed}; fix: ${v.fix}`;
}

/**
 * The warnings worded with the flags.
 *
 * @throws UsageError listing every error, worded with the flags
 */
function flagWarnings(violations: readonly SpecViolation<CsrField | CertManagerField>[]): string[] {
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) throw new UsageError(errors.map(flagMessage).join('; '), ISSUE_COMMAND);
  return violations.filter((v) => v.severity === 'warning').map(flagMessage);
}

/** The request of `kube-csr issue`, checked against the rules. */
export interface CheckedRequest {
  /** The PEM CERTIFICATE REQUEST, as written to the request file. */
  readonly pem: string;
  /** The CertificateSigningRequest to open, validated (absent with --issuer). */
  readonly csr?: ValidatedCsr;
  /** With --issuer: the cert-manager CertificateRequest to open, validated in the namespace it is created in. */
  readonly certManagerRequest?: ValidatedCertManagerRequest;
  /** The rules' warnings, worded with the flags. */
  readonly warnings: readonly string[];
}

/** The CertificateSigningRequest `kube-csr issue` submits for the plan's flags and this request. */
function csrSpecOf(plan: IssuePlan, request: string): CsrSpec {
  return {
    metadata: { generateName: plan.generateName },
    spec: { request, signerName: plan.signerName, expirationSeconds: plan.expirationSeconds, usages: ['client auth'] },
  };
}

/** Stands for the PKCS#10 request before the key exists: the rules that need it are skipped. */
const PENDING_REQUEST = '(the request, made after these checks)';
const isPending = (value: unknown): boolean => value === PENDING_REQUEST;

/** The rules' verdict on what the plan submits with `request` (in `namespace` with --issuer), and the validated value. */
function check(
  plan: IssuePlan,
  request: string,
  namespace: string,
  isUnresolved?: (value: unknown) => boolean,
): Pick<CheckedRequest, 'csr' | 'certManagerRequest'> & {
  readonly violations: readonly SpecViolation<CsrField | CertManagerField>[];
} {
  const options = { fieldNames: FLAG_NAMES, isUnresolved };
  if (plan.issuer) {
    const checked = checkCertManagerRequest(certManagerRequestOf(plan, plan.issuer, request, namespace), options);
    return { violations: checked.violations, certManagerRequest: checked.validated };
  }
  const checked = checkCsr(csrSpecOf(plan, request), options);
  return { violations: checked.violations, csr: checked.validated };
}

/**
 * Checks what the flags alone decide (signer, expiration, the name from --user, the issuer) before any key is made or
 * cluster contacted, so that a usage error costs nothing; the rules that need the request wait for
 * {@link checkIssueRequest}.
 *
 * @throws UsageError listing every error, worded with the flags
 */
export function checkIssueFlags(plan: IssuePlan): void {
  flagWarnings(check(plan, PENDING_REQUEST, checkedNamespace(plan), isPending).violations);
}

/**
 * Checks the request the plan will submit (a CertificateSigningRequest, or with --issuer a cert-manager
 * CertificateRequest in `namespace`, the one it is created in) against the rules, once: the validated request is
 * opened as it is.
 *
 * @throws UsageError listing every error, worded with the flags
 */
export function checkIssueRequest(plan: IssuePlan, request: string, namespace: string): CheckedRequest {
  const { violations, ...validated } = check(plan, request, namespace);
  return { pem: request, ...validated, warnings: flagWarnings(violations) };
}

/**
 * The cert-manager CertificateRequest `kube-csr issue --issuer` submits for the plan's flags and this request, in
 * `namespace`.
 */
function certManagerRequestOf(
  plan: IssuePlan,
  issuer: IssuerFlag,
  request: string,
  namespace: string,
): CertManagerRequestSpec {
  return {
    metadata: { generateName: plan.generateName, namespace },
    spec: {
      request,
      issuerRef: { name: issuer.name, kind: issuer.kind },
      duration: formatGoDuration(plan.expirationMs),
      usages: [...CLIENT_CERTIFICATE_USAGES],
    },
  };
}

/**
 * The namespace the flags are checked for before the kubeconfig is read: --namespace, else "default" (the
 * context's namespace is known only with the kubeconfig; the request is checked again, once made, in the namespace it
 * goes to).
 */
function checkedNamespace(plan: IssuePlan): string {
  return plan.namespace ?? 'default';
}
