import { defineDecisionCommand } from './decision-command.js';

/** `kube-csr deny NAME`: kubectl certificate deny, with a result. */
export const denyCommand = defineDecisionCommand({
  decision: 'Denied',
  summary: 'deny a CertificateSigningRequest (kubectl certificate deny)',
  about: `
Adds the Denied condition to CertificateSigningRequest NAME through its /approval subresource; nothing will be
issued for it, and a \`kube-csr issue\` waiting for it exits with code 3. Denying a denied request changes
nothing; an approved request cannot be denied. Needs the same RBAC as approve.`,
  examples: `
  kube-csr deny kube-csr-jane-x7k2p --reason UnknownUser --message "no ticket for this user"`,
});
