import { defineDecisionCommand } from './decision-command.js';

/** `kube-csr approve NAME`: kubectl certificate approve, with a result and RBAC hints. */
export const approveCommand = defineDecisionCommand({
  decision: 'Approved',
  summary: 'approve a CertificateSigningRequest (kubectl certificate approve)',
  about: `
Adds the Approved condition to CertificateSigningRequest NAME through its /approval subresource; the signer then
issues the certificate. Approving an approved request changes nothing; a denied request cannot be approved.
Needs RBAC: verb "approve" on resource "signers" (group certificates.k8s.io) for the request's signer, and
"update" on "certificatesigningrequests/approval".`,
  examples: `
  kube-csr approve kube-csr-jane-x7k2p
  kube-csr approve kube-csr-jane-x7k2p --reason TicketApproved --message "OPS-1234"`,
});
