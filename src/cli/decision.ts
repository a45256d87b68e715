import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { describeCertificateRequest, parseCertificateRequest } from '../pki/index.js';
import { certificatesApi, conditionOf, decide } from '../runtime/index.js';
import { kubeConfigFrom, readCsr, type ClusterFlagValues } from './cluster.js';
import { EXIT_CODES } from './exit-codes.js';
import { formatFields, printJson, type OutputStreams } from './output.js';

/** What `kube-csr approve|deny --json` prints. */
export interface DecisionResult {
  readonly name: string;
  readonly decision: 'Approved' | 'Denied';
  /** false when the request already carried this decision (nothing was changed). */
  readonly changed: boolean;
  readonly signerName: string;
  /** Who created the request (spec.username). */
  readonly requestor?: string;
  /** The request's subject, e.g. `CN=jane,O=developers`. */
  readonly subject?: string;
  readonly reason: string;
  readonly message: string;
}

/** The flags of approve and deny. */
export interface DecisionFlagValues extends ClusterFlagValues {
  readonly reason?: string;
  readonly message?: string;
  readonly json?: boolean;
}

function subjectOf(csr: V1CertificateSigningRequest): string | undefined {
  try {
    return describeCertificateRequest(parseCertificateRequest(Buffer.from(csr.spec.request, 'base64').toString('utf8')))
      .subject.text;
  } catch {
    return undefined;
  }
}

/** Approves or denies CertificateSigningRequest `name` through its /approval subresource (`kubectl certificate`). */
export async function runDecision(
  decision: 'Approved' | 'Denied',
  name: string,
  values: DecisionFlagValues,
  out: OutputStreams,
): Promise<number> {
  const verb = decision === 'Approved' ? 'approve' : 'deny';
  const reason = values.reason ?? (decision === 'Approved' ? 'KubeCsrApprove' : 'KubeCsrDeny');
  const message = values.message ?? `This CSR was ${decision.toLowerCase()} by kube-csr ${verb}`;
  const kc = kubeConfigFrom(values);
  const api = certificatesApi(kc);
  const current = await readCsr(kc, api, name);
  const already = conditionOf(current, decision) !== undefined;
  // A request already decided the other way fails with code `conflict`: a plain failure (exit 1), not "denied".
  await decide(kc, api, current, { decision, reason, message });
  const result: DecisionResult = {
    name,
    decision,
    changed: !already,
    signerName: current.spec.signerName,
    ...(current.spec.username ? { requestor: current.spec.username } : {}),
    ...(subjectOf(current) ? { subject: subjectOf(current) } : {}),
    reason,
    message,
  };
  if (values.json) {
    printJson(out, result);
  } else {
    out.stdout.write(
      `${already ? `${name} was already ${decision.toLowerCase()}` : `${decision.toLowerCase()} ${name}`}\n` +
        formatFields([
          ['  signer', result.signerName],
          ['  subject', result.subject],
          ['  requestor', result.requestor],
        ]),
    );
  }
  return EXIT_CODES.ok;
}
