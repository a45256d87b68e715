import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { clientRequest, csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { filesContaining, filesUnder } from '../../dev/example-project.js';
import { denyWhenCreated } from './support/deny.js';
import {
  collect,
  KUBECSR_TERRAFORM_BLOCK,
  kubecsrCsrConfig,
  TerraformWorkspace,
  withoutDescriptions,
} from '../../dev/toolchain/terraform-workspace.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures');
const DOCS_REQUEST = readFileSync(join(fixtures, 'pki', 'ec-p224-example.csr'), 'utf8');

interface SchemaJson {
  provider_schemas: Record<string, { ephemeral_resource_schemas?: Record<string, unknown> }>;
}

/** The configuration a test uses: one client-certificate CSR through kubecsr. */
function csrBlock(request: string, metadata: string, signerName: string, extra = ''): string {
  return kubecsrCsrConfig({ label: 'example', metadata, request, signerName, extra });
}

// The real Terraform CLI (1.11 or OpenTofu) runs kubecsr, installed as users install it, against the shared cluster.
describe('kubecsr under Terraform', () => {
  let work: string;
  let admin: KubeConfig;
  const workspaces: TerraformWorkspace[] = [];

  async function workspace(name: string, mainTf: string): Promise<TerraformWorkspace> {
    const ws = await TerraformWorkspace.create(join(work, name), { KUBECONFIG: sharedKubeconfigPath() });
    ws.write(mainTf);
    const init = await ws.run(['init', '-input=false']);
    assert.equal(init.status, 0, init.output);
    workspaces.push(ws);
    return ws;
  }

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kubecsr-terraform-'));
    admin = sharedKubeConfig();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('serves hashicorp/kubernetes 2.38.0 schema for the ephemeral CSR, plus only optional extras', async () => {
    const ws = await workspace('schema', `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n`);
    const run = await ws.run(['providers', 'schema', '-json']);
    assert.equal(run.status, 0, run.output);
    const schemas = (JSON.parse(run.output) as SchemaJson).provider_schemas;
    const ours = withoutDescriptions(
      Object.values(schemas)[0]?.ephemeral_resource_schemas?.kubernetes_certificate_signing_request_v1,
    ) as {
      block: {
        attributes: Record<string, unknown>;
        block_types: Record<string, { block: { attributes: Record<string, unknown> } }>;
      };
    };
    const theirs = JSON.parse(
      readFileSync(join(fixtures, 'provider', 'kubernetes-2.38.0-ephemeral-csr-schema.json'), 'utf8'),
    ) as typeof ours;
    // THEN every attribute of theirs is ours with the same type and flags, but metadata.name, which generate_name may replace
    const expected = structuredClone(theirs);
    const name = expected.block.block_types.metadata?.block.attributes.name as Record<string, unknown>;
    delete name.required;
    name.optional = true;
    const extras = {
      top: { timeout: { type: 'string', optional: true }, ca_bundle: { type: 'string', optional: true } },
      metadata: { generate_name: { type: 'string', optional: true } },
    };
    Object.assign(expected.block.attributes, extras.top);
    Object.assign(expected.block.block_types.metadata?.block.attributes ?? {}, extras.metadata);
    assert.deepEqual(ours, expected);
  });

  it('takes the Terraform docs scenario unchanged but for provider = kubecsr: plan and apply open, nothing at rest', async () => {
    const prefix = `docs-${uniqueSuffix()}`;
    const ws = await workspace(
      'drop-in',
      csrBlock(DOCS_REQUEST, `name = "${prefix}"`, 'kubernetes.io/kube-apiserver-client', 'auto_approve = true'),
    );
    const apply = await ws.run(['apply', '-auto-approve', '-input=false']);
    assert.equal(apply.status, 0, apply.output);
    assert.equal(apply.output.match(/Opening complete/g)?.length, 2, 'opened once in plan, once in apply');
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    const files = filesUnder(ws.dir);
    assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), []);
    assert.doesNotMatch(apply.output, /BEGIN CERTIFICATE/);
  });

  it('validates and plans while the request is not known yet (Open waits for apply)', async () => {
    const { request } = await clientRequest('later');
    writeFileSync(join(work, 'later.csr'), request);
    const ws = await workspace(
      'unknown',
      `${KUBECSR_TERRAFORM_BLOCK}
provider "kubecsr" {}
resource "terraform_data" "request" {
  input = file("${join(work, 'later.csr')}")
}
ephemeral "kubernetes_certificate_signing_request_v1" "later" {
  provider = kubecsr
  metadata { generate_name = "later-" }
  spec {
    request     = terraform_data.request.output
    signer_name = "kubernetes.io/kube-apiserver-client"
    usages      = ["client auth"]
  }
}
`,
    );
    const validate = await ws.run(['validate']);
    assert.equal(validate.status, 0, validate.output);
    const plan = await ws.run(['plan', '-input=false']);
    assert.equal(plan.status, 0, plan.output);
    assert.doesNotMatch(plan.output, /Opening complete/);
  });

  it('fails the apply with the denial, its reason and the fix, and leaves no CSR', async () => {
    const prefix = `tf-deny-${uniqueSuffix()}-`;
    const { request } = await clientRequest('tf-denied');
    const ws = await workspace(
      'deny',
      csrBlock(
        request,
        `generate_name = "${prefix}"`,
        'kubernetes.io/kube-apiserver-client',
        'auto_approve = false\n  timeout = "10m"',
      ),
    );
    const denier = denyWhenCreated(admin, prefix);
    const plan = await ws.run(['plan', '-input=false']);
    await denier;
    assert.equal(plan.status, 1, plan.output);
    assert.match(plan.output, /The CertificateSigningRequest was denied/);
    assert.match(plan.output, /TestDenied/);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('fails with a timeout diagnostic that names the signer nobody serves, and leaves no CSR', async () => {
    const prefix = `tf-timeout-${uniqueSuffix()}-`;
    const { request } = await clientRequest('tf-timeout');
    const ws = await workspace(
      'timeout',
      csrBlock(request, `generate_name = "${prefix}"`, 'example.com/nobody-signs', 'timeout = "3s"'),
    );
    const plan = await ws.run(['plan', '-input=false']);
    assert.equal(plan.status, 1, plan.output);
    assert.match(plan.output, /Timed out waiting for the certificate/);
    assert.match(plan.output, /example\.com\/nobody-signs/);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('leaves no CSR when terraform gets SIGINT while it waits for approval', async () => {
    const prefix = `tf-sigint-${uniqueSuffix()}-`;
    const { request } = await clientRequest('tf-sigint');
    const ws = await workspace(
      'sigint',
      csrBlock(
        request,
        `generate_name = "${prefix}"`,
        'kubernetes.io/kube-apiserver-client',
        'auto_approve = false\n  timeout = "10m"',
      ),
    );
    const child = ws.spawn(['plan', '-input=false']);
    const finished = collect(child);
    while ((await csrNamesWithPrefix(admin, prefix)).length === 0) await new Promise((r) => setTimeout(r, 50));
    // Ctrl-C in a terminal signals the whole group; Terraform forwards it as StopProvider.
    child.kill('SIGINT');
    const result = await finished;
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /Stopped waiting for the certificate|interrupt/i);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });
});
