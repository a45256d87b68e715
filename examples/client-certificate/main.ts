/**
 * A new Kubernetes user, end to end, without a certificate ever landing in state:
 *
 * 1. an admin `kubernetes` provider (your kubeconfig) creates a Role and a RoleBinding for the user;
 * 2. ClientCertificate makes a key in .cdktf-kubernetes-csr/keys/ (0600, reused) and a CSR from it, and declares the
 *    ephemeral CertificateSigningRequest the admin provider opens, approves and collects on every plan/apply;
 * 3. a second provider alias authenticates with that certificate and key, and creates a ConfigMap as the user.
 *
 * Run: `npx tsx examples/client-certificate/main.ts` (or `npx cdktf synth` at the repo root). Settings come from
 * the environment: KUBECONFIG, KUBE_CONTEXT, KUBE_HOST, KUBE_CA_FILE, KUBE_NAMESPACE, DEMO_USER; the output
 * directory from CDKTF_OUTDIR (default cdktf.out). Applying it needs Terraform >= 1.10.
 */
import { App, TerraformStack } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1/index.js';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1/index.js';
import type { Construct } from 'constructs';
import { ClientCertificate } from '../../src/constructs/index.js';

interface Settings {
  readonly kubeconfig: string;
  readonly context?: string;
  readonly host: string;
  readonly caFile: string;
  readonly namespace: string;
  readonly user: string;
}

function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    kubeconfig: env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config',
    context: env.KUBE_CONTEXT,
    host: env.KUBE_HOST ?? 'https://127.0.0.1:6443',
    caFile: env.KUBE_CA_FILE ?? '/etc/kubernetes/pki/ca.crt',
    namespace: env.KUBE_NAMESPACE ?? 'default',
    user: env.DEMO_USER ?? 'jane',
  };
}

class ClientCertificateStack extends TerraformStack {
  public constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);

    // The default provider: an administrator, who may create RBAC objects and approve CSRs.
    new KubernetesProvider(this, 'admin', { configPath: settings.kubeconfig, configContext: settings.context });

    const role = new RoleV1(this, 'configmap-writer', {
      metadata: { name: 'configmap-writer', namespace: settings.namespace },
      rule: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] },
      ],
    });
    const binding = new RoleBindingV1(this, 'configmap-writer-binding', {
      metadata: { name: `configmap-writer-${settings.user}`, namespace: settings.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: [{ kind: 'User', name: settings.user, apiGroup: 'rbac.authorization.k8s.io' }],
    });

    // CN=<user>, O=cdktf-demo; signer kubernetes.io/kube-apiserver-client, usages ["client auth"].
    const certificate = new ClientCertificate(this, 'user-certificate', {
      user: settings.user,
      groups: ['cdktf-demo'],
      expirationSeconds: 3600,
    });

    // A provider that is the new user: client_certificate is the ephemeral certificate, client_key is file(<key>).
    const asUser = certificate.provider(this, 'as-user', {
      alias: 'as_user',
      host: settings.host,
      clusterCaCertificateFile: settings.caFile,
    });

    new ConfigMapV1(this, 'hello', {
      provider: asUser,
      dependsOn: [binding],
      metadata: { name: `hello-from-${settings.user}`, namespace: settings.namespace },
      data: { greeting: 'written with a client certificate issued by an ephemeral CertificateSigningRequest' },
    });
  }
}

const app = new App();
new ClientCertificateStack(app, 'client-certificate', settingsFromEnv());
app.synth();
