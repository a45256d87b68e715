import {
  checkCsr,
  formatGoDuration,
  validateCertManagerRequest,
  type CertManagerField,
  type CsrField,
  type CsrSpec,
  type SpecViolation,
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

/** The request of `kube-csr issue`, checked against the rules. */
export interface CheckedRequest {
  /** The PEM CERTIFICATE REQUEST, as written to the request file. */
  readonly pem: string;
  /** The CertificateSigningRequest to open, validated (absent with --issuer: cert-manager's path takes the PEM). */
  readonly csr?: ValidatedCsr;
  /** The rules' warnings, worded with the flags. */
  readonly warnings: readonly string[];
}

/** Stands for the PKCS#10 request before the key exists: the rules that need it are skipped. */
const PENDING_REQUEST = '(the request, made after these checks)';
const isPending = (value: unknown): boolean => value === PENDING_REQUEST;

/** The CertificateSigningRequest `kube-csr issue` submits for the plan's flags and this request. */
function csrSpecOf(plan: IssuePlan, request: string): CsrSpec {
  return {
    metadata: { generateName: plan.generateName },
    spec: { request, signerName: plan.signerName, expirationSeconds: plan.expirationSeconds, usages: ['client auth'] },
  };
}

function errorsAsUsageError(violations: readonly SpecViolation<CsrField | CertManagerField>[]): void {
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) throw new UsageError(errors.map(flagMessage).join('; '), ISSUE_COMMAND);
}

/**
 * Checks what the flags alone decide (signer, expiration, the name from --user, the issuer) before any key is made or
 * cluster contacted, so that a usage error costs nothing; the rules that need the request wait for
 * {@link checkIssueRequest}.
 *
 * @throws UsageError listing every error, worded with the flags
 */
export function checkIssueFlags(plan: IssuePlan): void {
  errorsAsUsageError(
    plan.issuer
      ? certManagerViolations(plan, plan.issuer, PENDING_REQUEST)
      : checkCsr(csrSpecOf(plan, PENDING_REQUEST), { fieldNames: FLAG_NAMES, isUnresolved: isPending }).violations,
  );
}

/**
 * Checks the request the plan will submit (a CertificateSigningRequest, or with --issuer a cert-manager
 * CertificateRequest) against the rules, once it exists: the validated CertificateSigningRequest is opened as it is.
 *
 * @throws UsageError listing every error, worded with the flags
 */
export function checkIssueRequest(plan: IssuePlan, request: string): CheckedRequest {
  const { violations, validated } = plan.issuer
    ? { violations: certManagerViolations(plan, plan.issuer, request), validated: undefined }
    : checkCsr(csrSpecOf(plan, request), { fieldNames: FLAG_NAMES });
  errorsAsUsageError(violations);
  const warnings = violations.filter((v) => v.severity === 'warning').map(flagMessage);
  return { pem: request, csr: validated, warnings };
}

function certManagerViolations(
  plan: IssuePlan,
  issuer: IssuerFlag,
  request: string,
): SpecViolation<CertManagerField>[] {
  return validateCertManagerRequest(
    {
      generateName: plan.generateName,
      // The context's namespace is known only with the kubeconfig; the runtime checks the one it uses.
      namespace: plan.namespace ?? 'default',
      request,
      issuerName: issuer.name,
      issuerKind: issuer.kind,
      duration: formatGoDuration(plan.expirationMs),
      usages: [...CLIENT_CERTIFICATE_USAGES],
    },
    { fieldNames: FLAG_NAMES, isUnresolved: isPending },
  );
}
