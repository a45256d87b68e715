/**
 * A cdktf app for the interrupt test: one ephemeral CSR whose name starts with CSR_PREFIX, approved only when
 * AUTO_APPROVE=true, so that with AUTO_APPROVE=false a deploy waits for an approval nobody gives. KUBECONFIG names
 * the administrator's kubeconfig. CSR_PROVIDER picks the provider: `kubecsr` (the default: generate_name, a
 * 10-minute timeout) or `kubernetes` (hashicorp/kubernetes: the fixed name CSR_PREFIX0, its own fixed backoff).
 */
import { App, TerraformStack } from 'cdktf';
import { generateKeyPairSync } from 'node:crypto';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { KubeCsrProvider, KubernetesCertificateSigningRequestV1Ephemeral } from '../../../src/constructs/index.js';
import { createCertificateRequest } from '../../../src/pki/index.js';

const app = new App();
const stack = new TerraformStack(app, 'pending-csr');
const configPath = process.env.KUBECONFIG?.split(':')[0];
const prefix = process.env.CSR_PREFIX ?? 'pending-';
const hashicorp = process.env.CSR_PROVIDER === 'kubernetes';
// The key is thrown away: the test only cares what the CSR object's life looks like.
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'pending', {
  ...(hashicorp
    ? { provider: new KubernetesProvider(stack, 'kubernetes', { configPath }), metadata: { name: `${prefix}0` } }
    : {
        provider: new KubeCsrProvider(stack, 'kubecsr', { configPath }),
        metadata: { generateName: prefix },
        timeout: '10m',
      }),
  spec: {
    request: createCertificateRequest({ privateKey, commonName: 'pending-user' }),
    signerName: 'kubernetes.io/kube-apiserver-client',
    usages: ['client auth'],
  },
  autoApprove: process.env.AUTO_APPROVE === 'true',
});
app.synth();
