import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { publicKeysEqual } from '../../src/pki/index.js';
import { createProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import { filesUnder, type ExampleProject } from '../../dev/example-project.js';
import { hashicorpKubernetes } from '../support/providers.js';
import {
  assertNothingSecretAtRest,
  csrNames,
  DEPLOY_ARGS,
  readServingSecret,
  redeployAndDestroyServing,
  SERVING_SIGNER,
  servingProject,
  useDeployCluster,
} from './support/deploy.js';

// `cdktf deploy` of examples/serving-certificate: a serving certificate from a custom signer, stored in a
// kubernetes.io/tls secret through the write-only data_wo (Terraform >= 1.11).
// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
// The hashicorp/kubernetes gate: `skip` is false when CDKTF_CSR_KUBERNETES_PROVIDER supplies the provider binary,
// else the reason (PROVIDER_UNAVAILABLE); nothing else skips these tests.
const { binary: providerBinary, skip } = hashicorpKubernetes;

describe('cdktf deploy examples/serving-certificate', () => {
  const setUp = useDeployCluster('deploy-serving', { skip, signerName: SERVING_SIGNER });
  let project: ExampleProject;

  before(() => {
    if (skip) return;
    project = servingProject(setUp(), 'serving-certificate', (dir) => createProviderMirror(dir, providerBinary ?? ''));
  });

  it('deploys: the TLS secret holds a certificate for the local key, with the service SANs', { skip }, async () => {
    const { admin, signer } = setUp();
    const deploy = await project.cdktf(DEPLOY_ARGS);
    assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);

    assert.ok(signer);
    const { leaf, keyPem } = await readServingSecret(admin.makeApiClient(CoreV1Api), signer);

    // the key in the secret is the locally kept key, and the certificate is for it
    const keyDir = join(project.dir, '.cdktf-kubernetes-csr', 'keys');
    const [keyFile] = readdirSync(keyDir);
    assert.equal(keyPem, readFileSync(join(keyDir, keyFile ?? ''), 'utf8'));
    assert.ok(publicKeysEqual(leaf.publicKey, createPrivateKey(keyPem)));
    assert.equal(signer.issued.length >= 2, true, 'plan and apply each opened the ephemeral CSR');
    assert.deepEqual(await csrNames(admin), []);
  });

  it('keeps the key and the certificate out of cdktf.out and the state (data_wo is write-only)', { skip }, () => {
    const files = filesUnder(project.dir).filter((file) => !file.includes('.cdktf-kubernetes-csr'));
    assertNothingSecretAtRest(files, /kubernetes_secret_v1/);
  });

  it('deploys again and destroys, leaving no CSR and no secret', { skip }, async () => {
    await redeployAndDestroyServing(project, setUp().admin);
  });
});
