import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  App,
  TerraformDataSource,
  TerraformIterator,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';
import type { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import { TerraformEphemeralResource } from '../../src/constructs/index.js';
import type { TerraformEphemeralResourceConfig } from '../../src/constructs/index.js';
import { matchSnapshot } from './support/snapshot.js';
import { synthJson, tempDir, terraformAvailable, terraformFmt } from './support/fixtures.js';

/** A minimal ephemeral resource type: `random_password`-like, one input, one output. */
class TestEphemeral extends TerraformEphemeralResource {
  public constructor(
    scope: Construct,
    id: string,
    private readonly input: string,
    meta: Partial<TerraformEphemeralResourceConfig> = {},
  ) {
    super(scope, id, {
      terraformResourceType: 'kubernetes_token_request_v1',
      terraformGeneratorMetadata: { providerName: 'kubernetes' },
      ...meta,
    });
  }
  protected override synthesizeAttributes() {
    return { metadata: { name: this.input, namespace: 'default' } };
  }
  protected override synthesizeHclAttributes() {
    return {
      metadata: {
        value: { name: { value: this.input, type: 'simple', storageClassType: 'string' } },
        isBlock: true,
        type: 'struct',
        storageClassType: 'Metadata',
      },
    };
  }
  public get token(): string {
    return this.getStringAttribute('token');
  }
}

/** A provider for another type, to show provider matching is by name. */
class OtherProvider extends TerraformProvider {
  public constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { terraformResourceType: name, terraformGeneratorMetadata: { providerName: name } });
  }
}

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'test');
  new KubernetesProvider(s, 'kubernetes', {});
  return s;
}

describe('TerraformEphemeralResource: JSON synthesis', () => {
  it('synthesizes an ephemeral block keyed by type and logical id', async () => {
    // GIVEN
    const s = stack();
    // WHEN
    new TestEphemeral(s, 'token', 'builder');
    // THEN
    const json = synthJson(s, true);
    await matchSnapshot('ephemeral-resource-basic', json);
    assert.deepEqual(json.ephemeral, {
      kubernetes_token_request_v1: { token: { metadata: { name: 'builder', namespace: 'default' } } },
    });
    assert.equal(json.resource, undefined);
    assert.equal(json.data, undefined);
  });

  it('brands instances with a registered symbol, not instanceof', () => {
    const s = stack();
    const e = new TestEphemeral(s, 'token', 'x');
    assert.equal(TerraformEphemeralResource.isTerraformEphemeralResource(e), true);
    assert.equal(Symbol.for('cdktf-kubernetes-csr/TerraformEphemeralResource') in e, true);
    const data = new TerraformDataSource(s, 'data', { terraformResourceType: 'kubernetes_namespace_v1' });
    assert.equal(TerraformEphemeralResource.isTerraformEphemeralResource(data), false);
    assert.equal(TerraformEphemeralResource.isTerraformEphemeralResource({}), false);
    assert.equal(TerraformEphemeralResource.isTerraformEphemeralResource(null), false);
  });

  it('references attributes as ephemeral.<type>.<id>.<attr>, with .* under for_each', () => {
    const s = stack();
    const e = new TestEphemeral(s, 'token', 'x');
    const list = new TerraformVariable(s, 'names', { type: 'list(string)' });
    const each = new TestEphemeral(s, 'each', 'y', { forEach: TerraformIterator.fromList(list.listValue) });
    new KubernetesProvider(s, 'as-token', {
      alias: 'as_token',
      token: e.token,
      username: each.getStringAttribute('token'),
    });
    const json = synthJson(s);
    const aliased = (json.provider.kubernetes as unknown as Record<string, unknown>[]).find(
      (p) => p.alias === 'as_token',
    );
    assert.equal(aliased?.token, '${ephemeral.kubernetes_token_request_v1.token.token}');
    assert.equal(aliased?.username, '${ephemeral.kubernetes_token_request_v1.each.*.token}');
  });

  it('is dependable: depends_on of other elements names ephemeral.<type>.<id>', () => {
    const s = stack();
    const e = new TestEphemeral(s, 'token', 'x');
    new NamespaceV1(s, 'ns', { metadata: { name: 'builds' }, dependsOn: [e] });
    assert.deepEqual(synthJson(s).resource.kubernetes_namespace_v1.ns.depends_on, [
      'ephemeral.kubernetes_token_request_v1.token',
    ]);
  });

  it('synthesizes the meta-arguments depends_on, count, provider and lifecycle in snake_case', () => {
    const s = stack();
    const ns = new NamespaceV1(s, 'ns', { metadata: { name: 'builds' } });
    const admin = new KubernetesProvider(s, 'admin', { alias: 'admin' });
    new TestEphemeral(s, 'token', 'x', {
      dependsOn: [ns],
      count: 2,
      provider: admin,
      lifecycle: { postcondition: [{ condition: 'true', errorMessage: 'never' }] },
    });
    const block = synthJson(s).ephemeral.kubernetes_token_request_v1.token;
    assert.deepEqual(block.depends_on, ['kubernetes_namespace_v1.ns']);
    assert.equal(block.count, 2);
    assert.equal(block.provider, 'kubernetes.admin');
    assert.deepEqual(block.lifecycle, { postcondition: [{ condition: 'true', error_message: 'never' }] });
  });

  it('synthesizes for_each from an iterator', () => {
    const s = stack();
    const names = new TerraformVariable(s, 'names', { type: 'set(string)' });
    const it = TerraformIterator.fromList(names.listValue);
    new TestEphemeral(s, 'token', it.value as string, { forEach: it });
    const block = synthJson(s).ephemeral.kubernetes_token_request_v1.token;
    assert.equal(block.for_each, '${toset(var.names)}');
    assert.deepEqual(block.metadata, { name: '${each.value}', namespace: 'default' });
  });

  it('fails when both count and forEach are set', () => {
    const s = stack();
    const names = new TerraformVariable(s, 'names', { type: 'set(string)' });
    new TestEphemeral(s, 'token', 'x', { count: 1, forEach: TerraformIterator.fromList(names.listValue) });
    assert.throws(() => Testing.synth(s), /forEach and count are both set on the ephemeral resource at 'test\/token'/);
  });

  it('applies addOverride and records it in the stack metadata', () => {
    const s = stack();
    const e = new TestEphemeral(s, 'token', 'x');
    e.addOverride('metadata.namespace', 'kube-system');
    e.addOverride('spec.audiences', ['api']);
    const block = synthJson(s).ephemeral.kubernetes_token_request_v1.token;
    assert.deepEqual(block.metadata, { name: 'x', namespace: 'kube-system' });
    assert.deepEqual(block.spec, { audiences: ['api'] });
    assert.deepEqual(e.toMetadata(), { overrides: { 'ephemeral.kubernetes_token_request_v1': ['metadata', 'spec'] } });
    const full = s.toTerraform() as { '//': { metadata: { overrides: unknown } } };
    assert.deepEqual(full['//'].metadata.overrides, { 'ephemeral.kubernetes_token_request_v1': ['metadata', 'spec'] });
  });

  it('honours overrideLogicalId', () => {
    const s = stack();
    const e = new TestEphemeral(s, 'token', 'x');
    e.overrideLogicalId('builder_token');
    assert.ok(synthJson(s).ephemeral.kubernetes_token_request_v1.builder_token);
  });
});

describe('TerraformEphemeralResource: HCL synthesis', () => {
  it('renders an ephemeral block with Testing.synthHcl instead of dropping it', () => {
    const s = stack();
    const ns = new NamespaceV1(s, 'ns', { metadata: { name: 'builds' } });
    const admin = new KubernetesProvider(s, 'admin', { alias: 'admin' });
    new TestEphemeral(s, 'token', 'builder', { dependsOn: [ns], provider: admin, count: 1 });
    const hcl = Testing.synthHcl(s) as string;
    assert.match(hcl, /ephemeral "kubernetes_token_request_v1" "token" \{/);
    assert.match(hcl, /metadata \{\nname = "builder"\n\}/);
    assert.match(hcl, /provider = kubernetes\.admin/);
    assert.match(hcl, /depends_on = \[kubernetes_namespace_v1\.ns\]/);
    assert.match(hcl, /count = 1/);
    const metadata = Testing.synthHcl(s, false, true) as { ephemeral?: Record<string, unknown> };
    assert.ok(metadata.ephemeral?.kubernetes_token_request_v1, 'the ephemeral block is in the HCL metadata');
    if (terraformAvailable()) {
      const formatted = terraformFmt(hcl);
      assert.match(formatted, /^ephemeral "kubernetes_token_request_v1" "token" \{$/m);
      assert.match(formatted, /^ {2}provider\s+= kubernetes\.admin$/m);
    }
  });

  it('writes the ephemeral block to cdk.tf when SYNTH_HCL_OUTPUT=true', () => {
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const outdir = tempDir('hcl-synth-');
      const app = new App({ outdir, hclOutput: true, stackTraces: false });
      const s = new TerraformStack(app, 'hcl');
      new KubernetesProvider(s, 'kubernetes', {});
      new TestEphemeral(s, 'token', 'builder');
      app.synth();
      const hcl = readFileSync(join(outdir, 'stacks', 'hcl', 'cdk.tf'), 'utf8');
      assert.match(hcl, /ephemeral "kubernetes_token_request_v1" "token" \{/);
      if (terraformAvailable()) terraformFmt(hcl);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  });
});

describe('TerraformEphemeralResource: provider presence', () => {
  it('fails when the stack has no provider of the type', () => {
    const s = new TerraformStack(Testing.app(), 'test');
    new TestEphemeral(s, 'token', 'x');
    assert.throws(
      () => Testing.synth(s, true),
      /no "kubernetes" provider is configured in stack 'test', but ephemeral resources 'test\/token' need one\. Add a default provider, e\.g\. new KubernetesProvider/,
    );
  });

  it('fails when only aliased providers exist and the resource names none', () => {
    const s = new TerraformStack(Testing.app(), 'test');
    new KubernetesProvider(s, 'admin', { alias: 'admin' });
    new TestEphemeral(s, 'token', 'x');
    assert.throws(() => Testing.synth(s, true), /only aliased "kubernetes" providers \("admin"\) are configured/);
  });

  it('fails when the provider of another type is present', () => {
    const s = new TerraformStack(Testing.app(), 'test');
    new OtherProvider(s, 'random', 'random');
    new TestEphemeral(s, 'token', 'x');
    assert.throws(() => Testing.synth(s, true), /no "kubernetes" provider is configured/);
  });

  it('passes with an explicit provider, or any provider whose terraformResourceType is kubernetes', () => {
    const s1 = new TerraformStack(Testing.app(), 'explicit');
    const admin = new KubernetesProvider(s1, 'admin', { alias: 'admin' });
    new TestEphemeral(s1, 'token', 'x', { provider: admin });
    assert.doesNotThrow(() => Testing.synth(s1, true));

    const s2 = new TerraformStack(Testing.app(), 'generic');
    new OtherProvider(s2, 'k8s', 'kubernetes');
    new TestEphemeral(s2, 'token', 'x');
    assert.doesNotThrow(() => Testing.synth(s2, true));
  });
});
