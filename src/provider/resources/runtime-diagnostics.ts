import type { CsrRuntimeError, CsrRuntimeErrorCode } from '../../runtime/errors.js';
import type { SpecViolation } from '../../rules/engine.js';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../values/diagnostics.js';

/** A fix in Terraform's words, and the attribute it is about. */
export interface Remedy {
  readonly text: string;
  readonly path?: string;
}

/**
 * Where a served type keeps what the diagnostics point at. The runtime and the shared rules speak of the
 * CertificateSigningRequest's fields; each type says which of its attributes sets them.
 */
export interface DiagnosticFields {
  /** The attribute a broken rule points at. */
  violationPath(violation: SpecViolation): string;
  /** The attribute naming the signer. */
  readonly signerName: string;
  /** The attribute that asks the provider to approve. */
  readonly autoApprove: string;
  /** The attribute holding the object's name, when the configuration names the object. @default - none */
  readonly name?: string;
  /** For a Denied or Failed request: the attribute the condition's reason points at, and the fix. @default - none */
  conditionRemedy?(error: CsrRuntimeError): Remedy | undefined;
  /** For a timeout: the fix in this type's words. @default - the CertificateSigningRequest remedies */
  timeoutRemedy?(error: CsrRuntimeError): Remedy;
  /** The kind of object, for summaries. @default 'CertificateSigningRequest' */
  readonly kind?: string;
}

/** The fields of `kubernetes_certificate_signing_request_v1`: the shared rules' own Terraform names. */
export const CSR_V1_FIELDS: DiagnosticFields = {
  violationPath: (violation) => violation.terraformField,
  signerName: 'spec.signer_name',
  autoApprove: 'auto_approve',
  name: 'metadata.name',
};

/** One diagnostic per violated rule, pointing at the attribute, with what was received, what is allowed and the fix. */
export function violationDiagnostics(
  violations: readonly SpecViolation[],
  fields: DiagnosticFields = CSR_V1_FIELDS,
): Diagnostic[] {
  return violations.map((v) => {
    const path = fields.violationPath(v);
    const detail = `${path}: ${v.problem}.\nReceived: ${v.received}.\nAllowed: ${v.allowed}.\nFix: ${v.fix}.`;
    return v.severity === 'error'
      ? errorDiagnostic(`Invalid ${path}`, detail, path)
      : warningDiagnostic(`Suspicious ${path}`, detail, path);
  });
}

const SUMMARIES: Readonly<Record<CsrRuntimeErrorCode, string>> = {
  'invalid-spec': 'Invalid CertificateSigningRequest',
  'invalid-request': 'cert-manager refused the CertificateRequest',
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
function terraformRemedy(error: CsrRuntimeError, fields: DiagnosticFields): Remedy | undefined {
  switch (error.code) {
    case 'timeout':
      if (fields.timeoutRemedy) return fields.timeoutRemedy(error);
      return error.missing === 'approval'
        ? {
            text:
              `Nobody approved the request. Set ${fields.autoApprove} = true (the identity needs RBAC verb "approve" on ` +
              `signers/${error.signerName ?? '<signer>'}), or approve it while Terraform waits ` +
              '(kubectl certificate approve, kube-csr approve), or raise timeout.',
            path: fields.autoApprove,
          }
        : {
            text:
              `The request was approved but nothing signed it: check that a controller serves ${error.signerName ?? 'the signer'} ` +
              '(kube-controller-manager serves only kubernetes.io/* signers, and only with --cluster-signing-* set; ' +
              'managed clusters such as EKS do not sign kube-apiserver-client).',
            path: fields.signerName,
          };
    case 'denied':
    case 'failed':
      return (
        fields.conditionRemedy?.(error) ?? {
          text: 'Denied and Failed are final for that object; the next plan or apply submits a new request once the cause is fixed.',
        }
      );
    case 'already-exists':
      return fields.name
        ? { text: 'Use another metadata.name, or metadata.generate_name for a unique one.', path: fields.name }
        : undefined;
    case 'aborted':
      return { text: 'Terraform was interrupted; the request was deleted.' };
    default:
      return undefined;
  }
}

/** A runtime failure as diagnostics: the code's summary, the runtime's message, and the remedy in Terraform's words. */
export function runtimeErrorDiagnostics(
  error: CsrRuntimeError,
  fields: DiagnosticFields = CSR_V1_FIELDS,
): Diagnostic[] {
  const cause = error.cause as { violations?: readonly SpecViolation[] } | undefined;
  if (error.code === 'invalid-spec' && cause?.violations) return violationDiagnostics(cause.violations, fields);
  const remedy = terraformRemedy(error, fields);
  const detail = remedy ? `${error.message}\n\n${remedy.text}` : error.message;
  const summary = SUMMARIES[error.code].replace(
    'CertificateSigningRequest',
    fields.kind ?? 'CertificateSigningRequest',
  );
  return [errorDiagnostic(summary, detail, remedy?.path)];
}

/** True for a CsrRuntimeError, by name: the runtime is imported lazily, so its class is not at hand here. */
export function isRuntimeError(error: unknown): error is CsrRuntimeError {
  return error instanceof Error && error.name === 'CsrRuntimeError';
}

/**
 * The diagnostics of an Open that failed in the runtime or could not reach a cluster; undefined for any other
 * failure, which the caller handles.
 */
export function openFailureDiagnostics(error: unknown, fields?: DiagnosticFields): Diagnostic[] | undefined {
  if (isRuntimeError(error)) return runtimeErrorDiagnostics(error, fields);
  if (error instanceof Error && error.name === 'ProviderConfigError') {
    return [errorDiagnostic('The kubecsr provider cannot reach a cluster', error.message)];
  }
  return undefined;
}
