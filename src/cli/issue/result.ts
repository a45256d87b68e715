import { describeCertificate, type CertificateDescription } from '../../pki/index.js';
import type { ReviewedIdentity } from '../../runtime/index.js';
import { certManagerSignerName } from '../../rules/index.js';
import type { RoleBindingResult } from '../access.js';
import { formatFields, printJson, type OutputStreams } from '../output.js';
import type { IssueFiles, IssuePlan } from './plan.js';
import { groupsText, type IssuedForUser } from './steps.js';

/** What `kube-csr issue --json` prints. No key material, ever. */
export interface IssueResult {
  readonly user: string;
  readonly groups: string[];
  /**
   * The signer: spec.signerName of the CertificateSigningRequest, or with --issuer the name cert-manager's approval
   * check uses (e.g. `clusterissuers.cert-manager.io/NAME`).
   */
  readonly signerName: string;
  /** The CertificateSigningRequest's name, or with --issuer the CertificateRequest's (deleted once read). */
  readonly csrName: string;
  /** With --issuer: the cert-manager issuer and the CertificateRequest's namespace. */
  readonly certManager?: { readonly issuer: string; readonly namespace: string };
  readonly files: IssueFiles;
  readonly context: string;
  readonly certificate: CertificateDescription;
  /** Who the new kubeconfig authenticates as (SelfSubjectReview). */
  readonly identity: { readonly username: string; readonly groups: string[] };
  readonly roleBinding?: RoleBindingResult;
}

/** What the steps produced, for {@link issueResult}. */
export interface IssueOutcome {
  readonly issued: IssuedForUser;
  readonly context: string;
  readonly identity: ReviewedIdentity;
  readonly roleBinding?: RoleBindingResult;
}

/** The result document of a finished `kube-csr issue`. */
export function issueResult(plan: IssuePlan, outcome: IssueOutcome): IssueResult {
  const { issued, identity, roleBinding } = outcome;
  const namespace = issued.namespace ?? 'default';
  return {
    user: plan.user,
    groups: plan.groups,
    signerName: plan.issuer ? (certManagerSignerName({ ...plan.issuer, namespace }) ?? plan.issuedBy) : plan.signerName,
    csrName: issued.csrName,
    ...(plan.issuer ? { certManager: { issuer: plan.issuedBy, namespace } } : {}),
    files: plan.files,
    context: outcome.context,
    certificate: describeCertificate(issued.chain.leaf),
    identity: { username: identity.username, groups: [...identity.groups] },
    ...(roleBinding ? { roleBinding } : {}),
  };
}

/** Prints the result: one JSON document with --json, else aligned fields. */
export function printIssueResult(out: OutputStreams, plan: IssuePlan, result: IssueResult): void {
  if (plan.json) {
    printJson(out, result);
    return;
  }
  const { files, roleBinding, identity, groups } = result;
  out.stdout.write(
    formatFields([
      ['user', `${result.user}${groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''}`],
      ['key', `${files.key} (mode 0600)`],
      ['certificate', `${files.certificate} (expires ${result.certificate.notAfter})`],
      ['request', files.request],
      ['kubeconfig', `${files.kubeconfig} (mode 0600, context ${result.context})`],
      ['identity', `${identity.username} (groups ${groupsText(identity.groups)})`],
      [
        'rolebinding',
        roleBinding &&
          `${roleBinding.name} in namespace ${roleBinding.namespace} -> ${roleBinding.roleRef.kind} ${roleBinding.roleRef.name}`,
      ],
      ['try', `kubectl --kubeconfig ${files.kubeconfig} auth whoami`],
    ]),
  );
}
