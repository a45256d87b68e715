import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { describeCertificateRequest, parseCertificateRequest } from '../pki/index.js';
import { conditionOf, CsrApi, decide } from '../runtime/index.js';
import { kubeConfigFrom, type ClusterFlagValues } from './access.js';
import { EXIT_CODES } from './exit-codes.js';
import type { CliContext } from './command.js';
import { decisionDefaults } from './commands/decision-command.js';
import { formatFields, printJson } from './output.js';

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
  ctx: CliContext,
): Promise<number> {
  const defaults = decisionDefaults(decision);
  const reason = values.reason ?? defaults.reason;
  const message = values.message ?? defaults.message;
  const api = new CsrApi(kubeConfigFrom(values));
  const current = await api.read(name, ctx.signal);
  const already = conditionOf(current, decision) !== undefined;
  // A request already decided the other way fails with code `conflict`: a plain failure (exit 1), not "denied".
  await decide(api.kc, api.api, current, { decision, reason, message }, ctx.signal);
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
    printJson(ctx, result);
  } else {
    ctx.stdout.write(
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
