/**
 * A cdktf app for the interrupt test: one ephemeral CSR through kubecsr with generate_name CSR_PREFIX, approved only
 * when AUTO_APPROVE=true, so that with AUTO_APPROVE=false a deploy waits (up to 10 minutes) for an approval nobody
 * gives. KUBECONFIG names the administrator's kubeconfig.
 */
import { App, TerraformStack } from 'cdktf';
import { generateKeyPairSync } from 'node:crypto';
import { KubeCsrProvider, KubernetesCertificateSigningRequestV1Ephemeral } from '../../../src/constructs/index.js';
import { createCertificateRequest } from '../../../src/pki/index.js';

const app = new App();
const stack = new TerraformStack(app, 'pending-csr');
const kubecsr = new KubeCsrProvider(stack, 'kubecsr', { configPath: process.env.KUBECONFIG?.split(':')[0] });
// The key is thrown away: the test only cares what the CSR object's life looks like.
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'pending', {
  provider: kubecsr,
  metadata: { generateName: process.env.CSR_PREFIX ?? 'pending-' },
  spec: {
    request: createCertificateRequest({ privateKey, commonName: 'pending-user' }),
    signerName: 'kubernetes.io/kube-apiserver-client',
    usages: ['client auth'],
  },
  autoApprove: process.env.AUTO_APPROVE === 'true',
  timeout: '10m',
});
app.synth();
