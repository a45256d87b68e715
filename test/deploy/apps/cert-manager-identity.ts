/**
 * A cdktf app for the deploy tests: a client certificate for DEMO_USER issued by a cert-manager ClusterIssuer
 * (CERT_MANAGER_ISSUER, one that signs with the cluster CA) through kubecsr's ephemeral
 * kubecsr_cert_manager_certificate_request, wired into a kubecsr alias whose self subject review says who that is.
 * KUBECONFIG names the administrator's kubeconfig.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  CertManagerCertificateRequest,
  ensureLocalKey,
  issuedIdentityProvider,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
} from '../../../src/constructs/index.js';
import { createCertificateRequest } from '../../../src/pki/index.js';

const app = new App();
const stack = new TerraformStack(app, 'cert-manager-identity');
const kubeconfig = process.env.KUBECONFIG?.split(':')[0] ?? '~/.kube/config';
const user = process.env.DEMO_USER ?? 'jane';
const kubecsr = new KubeCsrProvider(stack, 'kubecsr', { configPath: kubeconfig });
const key = ensureLocalKey({ name: user, forbiddenDirectories: [app.outdir] });
const request = new CertManagerCertificateRequest(stack, 'request', {
  provider: kubecsr,
  metadata: { generateName: `${user}-`, namespace: process.env.CERT_MANAGER_NAMESPACE ?? 'default' },
  spec: {
    request: createCertificateRequest({ privateKey: key.privateKey, commonName: user, organizations: ['cm-group'] }),
    issuerRef: { name: process.env.CERT_MANAGER_ISSUER ?? 'ca-issuer', kind: 'ClusterIssuer' },
    duration: '1h',
    usages: ['digital signature', 'key encipherment', 'client auth'],
  },
  timeout: '2m',
});
const asUser = issuedIdentityProvider(stack, 'as-user', {
  kind: 'kubecsr',
  alias: 'as_user',
  credentials: { certificate: request.certificate, keyFile: key.keyFile },
  configPath: kubeconfig,
});
const review = new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: asUser });
new TerraformOutput(stack, 'username', { value: review.username });
new TerraformOutput(stack, 'groups', { value: review.groups });
app.synth();
