import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { createProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import { findTerraform } from '../../dev/toolchain/terraform.js';
import { withoutDescriptions } from '../../dev/toolchain/terraform-workspace.js';
import { hashicorpKubernetes } from '../support/providers.js';

// The fixture the CI schema test compares kubecsr with, checked against the real hashicorp/kubernetes provider
// where a binary is supplied (it cannot be installed on these machines; see PROVIDER_UNAVAILABLE).
const { binary: providerBinary, skip } = hashicorpKubernetes;

describe('the hashicorp/kubernetes schema fixture', () => {
  it('matches `terraform providers schema -json` of the real provider', { skip }, () => {
    const terraform = findTerraform();
    assert.ok(terraform, 'Terraform >= 1.11 is needed');
    const dir = mkdtempSync(join(tmpdir(), 'schema-parity-'));
    try {
      const mirror = createProviderMirror(join(dir, 'toolchain'), providerBinary ?? '');
      writeFileSync(
        join(dir, 'main.tf'),
        'terraform {\n  required_providers {\n    kubernetes = { source = "hashicorp/kubernetes" }\n  }\n}\n',
      );
      const env = { ...process.env, TF_CLI_CONFIG_FILE: mirror.cliConfigFile, CHECKPOINT_DISABLE: '1' };
      const init = spawnSync(terraform.path, ['init', '-input=false'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(init.status, 0, init.stderr);
      const run = spawnSync(terraform.path, ['providers', 'schema', '-json'], { cwd: dir, env, encoding: 'utf8' });
      const schemas = (
        JSON.parse(run.stdout) as {
          provider_schemas: Record<string, { ephemeral_resource_schemas: Record<string, unknown> }>;
        }
      ).provider_schemas;
      const real = Object.values(schemas)[0]?.ephemeral_resource_schemas.kubernetes_certificate_signing_request_v1;
      const fixture = JSON.parse(
        readFileSync(
          resolve(import.meta.dirname, '..', 'fixtures', 'provider', 'kubernetes-2.38.0-ephemeral-csr-schema.json'),
          'utf8',
        ),
      ) as unknown;
      assert.deepEqual(withoutDescriptions(real), fixture);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
