import { defineCommand } from '../command.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, JSON_FLAG } from '../flags.js';

export const approveCommand = defineCommand({
  name: 'approve',
  summary: 'approve a CertificateSigningRequest (kubectl certificate approve)',
  usage: 'kube-csr approve NAME [--reason R] [--message M] [flags]',
  positionals: { min: 1, max: 1, names: 'NAME (the CertificateSigningRequest)' },
  flags: {
    reason: { type: 'string' },
    message: { type: 'string' },
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
Adds the Approved condition to CertificateSigningRequest NAME through its /approval subresource; the signer then
issues the certificate. Approving an approved request changes nothing; a denied request cannot be approved.
Needs RBAC: verb "approve" on resource "signers" (group certificates.k8s.io) for the request's signer, and
"update" on "certificatesigningrequests/approval".

Flags:
  --reason R    the condition's reason, CamelCase (default KubeCsrApprove)
  --message M   the condition's message (default "This CSR was approved by kube-csr approve")
  --json        print the result as one JSON document
  -h, --help    show this help

${CLUSTER_FLAGS_HELP}

Examples:
  kube-csr approve kube-csr-jane-x7k2p
  kube-csr approve kube-csr-jane-x7k2p --reason TicketApproved --message "OPS-1234"
`,
  async run({ values, positionals }, ctx) {
    const { runDecision } = await import('../decision.js'); // loads the Kubernetes client
    return runDecision('Approved', positionals[0] ?? '', values, ctx);
  },
});
