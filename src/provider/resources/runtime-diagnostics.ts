import type { CsrRuntimeError, CsrRuntimeErrorCode } from '../../runtime/errors.js';
import type { SpecViolation } from '../../spec/validate.js';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../values/diagnostics.js';

/** One diagnostic per violated rule, pointing at the attribute, with what was received, what is allowed and the fix. */
export function violationDiagnostics(violations: readonly SpecViolation[]): Diagnostic[] {
  return violations.map((v) => {
    const detail = `${v.terraformField}: ${v.problem}.\nReceived: ${v.received}.\nAllowed: ${v.allowed}.\nFix: ${v.fix}.`;
    const summary = `Invalid ${v.terraformField}`;
    return v.severity === 'error'
      ? errorDiagnostic(summary, detail, v.terraformField)
      : warningDiagnostic(`Suspicious ${v.terraformField}`, detail, v.terraformField);
  });
}

const SUMMARIES: Readonly<Record<CsrRuntimeErrorCode, string>> = {
  'invalid-spec': 'Invalid CertificateSigningRequest',
  'already-exists': 'A CertificateSigningRequest of that name already exists',
  forbidden: 'The Kubernetes API refused the credentials or the permission',
  'invalid-object': 'The Kubernetes API rejected the CertificateSigningRequest',
  unreachable: 'The Kubernetes API server is unreachable',
  kubeconfig: 'The kubeconfig cannot be used',
  denied: 'The CertificateSigningRequest was denied',
  failed: 'The signer failed the CertificateSigningRequest',
  timeout: 'Timed out waiting for the certificate',
  aborted: 'Stopped waiting for the certificate',
  conflict: 'The CertificateSigningRequest was already decided',
  'bad-certificate': 'The issued certificate is unusable',
  'cleanup-failed': 'The CertificateSigningRequest could not be deleted',
  'api-error': 'The Kubernetes API call failed',
};

/** The remedy in Terraform's words, where the runtime's code says more than its message can. */
function terraformRemedy(error: CsrRuntimeError): { text: string; path?: string } | undefined {
  switch (error.code) {
    case 'timeout':
      return error.stage === 'pending-approval'
        ? {
            text:
              'Nobody approved the request. Set auto_approve = true (the identity needs RBAC verb "approve" on ' +
              `signers/${error.signerName ?? '<signer>'}), or approve it while Terraform waits ` +
              '(kubectl certificate approve, kube-csr approve), or raise timeout.',
            path: 'auto_approve',
          }
        : {
            text:
              `The request was approved but nothing signed it: check that a controller serves ${error.signerName ?? 'the signer'} ` +
              '(kube-controller-manager serves only kubernetes.io/* signers, and only with --cluster-signing-* set; ' +
              'managed clusters such as EKS do not sign kube-apiserver-client).',
            path: 'spec.signer_name',
          };
    case 'denied':
    case 'failed':
      return {
        text: 'Denied and Failed are final for that object; the next plan or apply submits a new request once the cause is fixed.',
      };
    case 'already-exists':
      return { text: 'Use another metadata.name, or metadata.generate_name for a unique one.', path: 'metadata.name' };
    case 'aborted':
      return { text: 'Terraform was interrupted; the request was deleted.' };
    default:
      return undefined;
  }
}

/** A runtime failure as diagnostics: the code's summary, the runtime's message, and the remedy in Terraform's words. */
export function runtimeErrorDiagnostics(error: CsrRuntimeError): Diagnostic[] {
  const cause = error.cause as { violations?: readonly SpecViolation[] } | undefined;
  if (error.code === 'invalid-spec' && cause?.violations) return violationDiagnostics(cause.violations);
  const remedy = terraformRemedy(error);
  const detail = remedy ? `${error.message}\n\n${remedy.text}` : error.message;
  return [errorDiagnostic(SUMMARIES[error.code], detail, remedy?.path)];
}
