import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { createKubecsrMirror } from '../../dev/toolchain/provider-mirror.js';
import { appProject, filesUnder, type ExampleProject } from '../../dev/example-project.js';
import { assertNothingSecretAtRest, DEPLOY_ARGS, DESTROY_ARGS, useDeployCluster } from './support/deploy.js';

// `cdktf deploy` of a cert-manager CertificateRequest through kubecsr: the real cdktf CLI, Terraform, kubecsr and
// cert-manager's own controllers on a control plane of this test's own. Not gated: all of it is built here.
const user = 'cm-deploy-user';

describe('cdktf deploy of kubecsr_cert_manager_certificate_request', () => {
  const setUp = useDeployCluster('deploy-cert-manager', { certManager: true });
  let project: ExampleProject;

  before(() => {
    const { cluster, terraform, work } = setUp();
    const mirror = createKubecsrMirror(join(work, 'toolchain'));
    project = appProject(
      join(import.meta.dirname, 'apps', 'cert-manager-identity.ts'),
      join(work, 'app'),
      terraform,
      mirror,
      {
        KUBECONFIG: cluster.kubeconfig,
        DEMO_USER: user,
        CERT_MANAGER_ISSUER: cluster.certManager?.clusterCaIssuer ?? '',
      },
    );
  });

  async function certificateRequests(): Promise<string[]> {
    const list = (await setUp().admin.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      namespace: 'default',
      plural: 'certificaterequests',
    })) as { items: { metadata?: { name?: string } }[] };
    return list.items.map((item) => item.metadata?.name ?? '');
  }

  function outputs(): { username?: { value: string }; groups?: { value: string[] } } {
    const state = join(project.dir, 'terraform.cert-manager-identity.tfstate');
    return (JSON.parse(readFileSync(state, 'utf8')) as { outputs: ReturnType<typeof outputs> }).outputs;
  }

  it('deploys twice: the issued certificate authenticates the new user, and no CertificateRequest remains', async () => {
    for (const round of [1, 2]) {
      const deploy = await project.cdktf(DEPLOY_ARGS);
      assert.equal(deploy.status, 0, `deploy ${round} failed:\n${deploy.output}`);
      assert.equal(outputs().username?.value, user);
      assert.ok(outputs().groups?.value.includes('cm-group'));
      assert.deepEqual(await certificateRequests(), [], `no CertificateRequest left after deploy ${round}`);
    }
  });

  it('keeps the certificate out of cdktf.out, .terraform and the state', () => {
    const keyFolder = join(project.dir, '.cdktf-kubernetes-csr');
    const files = filesUnder(project.dir).filter((file) => !file.startsWith(keyFolder));
    assertNothingSecretAtRest(files);
  });

  it('destroys, leaving no CertificateRequest', async () => {
    const destroy = await project.cdktf(DESTROY_ARGS);
    assert.equal(destroy.status, 0, destroy.output);
    assert.deepEqual(await certificateRequests(), []);
  });
});
