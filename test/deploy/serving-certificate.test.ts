import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { publicKeysEqual } from '../../src/pki/index.js';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { TestSigner } from '../support/test-signer.js';
import {
  createProviderMirror,
  PROVIDER_UNAVAILABLE,
  suppliedProviderBinary,
} from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform } from '../../dev/toolchain/terraform.js';
import { exampleProject, filesContaining, filesUnder, type ExampleProject } from '../../dev/example-project.js';

// `cdktf deploy` of examples/serving-certificate: a serving certificate from a custom signer, stored in a
// kubernetes.io/tls secret through the write-only data_wo (Terraform >= 1.11).
const providerBinary = suppliedProviderBinary();
const signerName = 'example.com/serving';

// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
const skip = providerBinary ? false : PROVIDER_UNAVAILABLE;

describe('cdktf deploy examples/serving-certificate', () => {
  let cluster: LocalCluster;
  let signer: TestSigner;
  let work: string;
  let project: ExampleProject;
  let core: CoreV1Api;
  let admin: KubeConfig;

  before(async () => {
    if (skip) return;
    const terraform = await ensureTerraform();
    cluster = await LocalCluster.start({ name: 'deploy-serving', log: () => undefined });
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    core = admin.makeApiClient(CoreV1Api);
    signer = TestSigner.start(admin, signerName);
    work = mkdtempSync(join(tmpdir(), 'deploy-serving-certificate-'));
    const mirror = createProviderMirror(join(work, 'toolchain'), providerBinary ?? '');
    project = exampleProject('serving-certificate', join(work, 'app'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      SIGNER_NAME: signerName,
      SERVICE_NAME: 'web',
      KUBE_NAMESPACE: 'default',
    });
  });

  after(async () => {
    signer?.stop();
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function csrNames(): Promise<string[]> {
    const list = await admin.makeApiClient(CertificatesV1Api).listCertificateSigningRequest();
    return list.items.map((csr) => csr.metadata?.name ?? '');
  }

  it('deploys: the TLS secret holds a certificate for the local key, with the service SANs', { skip }, async () => {
    const deploy = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);

    const secret = await core.readNamespacedSecret({ name: 'web-tls', namespace: 'default' });
    assert.equal(secret.type, 'kubernetes.io/tls');
    const certPem = Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString();
    const keyPem = Buffer.from(secret.data?.['tls.key'] ?? '', 'base64').toString();
    const leaf = new X509Certificate(certPem);
    assert.match(leaf.subjectAltName ?? '', /DNS:web\.default\.svc\.cluster\.local/);
    assert.ok(leaf.checkIssued(new X509Certificate(signer.caPem)), 'issued by the custom signer');

    // the key in the secret is the locally kept key, and the certificate is for it
    const keyDir = join(project.dir, '.cdktf-kubernetes-csr', 'keys');
    const [keyFile] = readdirSync(keyDir);
    assert.equal(keyPem, readFileSync(join(keyDir, keyFile ?? ''), 'utf8'));
    assert.ok(publicKeysEqual(leaf.publicKey, createPrivateKey(keyPem)));
    assert.equal(signer.issued.length >= 2, true, 'plan and apply each opened the ephemeral CSR');
    assert.deepEqual(await csrNames(), []);
  });

  it('keeps the key and the certificate out of cdktf.out and the state (data_wo is write-only)', { skip }, () => {
    const files = filesUnder(project.dir).filter((file) => !file.includes('.cdktf-kubernetes-csr'));
    const state = files.filter((file) => file.endsWith('.tfstate'));
    assert.ok(state.length > 0, 'the deploy wrote a state file');
    assert.match(readFileSync(state[0] ?? '', 'utf8'), /kubernetes_secret_v1/);
    assert.deepEqual(filesContaining(files, 'PRIVATE KEY'), []);
    assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), []);
  });

  it('deploys again and destroys, leaving no CSR and no secret', { skip }, async () => {
    const again = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(again.status, 0, `second cdktf deploy failed:\n${again.output}`);
    const destroy = await project.cdktf(['destroy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(destroy.status, 0, `cdktf destroy failed:\n${destroy.output}`);
    await assert.rejects(
      core.readNamespacedSecret({ name: 'web-tls', namespace: 'default' }),
      (error: unknown) => (error as { code?: number }).code === 404,
    );
    assert.deepEqual(await csrNames(), []);
  });
});
