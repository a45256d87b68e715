/**
 * A cdktf app for the deploy tests: CSR_COUNT ephemeral CertificateSigningRequests (default 20) in one stack, each a
 * ClientCertificate of its own user in key-file mode, opened by kubecsr (so each uses generate_name), certificates
 * unused: Terraform still opens every one of them in each plan and apply. KUBECONFIG names the administrator's
 * kubeconfig.
 */
import { App, TerraformStack } from 'cdktf';
import { ClientCertificate, KubeCsrProvider } from '../../../src/constructs/index.js';

const app = new App();
const stack = new TerraformStack(app, 'many-csrs');
const kubecsr = new KubeCsrProvider(stack, 'kubecsr', { configPath: process.env.KUBECONFIG?.split(':')[0] });
const count = Number(process.env.CSR_COUNT ?? '20');
for (let i = 1; i <= count; i++) {
  new ClientCertificate(stack, `user-${i}`, {
    user: `many-${i}`,
    groups: ['many'],
    expirationSeconds: 600,
    keyMode: 'key-file',
    provider: kubecsr,
  });
}
app.synth();
