/**
 * The example of the hashicorp/kubernetes provider documentation for the ephemeral
 * `kubernetes_certificate_signing_request_v1`, written with the L1 construct.
 *
 * One deliberate difference: the documentation requests `usages = ["client auth", "server auth"]` from
 * kubernetes.io/kube-apiserver-client, a signer that refuses "server auth" (the CSR fails and the provider waits
 * about six minutes before timing out). The construct validates usages per signer and would refuse to synthesize
 * that, so this uses ["client auth"], as the provider's own acceptance test does.
 *
 * Run: `npx tsx examples/provider-docs/main.ts` (KUBECONFIG, KUBE_CONTEXT; output directory CDKTF_OUTDIR).
 */
import { App, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import { KubernetesCertificateSigningRequestV1Ephemeral } from '../../src/constructs/index.js';

/** The EC P-224 request of the provider documentation (subject O=example cluster, CN=admin): public data. */
const PROVIDER_DOCS_REQUEST = `-----BEGIN CERTIFICATE REQUEST-----
MIHSMIGBAgEAMCoxGDAWBgNVBAoTD2V4YW1wbGUgY2x1c3RlcjEOMAwGA1UEAxMF
YWRtaW4wTjAQBgcqhkjOPQIBBgUrgQQAIQM6AASSG8S2+hQvfMq5ucngPCzK0m0C
ImigHcF787djpF2QDbz3oQ3QsM/I7ftdjB/HHlG2a5YpqjzT0KAAMAoGCCqGSM49
BAMCA0AAMD0CHQDErNLjX86BVfOsYh/A4zmjmGknZpc2u6/coTHqAhxcR41hEU1I
DpNPvh30e0Js8/DYn2YUfu/pQU19
-----END CERTIFICATE REQUEST-----
`;

class ProviderDocsStack extends TerraformStack {
  public constructor(scope: Construct, id: string, env: NodeJS.ProcessEnv) {
    super(scope, id);
    new KubernetesProvider(this, 'kubernetes', {
      configPath: env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config',
      configContext: env.KUBE_CONTEXT,
    });

    new KubernetesCertificateSigningRequestV1Ephemeral(this, 'example', {
      metadata: { name: 'example' },
      spec: {
        usages: ['client auth'],
        signerName: 'kubernetes.io/kube-apiserver-client',
        request: PROVIDER_DOCS_REQUEST,
      },
      autoApprove: true,
    });
  }
}

const app = new App();
new ProviderDocsStack(app, 'provider-docs', process.env);
app.synth();
