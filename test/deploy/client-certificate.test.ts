import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import {
  createProviderMirror,
  PROVIDER_UNAVAILABLE,
  suppliedProviderBinary,
} from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform } from '../../dev/toolchain/terraform.js';
import {
  auditEvents,
  auditLogSettled,
  exampleProject,
  filesContaining,
  filesUnder,
  type ExampleProject,
} from '../../dev/example-project.js';

// `cdktf deploy` of examples/client-certificate with the real cdktf CLI, Terraform and hashicorp/kubernetes provider
// on a local control plane of its own (its audit log proves who created what).
const providerBinary = suppliedProviderBinary();
const user = 'deploy-user';
const namespace = 'default';

// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
const skip = providerBinary ? false : PROVIDER_UNAVAILABLE;

describe('cdktf deploy examples/client-certificate', () => {
  let cluster: LocalCluster;
  let work: string;
  let project: ExampleProject;
  let admin: KubeConfig;

  before(async () => {
    if (skip) return;
    const terraform = await ensureTerraform();
    cluster = await LocalCluster.start({ name: 'deploy-client', log: () => undefined });
    work = mkdtempSync(join(tmpdir(), 'deploy-client-certificate-'));
    const mirror = createProviderMirror(join(work, 'toolchain'), providerBinary ?? '');
    project = exampleProject('client-certificate', join(work, 'app'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      KUBE_HOST: cluster.server,
      KUBE_CA_FILE: cluster.pki.ca.certFile,
      KUBE_NAMESPACE: namespace,
      DEMO_USER: user,
    });
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
  });

  after(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function csrNames(): Promise<string[]> {
    const list = await admin.makeApiClient(CertificatesV1Api).listCertificateSigningRequest();
    return list.items.map((csr) => csr.metadata?.name ?? '');
  }

  it('deploys: the ConfigMap is created by the issued identity, and no CSR remains', { skip }, async () => {
    // WHEN the example is deployed
    const deploy = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);
    await auditLogSettled(admin, cluster.auditLog);

    // THEN the ConfigMap exists, and the API server's audit log says the new user created it
    const configMapName = `hello-from-${user}`;
    const configMap = await admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: configMapName, namespace });
    assert.match(configMap.data?.greeting ?? '', /client certificate/);
    const creates = auditEvents(cluster.auditLog).filter(
      (event) =>
        event.verb === 'create' && event.objectRef?.resource === 'configmaps' && event.objectRef.name === configMapName,
    );
    assert.deepEqual(
      creates.map((event) => [event.user.username, event.responseStatus?.code]),
      [[user, 201]],
    );
    // AND the CSRs were created (Terraform opens the ephemeral resource during plan and apply) by the admin, then deleted
    const csrCreates = auditEvents(cluster.auditLog).filter(
      (event) => event.verb === 'create' && event.objectRef?.resource === 'certificatesigningrequests',
    );
    assert.ok(csrCreates.length >= 2, `expected a CSR for plan and one for apply, saw ${csrCreates.length}`);
    assert.deepEqual(await csrNames(), []);
  });

  it('keeps the private key and the ephemeral certificate out of cdktf.out and the Terraform state', { skip }, () => {
    const files = filesUnder(project.dir).filter((file) => !file.includes('.cdktf-kubernetes-csr'));
    const state = files.filter((file) => file.endsWith('.tfstate'));
    assert.ok(state.length > 0, 'the deploy wrote a state file');
    assert.match(readFileSync(state[0] ?? '', 'utf8'), /kubernetes_config_map_v1/);
    assert.deepEqual(filesContaining(files, 'PRIVATE KEY'), []);
    assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), [], 'no issued certificate at rest');
  });

  it('deploys a second time (a fresh certificate per run, no name collision)', { skip }, async () => {
    const again = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(again.status, 0, `second cdktf deploy failed:\n${again.output}`);
    assert.deepEqual(await csrNames(), []);
  });

  it('destroys, leaving no CSR and no ConfigMap', { skip }, async () => {
    const destroy = await project.cdktf(['destroy', '--auto-approve', '--skip-provider-lock']);
    assert.equal(destroy.status, 0, `cdktf destroy failed:\n${destroy.output}`);
    await assert.rejects(
      admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `hello-from-${user}`, namespace }),
      (error: unknown) => (error as { code?: number }).code === 404,
    );
    assert.deepEqual(await csrNames(), []);
  });
});
