import {
  formatGoDuration,
  validateCertManagerRequest,
  validateCsrSpec,
  type CertManagerField,
  type CsrField,
  type SpecViolation,
} from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { CLIENT_CERTIFICATE_USAGES } from '../issuer.js';
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
 * Checks the request the plan will submit (a CertificateSigningRequest, or with --issuer a cert-manager
 * CertificateRequest) against the rules, once. Returns the warnings, worded with the flags.
 *
 * @throws UsageError listing every error, worded with the flags
 */
export function validateIssueRequest(plan: IssuePlan, request: string): string[] {
  const { generateName, issuer } = plan;
  const violations: SpecViolation<CsrField | CertManagerField>[] = issuer
    ? validateCertManagerRequest(
        {
          generateName,
          // The context's namespace is known only with the kubeconfig; the runtime checks the one it uses.
          namespace: plan.namespace ?? 'default',
          request,
          issuerName: issuer.name,
          issuerKind: issuer.kind,
          duration: formatGoDuration(plan.expirationMs),
          usages: [...CLIENT_CERTIFICATE_USAGES],
        },
        { fieldNames: FLAG_NAMES },
      )
    : validateCsrSpec(
        {
          generateName,
          request,
          signerName: plan.signerName,
          expirationSeconds: plan.expirationSeconds,
          usages: ['client auth'],
        },
        { fieldNames: FLAG_NAMES },
      );
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) throw new UsageError(errors.map(flagMessage).join('; '), ISSUE_COMMAND);
  return violations.filter((v) => v.severity === 'warning').map(flagMessage);
}
