import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { createProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import {
  auditEvents,
  auditLogSettled,
  exampleProject,
  filesUnder,
  type ExampleProject,
} from '../../dev/example-project.js';
import { hashicorpKubernetes } from '../support/providers.js';
import {
  assertGone,
  assertNothingSecretAtRest,
  configMapCreators,
  csrCreates,
  csrNames,
  DEPLOY_ARGS,
  DESTROY_ARGS,
  useDeployCluster,
} from './support/deploy.js';

// `cdktf deploy` of examples/client-certificate with the real cdktf CLI, Terraform and hashicorp/kubernetes provider
// on a local control plane of its own (its audit log proves who created what).
// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
// The hashicorp/kubernetes gate: `skip` is false when CDKTF_CSR_KUBERNETES_PROVIDER supplies the provider binary,
// else the reason (PROVIDER_UNAVAILABLE); nothing else skips these tests.
const { binary: providerBinary, skip } = hashicorpKubernetes;
const user = 'deploy-user';
const namespace = 'default';

describe('cdktf deploy examples/client-certificate', () => {
  const setUp = useDeployCluster('deploy-client', { skip });
  let project: ExampleProject;

  before(() => {
    if (skip) return;
    const { cluster, terraform, work } = setUp();
    const mirror = createProviderMirror(join(work, 'toolchain'), providerBinary ?? '');
    project = exampleProject('client-certificate', join(work, 'app'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      KUBE_HOST: cluster.server,
      KUBE_CA_FILE: cluster.pki.ca.certFile,
      KUBE_NAMESPACE: namespace,
      DEMO_USER: user,
    });
  });

  it('deploys: the ConfigMap is created by the issued identity, and no CSR remains', { skip }, async () => {
    const { cluster, admin } = setUp();
    // WHEN the example is deployed
    const deploy = await project.cdktf(DEPLOY_ARGS);
    assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);
    await auditLogSettled(admin, cluster.auditLog);

    // THEN the ConfigMap exists, and the API server's audit log says the new user created it
    const configMapName = `hello-from-${user}`;
    const configMap = await admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: configMapName, namespace });
    assert.match(configMap.data?.greeting ?? '', /client certificate/);
    assert.deepEqual(configMapCreators(cluster.auditLog, configMapName), [[user, 201]]);
    // AND the CSRs were created (Terraform opens the ephemeral resource during plan and apply) by the admin, then deleted
    const creates = csrCreates(auditEvents(cluster.auditLog));
    assert.ok(creates.length >= 2, `expected a CSR for plan and one for apply, saw ${creates.length}`);
    assert.deepEqual(await csrNames(admin), []);
  });

  it('keeps the private key and the ephemeral certificate out of cdktf.out and the Terraform state', { skip }, () => {
    const files = filesUnder(project.dir).filter((file) => !file.includes('.cdktf-kubernetes-csr'));
    assertNothingSecretAtRest(files, /kubernetes_config_map_v1/);
  });

  it('deploys a second time (a fresh certificate per run, no name collision)', { skip }, async () => {
    const again = await project.cdktf(DEPLOY_ARGS);
    assert.equal(again.status, 0, `second cdktf deploy failed:\n${again.output}`);
    assert.deepEqual(await csrNames(setUp().admin), []);
  });

  it('destroys, leaving no CSR and no ConfigMap', { skip }, async () => {
    const { admin } = setUp();
    const destroy = await project.cdktf(DESTROY_ARGS);
    assert.equal(destroy.status, 0, `cdktf destroy failed:\n${destroy.output}`);
    await assertGone(admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `hello-from-${user}`, namespace }));
    assert.deepEqual(await csrNames(admin), []);
  });
});
