import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { publicKeysEqual } from '../../src/pki/index.js';
import { createKubecsrMirror } from '../../dev/toolchain/provider-mirror.js';
import { filesUnder, type ExampleProject } from '../../dev/example-project.js';
import { hashicorpKubernetes } from '../support/providers.js';
import {
  assertNothingSecretAtRest,
  containedEnv,
  csrNames,
  DEPLOY_ARGS,
  readServingSecret,
  redeployAndDestroyServing,
  SERVING_SIGNER,
  servingProject,
  useDeployCluster,
} from './support/deploy.js';

// `cdktf deploy` of examples/in-memory-serving: a serving certificate from a custom signer whose key kubecsr
// generates in memory, written by hashicorp/kubernetes into a kubernetes.io/tls secret through the write-only
// data_wo (Terraform >= 1.11). The secret needs the hashicorp/kubernetes provider, which cannot be installed here;
// the same kubecsr_certificate Open runs in CI over the plugin protocol (test/provider/in-memory-serving-open.test.ts).
// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
// The hashicorp/kubernetes gate: `skip` is false when CDKTF_CSR_KUBERNETES_PROVIDER supplies the provider binary,
// else the reason (PROVIDER_UNAVAILABLE); nothing else skips these tests.
const { binary: providerBinary, skip } = hashicorpKubernetes;

describe('cdktf deploy examples/in-memory-serving', () => {
  const setUp = useDeployCluster('deploy-in-memory-serving', { skip, signerName: SERVING_SIGNER });
  let project: ExampleProject;

  before(() => {
    if (skip) return;
    const mirror = (dir: string) => createKubecsrMirror(dir, providerBinary);
    project = servingProject(setUp(), 'in-memory-serving', mirror, containedEnv(setUp().work));
  });

  it(
    'deploys: the TLS secret holds a key and a certificate from the custom signer that belong together',
    { skip },
    async () => {
      const { admin, signer } = setUp();
      const deploy = await project.cdktf(DEPLOY_ARGS);
      assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);

      assert.ok(signer);
      const { leaf, keyPem } = await readServingSecret(admin.makeApiClient(CoreV1Api), signer);
      assert.ok(publicKeysEqual(leaf.publicKey, createPrivateKey(keyPem)), 'the certificate is for the key');
      assert.ok(signer.issued.length >= 2, 'plan and apply each opened the kubecsr_certificate');
      assert.deepEqual(await csrNames(admin), []);
    },
  );

  it(
    'keeps the key and the certificate out of cdktf.out, the state and the folder, and writes no key file',
    { skip },
    () => {
      assertNothingSecretAtRest(filesUnder(setUp().work), /kubernetes_secret_v1/);
      assert.equal(existsSync(join(project.dir, '.cdktf-kubernetes-csr')), false, 'no key folder');
    },
  );

  it('deploys again and destroys, leaving no CSR and no secret', { skip }, async () => {
    await redeployAndDestroyServing(project, setUp().admin);
  });
});
