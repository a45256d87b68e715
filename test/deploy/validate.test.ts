import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKubecsrMirror, type ProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform, type TerraformBinary } from '../../dev/toolchain/terraform.js';
import { exampleProject, type ExampleProject } from '../../dev/example-project.js';
import { hashicorpKubernetes } from '../support/providers.js';

// Every example's synthesized JSON passes `terraform init` + `terraform validate` against the real provider (and
// kubecsr, installed from this repository, for the examples that use both; in-memory-client with its ConfigMap).
const examples = [
  'client-certificate',
  'serving-certificate',
  'provider-docs',
  'in-memory-serving',
  'in-memory-client',
];

// Without a provider binary each test is reported as skipped, with the reason, so CI output shows them.
// The hashicorp/kubernetes gate: `skip` is false when CDKTF_CSR_KUBERNETES_PROVIDER supplies the provider binary,
// else the reason (PROVIDER_UNAVAILABLE); nothing else skips these tests.
const { binary: providerBinary, skip } = hashicorpKubernetes;

describe('terraform validate of every example', () => {
  let work: string;
  let terraform: TerraformBinary;
  let projects: Map<string, ExampleProject>;
  let mirror: ProviderMirror;

  before(async () => {
    if (skip) return;
    terraform = await ensureTerraform();
    work = mkdtempSync(join(tmpdir(), 'validate-examples-'));
    // file() is evaluated by validate: the CA file the client-certificate example reads must exist.
    writeFileSync(join(work, 'unused-ca.crt'), 'validate reads this file but never uses its content\n');
    mirror = createKubecsrMirror(join(work, 'toolchain'), providerBinary ?? '');
    projects = new Map(
      examples.map((example) => [
        example,
        exampleProject(example, join(work, example), terraform, mirror, {
          KUBECONFIG: join(work, 'unused.kubeconfig'),
          KUBE_CA_FILE: join(work, 'unused-ca.crt'),
          DEMO_CONFIGMAP: '1',
        }),
      ]),
    );
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const example of examples) {
    it(`accepts examples/${example}`, { skip }, async () => {
      const project = projects.get(example);
      assert.ok(project);
      const synth = await project.cdktf(['synth']);
      assert.equal(synth.status, 0, synth.output);
      const stacksDir = join(project.outdir, 'stacks');
      for (const stack of readdirSync(stacksDir)) {
        const cwd = join(stacksDir, stack);
        const env = {
          ...process.env,
          ...mirror.env,
          CHECKPOINT_DISABLE: '1',
          TF_CLI_CONFIG_FILE: mirror.cliConfigFile,
        };
        const init = spawnSync(terraform.path, ['init', '-backend=false', '-input=false', '-no-color'], {
          cwd,
          env,
          encoding: 'utf8',
        });
        assert.equal(init.status, 0, `${terraform.kind} init failed for ${stack}:\n${init.stdout}\n${init.stderr}`);
        const validate = spawnSync(terraform.path, ['validate', '-no-color'], { cwd, env, encoding: 'utf8' });
        assert.equal(
          validate.status,
          0,
          `${terraform.kind} validate failed for ${stack}:\n${validate.stdout}\n${validate.stderr}`,
        );
        assert.match(validate.stdout, /The configuration is valid/);
      }
    });
  }
});
