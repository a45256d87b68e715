import type { KubeConfig } from '@kubernetes/client-node';
import {
  createCertificateRequest,
  generateKey,
  PkiError,
  type CertificateChain,
  type GeneratedKey,
} from '../../pki/index.js';
import type { ReviewedIdentity } from '../../runtime/index.js';
import { CsrRuntimeError } from '../../runtime/errors.js';
import { certManagerSignerName } from '../../rules/index.js';
import type { ResolvedRole, RoleBindingResult } from '../access.js';
import { CliError, UsageError, withRemedy } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { ensureParentDirectory, PUBLIC_FILE_MODE, SECRET_FILE_MODE, writeOutputFile } from '../files.js';
import { formatDuration } from '../flags.js';
import { certificateRequestNamespace, type IssuerFlag } from '../issuer.js';
import { ISSUE_COMMAND, type IssuePlan } from './plan.js';
import { certificateRequestProgressRenderer, csrProgressRenderer, type IssueProgress } from './progress.js';
import { checkIssueRequest, type CheckedRequest } from './validate.js';

/** What every step of `kube-csr issue` works with. */
export interface IssueSteps {
  readonly plan: IssuePlan;
  readonly progress: IssueProgress;
  /** Ctrl-C. */
  readonly signal: AbortSignal;
}

/** What steps 3 to 5 produce, whichever backend issued the certificate. */
export interface IssuedForUser {
  /** The CertificateSigningRequest's name, or the CertificateRequest's. */
  readonly csrName: string;
  readonly chain: CertificateChain;
  readonly leafPem: string;
  readonly intermediatesPem: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly cleanupError?: CsrRuntimeError;
  /** With --issuer: the CertificateRequest's namespace. */
  readonly namespace?: string;
}

/** Step 1: the private key (openssl genrsa). */
export async function generateKeyStep({ plan, progress, signal }: IssueSteps): Promise<GeneratedKey> {
  signal.throwIfAborted();
  progress.begin(`Generate an ${plan.keyType} private key`);
  const key = await generateKey(plan.keyType);
  progress.done(`Generated an ${plan.keyType} private key`);
  signal.throwIfAborted();
  return key;
}

/**
 * Step 2: the PKCS#10 request with CN=user and O=group..., checked against the rules as it will be submitted (with
 * --issuer, in the namespace the CertificateRequest goes to: --namespace, else the context's); warnings are printed.
 * The flags alone were checked before step 1 (`checkIssueFlags`).
 *
 * @throws UsageError when the user or groups cannot be a subject, or the request breaks a rule
 */
export function createRequestStep({ plan, progress }: IssueSteps, key: GeneratedKey, kc: KubeConfig): CheckedRequest {
  progress.begin('Create the certificate signing request');
  let request: string;
  try {
    request = createCertificateRequest({
      privateKey: key.privateKey,
      commonName: plan.user,
      organizations: plan.groups,
    });
  } catch (error) {
    if (PkiError.isPkiError(error, 'invalid-subject')) {
      throw new UsageError(`invalid --user or --group: ${error.message}`, ISSUE_COMMAND, error);
    }
    throw error;
  }
  const namespace = certificateRequestNamespace(kc, plan.namespace);
  const checked = checkIssueRequest(plan, request, namespace);
  for (const warning of checked.warnings) progress.warn(warning);
  const subject = [`CN=${plan.user}`, ...plan.groups.map((g) => `O=${g}`)].join(', ');
  progress.done(`Created the certificate signing request ${subject}`);
  return checked;
}

/**
 * Steps 3 to 5: the CertificateSigningRequest (or with --issuer the cert-manager CertificateRequest), its approval
 * and the certificate; the runtime deletes the object on every path. Warns when the certificate is shorter-lived
 * than asked.
 *
 * @throws CliError with exit code `timeout` and this command's remedy when nobody approved in time
 */
export async function issueCertificateStep(
  steps: IssueSteps,
  kc: KubeConfig,
  request: CheckedRequest,
): Promise<IssuedForUser> {
  const { plan, progress } = steps;
  const issued = plan.issuer
    ? await issueThroughCertManager(steps, kc, request, plan.issuer)
    : await issueThroughCsr(steps, kc, request);
  if (issued.cleanupError) progress.warn(issued.cleanupError.message);
  const lifetimeMs = issued.notAfter.getTime() - issued.notBefore.getTime();
  if (lifetimeMs < plan.expirationSeconds * 1000 - 60_000) {
    progress.warn(
      `the certificate is valid for ${formatDuration(Math.max(0, lifetimeMs))}, not the ` +
        `${formatDuration(plan.expirationSeconds * 1000)} asked for: ` +
        (plan.issuer
          ? `the issuer ${plan.issuedBy} shortened it (a CA issuer never issues past the end of its CA certificate)`
          : `the signer ${plan.signerName} shortened it (kube-controller-manager caps lifetimes at its --cluster-signing-duration)`),
    );
  }
  return issued;
}

async function issueThroughCsr(steps: IssueSteps, kc: KubeConfig, request: CheckedRequest): Promise<IssuedForUser> {
  const { plan, progress, signal } = steps;
  const { openCertificateSigningRequest } = await import('../../runtime/index.js');
  const { csr } = request;
  if (csr === undefined) throw new Error('kube-csr issue: the CertificateSigningRequest was not validated');
  progress.begin(`Create a CertificateSigningRequest for ${plan.signerName}`);
  try {
    return await openCertificateSigningRequest(
      { ...csr, autoApprove: plan.approve },
      { kubeConfig: kc, timeoutMs: plan.timeoutMs, signal, onProgress: csrProgressRenderer(plan, progress) },
    );
  } catch (error) {
    return rethrowWithApprovalRemedy(
      error,
      (name) =>
        `approve it (kube-csr approve ${name}${plan.clusterArgs}, kubectl certificate approve ${name}) ` +
        'or pass --approve to approve it yourself',
    );
  }
}

async function issueThroughCertManager(
  steps: IssueSteps,
  kc: KubeConfig,
  request: CheckedRequest,
  issuer: IssuerFlag,
): Promise<IssuedForUser> {
  const { plan, progress, signal } = steps;
  const { openCertificateRequest } = await import('../../runtime/index.js');
  const certManagerRequest = request.certManagerRequest;
  if (certManagerRequest === undefined) throw new Error('kube-csr issue: the CertificateRequest was not validated');
  const namespace = certManagerRequest.metadata.namespace;
  progress.begin(`Create a CertificateRequest for ${plan.issuedBy} in namespace ${namespace}`);
  try {
    const opened = await openCertificateRequest(
      { ...certManagerRequest, autoApprove: plan.approve },
      {
        kubeConfig: kc,
        timeoutMs: plan.timeoutMs,
        signal,
        onProgress: certificateRequestProgressRenderer(plan, namespace, progress),
      },
    );
    return { ...opened, csrName: opened.name, namespace };
  } catch (error) {
    return rethrowWithApprovalRemedy(
      error,
      (name) =>
        `approve it (cmctl approve -n ${namespace} ${name}), or pass --approve to approve it yourself ` +
        `(needs verb "approve" on signers ${certManagerSignerName({ ...issuer, namespace }) ?? plan.issuedBy})`,
    );
  }
}

/**
 * Rethrows a failure of steps 3 to 5; a timeout for want of approval gets this command's remedy (its flags and the
 * approver's command for the object) in place of the runtime's, and the timeout exit code.
 */
function rethrowWithApprovalRemedy(error: unknown, remedy: (name: string) => string): never {
  if (CsrRuntimeError.isCsrRuntimeError(error) && error.code === 'timeout' && error.missing === 'approval') {
    throw new CliError(withRemedy(error, remedy(error.csrName ?? '')), { exitCode: EXIT_CODES.timeout, cause: error });
  }
  throw error;
}

/** Writes the key (0600), the request and the certificate chain once the certificate is in hand. */
export function writeCertificateFiles(
  { plan, progress, signal }: IssueSteps,
  key: GeneratedKey,
  request: string,
  issued: IssuedForUser,
): string {
  const certificatePem = [issued.leafPem, ...issued.intermediatesPem].join('');
  signal.throwIfAborted();
  const { files, force } = plan;
  writeOutputFile(files.key, key.privateKeyPem, SECRET_FILE_MODE, force);
  writeOutputFile(files.request, request, PUBLIC_FILE_MODE, force);
  writeOutputFile(files.certificate, certificatePem, PUBLIC_FILE_MODE, force);
  progress.note(
    `wrote ${files.key} (mode 0600), ${files.request} and ${files.certificate} ` +
      `(valid ${issued.notBefore.toISOString()} to ${issued.notAfter.toISOString()})`,
  );
  return certificatePem;
}

/**
 * Step 6: a kubeconfig with the key and certificate embedded and a context for the user on the current cluster
 * (kubectl config set-credentials --embed-certs, set-context). Returns the context's name.
 */
export async function writeKubeconfigStep(
  { plan, progress, signal }: IssueSteps,
  kc: KubeConfig,
  key: GeneratedKey,
  certificatePem: string,
): Promise<string> {
  const { userKubeconfigYaml } = await import('../../runtime/index.js');
  const cluster = kc.getCurrentCluster();
  const contextName = `${plan.user}@${cluster?.name ?? 'cluster'}`;
  progress.begin(`Write the kubeconfig ${plan.files.kubeconfig}`);
  ensureParentDirectory(plan.files.kubeconfig);
  writeOutputFile(
    plan.files.kubeconfig,
    userKubeconfigYaml({
      kubeConfig: kc,
      userName: plan.user,
      contextName,
      namespace: plan.namespace,
      certificatePem,
      privateKeyPem: key.privateKeyPem,
    }),
    SECRET_FILE_MODE,
    plan.force,
  );
  progress.done(`Wrote ${plan.files.kubeconfig} (mode 0600) with context ${contextName} on ${cluster?.server ?? ''}`);
  signal.throwIfAborted();
  return contextName;
}

/**
 * Step 7: a SelfSubjectReview made with the new kubeconfig (kubectl auth whoami).
 *
 * @throws CliError when the cluster does not accept the certificate, or takes it for someone else
 */
export async function checkIdentityStep({ plan, progress, signal }: IssueSteps): Promise<ReviewedIdentity> {
  const { whoAmI } = await import('../access.js');
  progress.begin('Check the identity with the new kubeconfig (SelfSubjectReview)');
  const identity = await whoAmI(plan.files.kubeconfig, signal).catch((error: unknown) => {
    if (plan.issuer && CsrRuntimeError.isCsrRuntimeError(error) && error.code === 'forbidden') {
      throw new CliError(
        `the API server does not accept the certificate ${plan.issuedBy} issued (${error.problem}): the issuer's CA ` +
          "is not the API server's client CA (kube-apiserver --client-ca-file); the key, certificate and " +
          `kubeconfig were written, but use an issuer whose CA the cluster trusts to get a working kubeconfig`,
        { cause: error },
      );
    }
    throw error;
  });
  if (identity.username !== plan.user) {
    progress.fail();
    throw new CliError(
      `the new kubeconfig authenticates as ${JSON.stringify(identity.username)}, not as ${JSON.stringify(plan.user)}: ` +
        `the ${plan.issuer ? 'issuer' : 'signer'} ${plan.issuedBy} does not issue client certificates this cluster's API ` +
        `server accepts for CN=${plan.user}` +
        (plan.issuer ? " (its CA is not the API server's --client-ca-file); the key and certificate were written" : ''),
    );
  }
  progress.done(`Authenticated as user ${identity.username}, groups ${groupsText(identity.groups)}`);
  signal.throwIfAborted();
  return identity;
}

/** Groups as the command prints them. */
export function groupsText(groups: readonly string[]): string {
  return groups.length > 0 ? groups.join(', ') : 'none';
}

/**
 * Before the steps: finds the role --role names (fails before anything is created when there is none), and the
 * warning to print when it grants nothing.
 */
export async function resolvePlannedRole(
  plan: IssuePlan,
  kc: KubeConfig,
): Promise<{ readonly role: ResolvedRole; readonly warning?: string } | undefined> {
  if (plan.role === undefined || plan.namespace === undefined) return undefined;
  const { resolveRole } = await import('../access.js');
  const role = await resolveRole(kc, plan.role, plan.namespace);
  if (role.ruleCount > 0) return { role };
  const aggregated = role.aggregated
    ? " yet: it is an aggregated ClusterRole whose rules kube-controller-manager's clusterrole-aggregation " +
      'controller fills in, and that has not happened on this cluster'
    : '';
  return { role, warning: `${role.kind} ${role.name} has no rules${aggregated}; the RoleBinding will grant nothing` };
}

/** Step 8: a RoleBinding in --namespace binding the user to the role (kubectl create rolebinding). */
export async function bindRoleStep(
  { plan, progress }: IssueSteps,
  kc: KubeConfig,
  planned: { readonly role: ResolvedRole; readonly warning?: string },
  namespace: string,
): Promise<RoleBindingResult> {
  const { bindRole } = await import('../access.js');
  const { role } = planned;
  progress.begin(`Bind ${role.kind} ${role.name} in namespace ${namespace}`);
  const roleBinding = await bindRole(kc, plan.user, role, namespace);
  if (planned.warning) progress.warn(planned.warning);
  progress.done(
    `${roleBinding.created ? 'Created' : 'Found'} RoleBinding ${roleBinding.name} in namespace ` +
      `${roleBinding.namespace}: user ${plan.user} -> ${role.kind} ${role.name}`,
  );
  return roleBinding;
}
