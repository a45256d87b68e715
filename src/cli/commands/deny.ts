import { defineCommand } from '../command.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, JSON_FLAG } from '../flags.js';

export const denyCommand = defineCommand({
  name: 'deny',
  summary: 'deny a CertificateSigningRequest (kubectl certificate deny)',
  usage: 'kube-csr deny NAME [--reason R] [--message M] [flags]',
  positionals: { min: 1, max: 1, names: 'NAME (the CertificateSigningRequest)' },
  flags: {
    reason: { type: 'string' },
    message: { type: 'string' },
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
Adds the Denied condition to CertificateSigningRequest NAME through its /approval subresource; nothing will be
issued for it, and a \`kube-csr issue\` waiting for it exits with code 3. Denying a denied request changes
nothing; an approved request cannot be denied. Needs the same RBAC as approve.

Flags:
  --reason R    the condition's reason, CamelCase (default KubeCsrDeny)
  --message M   the condition's message (default "This CSR was denied by kube-csr deny")
  --json        print the result as one JSON document
  -h, --help    show this help

${CLUSTER_FLAGS_HELP}

Examples:
  kube-csr deny kube-csr-jane-x7k2p --reason UnknownUser --message "no ticket for this user"
`,
  async run({ values, positionals }, ctx) {
    const { runDecision } = await import('../decision.js'); // loads the Kubernetes client
    return runDecision('Denied', positionals[0] ?? '', values, ctx);
  },
});
