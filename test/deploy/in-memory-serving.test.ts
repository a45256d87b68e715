import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { publicKeysEqual } from '../../src/pki/index.js';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { TestSigner } from '../support/test-signer.js';
import {
  createKubecsrMirror,
  PROVIDER_UNAVAILABLE,
  suppliedProviderBinary,
} from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform } from '../../dev/toolchain/terraform.js';
import { exampleProject, filesContaining, filesUnder, type ExampleProject } from '../../dev/example-project.js';

// `cdktf deploy` of examples/in-memory-serving: a serving certificate from a custom signer whose key kubecsr
// generates in memory, written by hashicorp/kubernetes into a kubernetes.io/tls secret through the write-only
// data_wo (Terraform >= 1.11). The secret needs the hashicorp/kubernetes provider, which cannot be installed here;
// the same kubecsr_certificate Open runs in CI over the plugin protocol (test/provider/in-memory-serving-open.test.ts).
const providerBinary = suppliedProviderBinary();
const signerName = 'example.com/serving';

// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
const skip = providerBinary ? false : PROVIDER_UNAVAILABLE;

describe('cdktf deploy examples/in-memory-serving', () => {
  let cluster: LocalCluster;
  let signer: TestSigner;
  let work: string;
  let project: ExampleProject;
  let core: CoreV1Api;
  let admin: KubeConfig;

  before(async () => {
    if (skip) return;
    const terraform = await ensureTerraform();
    cluster = await LocalCluster.start({ name: 'deploy-in-memory-serving', log: () => undefined });
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    core = admin.makeApiClient(CoreV1Api);
    signer = TestSigner.start(admin, signerName);
    work = mkdtempSync(join(tmpdir(), 'deploy-in-memory-serving-'));
    for (const folder of ['home', 'tmp']) mkdirSync(join(work, folder));
    const mirror = createKubecsrMirror(join(work, 'toolchain'), providerBinary);
    project = exampleProject('in-memory-serving', join(work, 'app'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      SIGNER_NAME: signerName,
      SERVICE_NAME: 'web',
      KUBE_NAMESPACE: 'default',
      HOME: join(work, 'home'),
      TMPDIR: join(work, 'tmp'),
      TF_PLUGIN_CACHE_DIR: '',
      TSX_DISABLE_CACHE: '1',
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

  it(
    'deploys: the TLS secret holds a key and a certificate from the custom signer that belong together',
    { skip },
    async () => {
      const deploy = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
      assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);

      const secret = await core.readNamespacedSecret({ name: 'web-tls', namespace: 'default' });
      assert.equal(secret.type, 'kubernetes.io/tls');
      const certPem = Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString();
      const keyPem = Buffer.from(secret.data?.['tls.key'] ?? '', 'base64').toString();
      const leaf = new X509Certificate(certPem);
      assert.match(leaf.subjectAltName ?? '', /DNS:web\.default\.svc\.cluster\.local/);
      assert.ok(leaf.checkIssued(new X509Certificate(signer.caPem)), 'issued by the custom signer');
      assert.ok(publicKeysEqual(leaf.publicKey, createPrivateKey(keyPem)), 'the certificate is for the key');
      assert.ok(signer.issued.length >= 2, 'plan and apply each opened the kubecsr_certificate');
      assert.deepEqual(await csrNames(), []);
    },
  );

  it(
    'keeps the key and the certificate out of cdktf.out, the state and the folder, and writes no key file',
    { skip },
    () => {
      const files = filesUnder(work);
      const state = files.filter((file) => file.endsWith('.tfstate'));
      assert.ok(state.length > 0, 'the deploy wrote a state file');
      assert.match(readFileSync(state[0] ?? '', 'utf8'), /kubernetes_secret_v1/);
      assert.deepEqual(filesContaining(files, 'PRIVATE KEY'), []);
      assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), []);
      assert.equal(existsSync(join(project.dir, '.cdktf-kubernetes-csr')), false, 'no key folder');
    },
  );

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
