/**
 * A TLS serving certificate for a Service from a signer of your own, with a key that never exists outside memory:
 * kubecsr generates it while Terraform opens the ephemeral `kubecsr_certificate`, and hashicorp/kubernetes writes key
 * and certificate into a `kubernetes.io/tls` secret through the write-only `data_wo`. Neither is in a file, cdktf.out,
 * the plan or the state.
 *
 * The signer is yours to name (SIGNER_NAME, default example.com/serving): kube-controller-manager only signs its
 * kubernetes.io/* signers, so a custom name needs a controller (e.g. a cert-manager CSR signer) that issues it.
 * Bump TLS_REVISION to push a renewed certificate into the secret (data_wo is only sent when the revision changes).
 *
 * Install kubecsr first (`npx kube-csr provider install`) and deploy with `cdktf deploy --skip-provider-lock`; the
 * secret needs hashicorp/kubernetes >= 2.36 and Terraform >= 1.11. Settings: KUBECONFIG, KUBE_CONTEXT,
 * KUBE_NAMESPACE, SERVICE_NAME; output directory CDKTF_OUTDIR (default cdktf.out).
 */
import { App, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import { KubeCsrProvider, ServingCertificate } from '../../src/constructs/index.js';

class InMemoryServingStack extends TerraformStack {
  public constructor(scope: Construct, id: string, env: NodeJS.ProcessEnv) {
    super(scope, id);
    const namespace = env.KUBE_NAMESPACE ?? 'default';
    const service = env.SERVICE_NAME ?? 'web';
    const kubeconfig = env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config';

    // kubecsr opens the request (with it in the stack, ServingCertificate keeps its key in memory); hashicorp/kubernetes
    // writes the secret.
    new KubeCsrProvider(this, 'kubecsr', { configPath: kubeconfig, configContext: env.KUBE_CONTEXT });
    new KubernetesProvider(this, 'kubernetes', { configPath: kubeconfig, configContext: env.KUBE_CONTEXT });

    const certificate = new ServingCertificate(this, 'web-certificate', {
      signerName: env.SIGNER_NAME ?? 'example.com/serving',
      dnsNames: [
        service,
        `${service}.${namespace}`,
        `${service}.${namespace}.svc`,
        `${service}.${namespace}.svc.cluster.local`,
      ],
      expirationSeconds: 7 * 24 * 3600,
      timeout: '2m',
    });

    // tls.crt and tls.key are the ephemeral results, sent through the write-only data_wo.
    certificate.toTlsSecret(this, 'web-tls', {
      metadata: { name: `${service}-tls`, namespace, labels: { 'app.kubernetes.io/name': service } },
      revision: Number(env.TLS_REVISION ?? '1'),
    });
  }
}

const app = new App();
new InMemoryServingStack(app, 'in-memory-serving', process.env);
app.synth();
