import { KUBE_APISERVER_CLIENT_SIGNER } from '../../rules/index.js';
import { defineCommand } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, JSON_FLAG, KEY_TYPES_HELP } from '../flags.js';
import { DEFAULT_EXPIRATION, DEFAULT_TIMEOUT, ISSUE_COMMAND, planIssue } from '../issue/plan.js';
import { checkIssueFlags } from '../issue/validate.js';
import { IssueProgress } from '../issue/progress.js';
import { issueResult, printIssueResult } from '../issue/result.js';
import {
  bindRoleStep,
  checkIdentityStep,
  createRequestStep,
  generateKeyStep,
  issueCertificateStep,
  resolvePlannedRole,
  writeCertificateFiles,
  writeKubeconfigStep,
  type IssueSteps,
} from '../issue/steps.js';

export type { IssueResult } from '../issue/result.js';

/** `kube-csr issue`: the Kubernetes docs' "issue a certificate for a user" steps in one command. */
export const issueCommand = defineCommand({
  name: ISSUE_COMMAND,
  summary: 'issue a client certificate for a user: key, CSR, approval, certificate, kubeconfig, whoami, RoleBinding',
  usage:
    'kube-csr issue --user NAME [--group GROUP]... [--issuer KIND/NAME] [--approve] [--role ROLE --namespace NS] [flags]',
  abortable: true,
  flags: {
    user: { type: 'string' },
    group: { type: 'string', multiple: true },
    'key-type': { type: 'string' },
    expiration: { type: 'string' },
    signer: { type: 'string' },
    issuer: { type: 'string' },
    approve: { type: 'boolean' },
    'out-dir': { type: 'string' },
    'kubeconfig-out': { type: 'string' },
    role: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    timeout: { type: 'string' },
    force: { type: 'boolean' },
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
The Kubernetes docs' "issue a certificate for a user" steps in one command:
  1. generate a private key, written 0600 (openssl genrsa)
  2. create a PKCS#10 request with CN=<user>, O=<group>... (openssl req)
  3. create a CertificateSigningRequest (signer, usage "client auth", expirationSeconds)
  4. approve it with --approve; otherwise wait for someone to run the printed \`kube-csr approve NAME\`
  5. wait for the certificate, write it beside the key; the CertificateSigningRequest is then deleted
  6. write a kubeconfig with the key and certificate embedded and a context for the user on the current
     cluster (same server and CA), mode 0600 (kubectl config set-credentials --embed-certs, set-context)
  7. make a SelfSubjectReview with the new kubeconfig and print the user and groups (kubectl auth whoami)
  8. with --role: create a RoleBinding in --namespace binding the user to the role (kubectl create rolebinding)
With --issuer, steps 3 to 5 go through cert-manager instead: a cert-manager CertificateRequest for that Issuer or
ClusterIssuer (usages digital signature, key encipherment, client auth; spec.duration from --expiration), approved
by --approve through its status or else by cert-manager's approver (or \`cmctl approve\`), deleted once the
certificate is read. Steps 6 to 8 need an issuer whose CA the API server trusts for clients (--client-ca-file).
Existing files are never overwritten without --force; this is checked before anything is done.
Ctrl-C while waiting deletes the CertificateSigningRequest (or CertificateRequest), then exits with 130. Key
material is never printed.

Flags:
  --user NAME            the Kubernetes user name: the certificate's CN (required)
  --group GROUP          a group: the certificate's O; repeat for more groups
  --key-type TYPE        ${KEY_TYPES_HELP} (default rsa-3072)
  --expiration DURATION  requested lifetime, spec.expirationSeconds; at least 10m (default ${DEFAULT_EXPIRATION});
                         the signer may issue a shorter one (kube-controller-manager caps it at
                         --cluster-signing-duration)
  --signer NAME          spec.signerName (default ${KUBE_APISERVER_CLIENT_SIGNER})
  --issuer KIND/NAME     issue through cert-manager: ClusterIssuer/NAME, or Issuer/NAME with --namespace (the
                         Issuer's namespace, where the CertificateRequest is made; for a ClusterIssuer it goes to
                         --namespace, else the context's namespace, else default); --expiration at least 1h
  --approve              approve the request yourself (needs RBAC verb "approve" on the signer; with --issuer, on
                         resource "signers" of API group cert-manager.io for the issuer)
  --timeout DURATION     how long to wait for approval and signature (default ${DEFAULT_TIMEOUT})
  --out-dir DIR          where to write <user>.key, <user>.csr, <user>.crt and <user>.kubeconfig (default .)
  --kubeconfig-out FILE  where to write the new kubeconfig (default <out-dir>/<user>.kubeconfig)
  --role ROLE            bind the user to ROLE in --namespace with a RoleBinding: a Role of that name in the
                         namespace if there is one, else a ClusterRole; or say role/NAME or clusterrole/NAME
  --namespace, -n NS     the RoleBinding's namespace (required with --role); also the new context's namespace,
                         and with --issuer the CertificateRequest's
  --force                overwrite existing key, request, certificate and kubeconfig files
  --json                 print one JSON document with the result on stdout (progress stays on stderr)
  -h, --help             show this help

${CLUSTER_FLAGS_HELP}

Examples:
  # issue for jane in group developers, approve it yourself, give her "view" in namespace dev
  kube-csr issue --user jane --group developers --approve --role view --namespace dev --out-dir ./jane
  kubectl --kubeconfig ./jane/jane.kubeconfig get configmaps

  # wait for someone else to approve (they run: kube-csr approve <name printed on stderr>)
  kube-csr issue --user bob --timeout 30m

  # an ECDSA key valid for 1 hour, result as JSON
  kube-csr issue --user ci-bot --key-type ecdsa-p256 --expiration 1h --approve --json

  # through cert-manager: a ClusterIssuer approved by cert-manager's approver, or an Issuer in namespace team-a
  kube-csr issue --user jane --issuer ClusterIssuer/cluster-ca --role view --namespace dev
  kube-csr issue --user bob --issuer Issuer/team-ca --namespace team-a --approve
`,
  async run({ values }, ctx) {
    const plan = planIssue(values);
    checkIssueFlags(plan);
    const progress = new IssueProgress(ctx, plan);
    const steps: IssueSteps = { plan, progress, signal: ctx.signal };
    try {
      // The Kubernetes client loads only now: --help and usage errors stay fast. A bad kubeconfig or role fails
      // before a key is made.
      const { kubeConfigFrom } = await import('../access.js');
      const kc = kubeConfigFrom(plan.cluster);
      const role = await resolvePlannedRole(plan, kc);
      const key = await generateKeyStep(steps);
      const request = createRequestStep(steps, key, kc);
      const issued = await issueCertificateStep(steps, kc, request);
      const certificatePem = writeCertificateFiles(steps, key, request.pem, issued);
      const context = await writeKubeconfigStep(steps, kc, key, certificatePem);
      const identity = await checkIdentityStep(steps);
      const roleBinding = role && plan.namespace ? await bindRoleStep(steps, kc, role, plan.namespace) : undefined;
      progress.close();
      printIssueResult(ctx, plan, issueResult(plan, { issued, context, identity, roleBinding }));
      return EXIT_CODES.ok;
    } catch (error) {
      progress.fail();
      progress.close();
      throw error;
    }
  },
});
