/**
 * A new Kubernetes user whose private key never exists outside memory: not at synth time, not in a file, not in
 * cdktf.out, the plan or the state.
 *
 * 1. a KubeCsrProvider with your kubeconfig (an administrator, who may approve CSRs for
 *    kubernetes.io/kube-apiserver-client) is in the stack, so ClientCertificate keeps its key in memory: it declares
 *    an ephemeral `kubecsr_client_identity`, and kubecsr generates the key, has the certificate issued and deletes the
 *    CertificateSigningRequest each time Terraform opens it (plan and apply);
 * 2. a kubecsr alias authenticates with the in-memory key and certificate (`client_key` and `client_certificate` are
 *    the ephemeral results, and so are the server and CA);
 * 3. KubeCsrSelfSubjectReview, read through the alias, says who the cluster thinks that is; the user name and groups
 *    are root outputs (a data source's values are not ephemeral). No RBAC is needed for that.
 *
 * With DEMO_CONFIGMAP=1 the new user also writes a ConfigMap through hashicorp/kubernetes (an alias wired the same
 * way, after the administrator grants a Role); that part needs the hashicorp/kubernetes provider >= 2.34.
 *
 * Install kubecsr first (`npx kube-csr provider install`) and deploy with `cdktf deploy --skip-provider-lock`.
 * Settings come from the environment: KUBECONFIG, KUBE_CONTEXT, DEMO_USER (default jane), DEMO_GROUPS
 * (comma-separated, default dev), KUBE_NAMESPACE (default default, for the ConfigMap); the output directory from
 * CDKTF_OUTDIR (default cdktf.out). Needs Terraform >= 1.10.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1/index.js';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1/index.js';
import type { Construct } from 'constructs';
import { ClientCertificate, KubeCsrProvider, KubeCsrSelfSubjectReview } from '../../src/constructs/index.js';

interface Settings {
  readonly kubeconfig: string;
  readonly context?: string;
  readonly user: string;
  readonly groups: string[];
  readonly namespace: string;
  readonly configMap: boolean;
}

function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    kubeconfig: env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config',
    context: env.KUBE_CONTEXT,
    user: env.DEMO_USER ?? 'jane',
    groups: (env.DEMO_GROUPS ?? 'dev').split(',').filter((group) => group !== ''),
    namespace: env.KUBE_NAMESPACE ?? 'default',
    configMap: env.DEMO_CONFIGMAP === '1',
  };
}

class InMemoryClientStack extends TerraformStack {
  public constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);

    // The default kubecsr configuration: an administrator, who creates and approves the CSR. Created first: with it
    // in the stack, ClientCertificate keeps its key in memory.
    new KubeCsrProvider(this, 'kubecsr', { configPath: settings.kubeconfig, configContext: settings.context });

    // An ephemeral kubecsr_client_identity: CN=<user>, O=<group>..., signer kubernetes.io/kube-apiserver-client.
    const user = new ClientCertificate(this, 'user', {
      user: settings.user,
      groups: settings.groups,
      expirationSeconds: 3600,
      timeout: '2m',
    });

    // kubecsr as the new user: host, CA, certificate and key all come from the identity's ephemeral results.
    const asUser = user.kubecsrProvider(this, 'as-user', { alias: 'as_user' });
    const review = new KubeCsrSelfSubjectReview(this, 'whoami', { provider: asUser });
    new TerraformOutput(this, 'username', { value: review.username });
    new TerraformOutput(this, 'groups', { value: review.groups });

    if (settings.configMap) this.writeConfigMapAsUser(user, settings);
  }

  /** The administrator grants a Role; hashicorp/kubernetes, authenticated as the new user, writes a ConfigMap. */
  private writeConfigMapAsUser(user: ClientCertificate, settings: Settings): void {
    new KubernetesProvider(this, 'admin', { configPath: settings.kubeconfig, configContext: settings.context });
    const role = new RoleV1(this, 'configmap-writer', {
      metadata: { name: 'in-memory-configmap-writer', namespace: settings.namespace },
      rule: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'update', 'patch', 'delete'] }],
    });
    const binding = new RoleBindingV1(this, 'configmap-writer-binding', {
      metadata: { name: `in-memory-configmap-writer-${settings.user}`, namespace: settings.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: [{ kind: 'User', name: settings.user, apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const asUser = user.provider(this, 'as-user-kubernetes', { alias: 'as_user' });
    new ConfigMapV1(this, 'hello', {
      provider: asUser,
      dependsOn: [binding],
      metadata: { name: `hello-from-${settings.user}`, namespace: settings.namespace },
      data: { greeting: 'written with a client key that never left memory' },
    });
  }
}

const app = new App();
new InMemoryClientStack(app, 'in-memory-client', settingsFromEnv());
app.synth();
