import { defineCommand, type Command } from '../command.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, JSON_FLAG } from '../flags.js';

/** The decision a command writes, and the words of its help. */
export interface DecisionCommandText {
  readonly decision: 'Approved' | 'Denied';
  /** One line for `kube-csr --help`. */
  readonly summary: string;
  /** What the command does, for its help. */
  readonly about: string;
  /** Example command lines, one per line, indented. */
  readonly examples: string;
}

/** The verb of a decision, as the command and kubectl name it. */
export function decisionVerb(decision: DecisionCommandText['decision']): 'approve' | 'deny' {
  return decision === 'Approved' ? 'approve' : 'deny';
}

/** The condition's reason and message when --reason and --message are not given. */
export function decisionDefaults(decision: DecisionCommandText['decision']): {
  readonly reason: string;
  readonly message: string;
} {
  const verb = decisionVerb(decision);
  return {
    reason: decision === 'Approved' ? 'KubeCsrApprove' : 'KubeCsrDeny',
    message: `This CSR was ${decision.toLowerCase()} by kube-csr ${verb}`,
  };
}

/** `kube-csr approve` or `kube-csr deny`: the same command for either decision. */
export function defineDecisionCommand(text: DecisionCommandText): Command {
  const verb = decisionVerb(text.decision);
  const defaults = decisionDefaults(text.decision);
  return defineCommand({
    name: verb,
    summary: text.summary,
    usage: `kube-csr ${verb} NAME [--reason R] [--message M] [flags]`,
    positionals: { min: 1, max: 1, names: 'NAME (the CertificateSigningRequest)' },
    flags: {
      reason: { type: 'string' },
      message: { type: 'string' },
      ...JSON_FLAG,
      ...CLUSTER_FLAGS,
    },
    details: `
${text.about.trim()}

Flags:
  --reason R    the condition's reason, CamelCase (default ${defaults.reason})
  --message M   the condition's message (default "${defaults.message}")
  --json        print the result as one JSON document
  -h, --help    show this help

${CLUSTER_FLAGS_HELP}

Examples:
${text.examples.replace(/^\n+|\n+$/g, '')}
`,
    async run({ values, positionals }, ctx) {
      const { runDecision } = await import('../decision.js'); // loads the Kubernetes client
      return runDecision(text.decision, positionals[0] ?? '', values, ctx);
    },
  });
}
