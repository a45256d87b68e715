/**
 * A TLS serving certificate for a Service, stored in a `kubernetes.io/tls` secret through the write-only `data_wo`:
 * neither the certificate nor the key is written to Terraform state or plan, and the key stays in its local file
 * (the secret gets it through `file()`).
 *
 * The signer is yours to name (SIGNER_NAME): kube-controller-manager only signs its kubernetes.io/* signers, so a
 * custom name such as example.com/serving needs a controller (e.g. a cert-manager CSR signer) that issues it.
 * Bump TLS_REVISION to push a renewed certificate into the secret (data_wo is only sent when the revision changes).
 *
 * Run: `npx tsx examples/serving-certificate/main.ts`. Other settings: KUBECONFIG, KUBE_CONTEXT, KUBE_NAMESPACE,
 * SERVICE_NAME; output directory CDKTF_OUTDIR (default cdktf.out). Applying it needs Terraform >= 1.11.
 */
import { App, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import { ServingCertificate } from '../../src/constructs/index.js';

class ServingCertificateStack extends TerraformStack {
  public constructor(scope: Construct, id: string, env: NodeJS.ProcessEnv) {
    super(scope, id);
    const namespace = env.KUBE_NAMESPACE ?? 'default';
    const service = env.SERVICE_NAME ?? 'web';

    new KubernetesProvider(this, 'kubernetes', {
      configPath: env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config',
      configContext: env.KUBE_CONTEXT,
    });

    const certificate = new ServingCertificate(this, 'web-certificate', {
      signerName: env.SIGNER_NAME ?? 'example.com/serving',
      dnsNames: [
        service,
        `${service}.${namespace}`,
        `${service}.${namespace}.svc`,
        `${service}.${namespace}.svc.cluster.local`,
      ],
      expirationSeconds: 7 * 24 * 3600,
    });

    certificate.toTlsSecret(this, 'web-tls', {
      metadata: { name: `${service}-tls`, namespace, labels: { 'app.kubernetes.io/name': service } },
      revision: Number(env.TLS_REVISION ?? '1'),
    });
  }
}

const app = new App();
new ServingCertificateStack(app, 'serving-certificate', process.env);
app.synth();
