/**
 * The Terraform documentation's scenario, a client certificate for a new user from the
 * kubernetes.io/kube-apiserver-client signer, auto-approved, deployed through kubecsr alone: this package's own
 * provider serving hashicorp/kubernetes' ephemeral `kubernetes_certificate_signing_request_v1`.
 *
 * 1. a KubeCsrProvider with your kubeconfig (an administrator, who may approve CSRs for that signer) opens the
 *    ephemeral CSR: the same construct and schema as with hashicorp/kubernetes, plus `provider: kubecsr` and the
 *    kubecsr extras `metadata.generateName` (no name collisions between runs) and `timeout`;
 * 2. a kubecsr alias authenticates with the issued certificate and the local key (`file()`), taking the server and
 *    CA from the same kubeconfig;
 * 3. KubeCsrSelfSubjectReview, read through the alias, says who the cluster thinks that is; the user name and the
 *    groups are root outputs (a data source's values are not ephemeral). No RBAC is needed for that.
 *
 * The key is made once in .cdktf-kubernetes-csr/keys/ (0600, outside cdktf.out) and reused; only the CSR made from
 * it enters the configuration. Install the provider first (`npx kube-csr provider install`) and deploy with
 * `cdktf deploy --skip-provider-lock` (no registry serves kubecsr). Settings come from the environment: KUBECONFIG,
 * KUBE_CONTEXT, DEMO_USER (default jane), DEMO_GROUPS (comma-separated, default dev); the output directory from
 * CDKTF_OUTDIR (default cdktf.out). Needs Terraform >= 1.10.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  KubernetesCertificateSigningRequestV1Ephemeral,
  ensureLocalKey,
  issuedIdentityProvider,
} from '../../src/constructs/index.js';
import { createCertificateRequest } from '../../src/pki/index.js';

interface Settings {
  readonly kubeconfig: string;
  readonly context?: string;
  readonly user: string;
  readonly groups: string[];
  readonly outdir: string;
}

function settingsFromEnv(outdir: string, env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    kubeconfig: env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config',
    context: env.KUBE_CONTEXT,
    user: env.DEMO_USER ?? 'jane',
    groups: (env.DEMO_GROUPS ?? 'dev').split(',').filter((group) => group !== ''),
    outdir,
  };
}

class KubeCsrDropInStack extends TerraformStack {
  public constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);

    // The default kubecsr configuration: an administrator, who creates and approves the CSR.
    const kubecsr = new KubeCsrProvider(this, 'kubecsr', {
      configPath: settings.kubeconfig,
      configContext: settings.context,
    });

    // The new user's key, kept locally; the PKCS#10 request (CN=<user>, O=<group>...) is public.
    const key = ensureLocalKey({ name: settings.user, forbiddenDirectories: [settings.outdir] });
    const request = createCertificateRequest({
      privateKey: key.privateKey,
      commonName: settings.user,
      organizations: settings.groups,
    });

    // The documentation's block, served by kubecsr: `provider = kubecsr`, generate_name instead of a fixed name.
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(this, 'user', {
      provider: kubecsr,
      metadata: { generateName: `${settings.user}-` },
      spec: {
        request,
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
        expirationSeconds: 3600,
      },
      autoApprove: true,
      timeout: '2m',
    });

    // kubecsr as the new user: client_certificate is the ephemeral certificate, client_key is file(<key>).
    const asUser = issuedIdentityProvider(this, 'as-user', {
      kind: 'kubecsr',
      alias: 'as_user',
      credentials: { certificate: csr.certificate, keyFile: key.keyFile },
      configPath: settings.kubeconfig,
      configContext: settings.context,
    });

    const review = new KubeCsrSelfSubjectReview(this, 'whoami', { provider: asUser });
    new TerraformOutput(this, 'username', { value: review.username });
    new TerraformOutput(this, 'groups', { value: review.groups });
  }
}

const app = new App();
new KubeCsrDropInStack(app, 'kubecsr-drop-in', settingsFromEnv(app.outdir));
app.synth();
