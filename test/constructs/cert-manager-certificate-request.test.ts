import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fn, TerraformProvider, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { CertManagerCertificateRequest, TerraformEphemeralResource } from '../../src/constructs/index.js';
import type { CertManagerCertificateRequestConfig } from '../../src/constructs/index.js';
import { resolveIn } from '../../src/constructs/cdktf-internals.js';
import { CsrSpecError } from '../../src/rules/index.js';
import { PROVIDER_DOCS_CSR, synthJson, terraformAvailable, terraformFmt } from './support/fixtures.js';
import { matchSnapshot } from './support/snapshot.js';

const TYPE = 'kubecsr_cert_manager_certificate_request';

/**
 * A stand-in for the project's provider element (the real one is the main branch's KubeCsrProvider): what the
 * presence check looks at is its terraformResourceType, 'kubecsr'.
 */
class TestKubeCsrProvider extends TerraformProvider {
  private providerAlias?: string;

  public constructor(scope: Construct, id: string, alias?: string) {
    super(scope, id, { terraformResourceType: 'kubecsr', terraformProviderSource: 'cdktf-kubernetes-csr/kubecsr' });
    this.providerAlias = alias;
  }

  public override get alias(): string | undefined {
    return this.providerAlias;
  }

  public override set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { alias: this.alias };
  }
}

function stackWithKubeCsr(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new TestKubeCsrProvider(stack, 'kubecsr');
  return stack;
}

const config: CertManagerCertificateRequestConfig = {
  metadata: { generateName: 'app-', namespace: 'team-a' },
  spec: {
    request: PROVIDER_DOCS_CSR,
    issuerRef: { name: 'ca-issuer', kind: 'ClusterIssuer' },
    duration: '24h',
    usages: ['digital signature', 'key encipherment', 'client auth'],
  },
  autoApprove: true,
  timeout: '5m',
};

describe('CertManagerCertificateRequest: synthesis', () => {
  it('synthesizes the kubecsr ephemeral block in snake_case, and references for certificate, ca and not_after', async () => {
    // GIVEN a stack with the kubecsr provider
    const stack = stackWithKubeCsr();
    // WHEN a request is declared and its certificate and CA feed a kubernetes provider alias
    const cr = new CertManagerCertificateRequest(stack, 'app', config);
    new KubernetesProvider(stack, 'as-app', {
      alias: 'as_app',
      host: 'https://127.0.0.1:6443',
      clientCertificate: cr.certificate,
      clusterCaCertificate: cr.ca,
    });
    // THEN
    const json = synthJson(stack, true);
    await matchSnapshot('cert-manager-certificate-request', json);
    assert.deepEqual(json.ephemeral[TYPE].app, {
      metadata: { generate_name: 'app-', namespace: 'team-a' },
      spec: {
        request: PROVIDER_DOCS_CSR,
        issuer_ref: { name: 'ca-issuer', kind: 'ClusterIssuer' },
        duration: '24h',
        usages: ['digital signature', 'key encipherment', 'client auth'],
      },
      auto_approve: true,
      timeout: '5m',
    });
    assert.equal(json.provider.kubernetes[0].client_certificate, `\${ephemeral.${TYPE}.app.certificate}`);
    assert.equal(json.provider.kubernetes[0].cluster_ca_certificate, `\${ephemeral.${TYPE}.app.ca}`);
    assert.equal(json.resource, undefined, 'nothing is managed: the certificate never reaches state');
  });

  it('writes only what is given: no auto_approve, timeout or optional spec fields by default', () => {
    const stack = stackWithKubeCsr();
    new CertManagerCertificateRequest(stack, 'min', {
      metadata: { namespace: 'default' },
      spec: { request: PROVIDER_DOCS_CSR, issuerRef: { name: 'ca' } },
    });
    assert.deepEqual(synthJson(stack).ephemeral[TYPE].min, {
      metadata: { namespace: 'default' },
      spec: { request: PROVIDER_DOCS_CSR, issuer_ref: { name: 'ca' } },
    });
  });

  it('writes name, group and is_ca when given', () => {
    const stack = stackWithKubeCsr();
    new CertManagerCertificateRequest(stack, 'ca', {
      metadata: { name: 'intermediate', namespace: 'pki' },
      spec: { request: PROVIDER_DOCS_CSR, issuerRef: { name: 'root', group: 'cert-manager.io' }, isCa: true },
    });
    const block = synthJson(stack).ephemeral[TYPE].ca;
    assert.deepEqual(block.metadata, { name: 'intermediate', namespace: 'pki' });
    assert.deepEqual(block.spec.issuer_ref, { name: 'root', group: 'cert-manager.io' });
    assert.equal(block.spec.is_ca, true);
  });

  it('exposes certificate, ca and notAfter as reference tokens', () => {
    const stack = stackWithKubeCsr();
    const cr = new CertManagerCertificateRequest(stack, 'app', config);
    assert.ok(TerraformEphemeralResource.isTerraformEphemeralResource(cr));
    assert.equal(CertManagerCertificateRequest.tfResourceType, TYPE);
    for (const token of [cr.certificate, cr.ca, cr.notAfter]) assert.match(token, /^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    const resolved = resolveIn(stack, { c: cr.certificate, a: cr.ca, n: cr.notAfter }) as Record<string, string>;
    assert.deepEqual(resolved, {
      c: `\${ephemeral.${TYPE}.app.certificate}`,
      a: `\${ephemeral.${TYPE}.app.ca}`,
      n: `\${ephemeral.${TYPE}.app.not_after}`,
    });
    assert.equal(cr.namespace, 'team-a');
    assert.deepEqual(cr.issuerRef, { name: 'ca-issuer', kind: 'ClusterIssuer' });
  });

  it('renders the same block as HCL', () => {
    const stack = stackWithKubeCsr();
    new CertManagerCertificateRequest(stack, 'app', { ...config, spec: { ...config.spec, isCa: false } });
    const hcl = Testing.synthHcl(stack) as string;
    assert.match(hcl, /ephemeral "kubecsr_cert_manager_certificate_request" "app" \{/);
    assert.match(hcl, /metadata \{\ngenerate_name = "app-"\nnamespace = "team-a"\n\}/);
    assert.match(hcl, /issuer_ref \{\nname = "ca-issuer"\nkind = "ClusterIssuer"\n\}/);
    assert.match(hcl, /duration = "24h"/);
    assert.match(hcl, /is_ca = false/);
    assert.match(hcl, /auto_approve = true/);
    assert.match(hcl, /timeout = "5m"/);
    if (terraformAvailable()) {
      assert.match(terraformFmt(hcl), /^ {4}issuer_ref \{$/m);
    }
  });

  it('passes values that are tokens through without validating them', () => {
    const stack = stackWithKubeCsr();
    const namespace = new TerraformVariable(stack, 'namespace', { type: 'string' });
    const issuer = new TerraformVariable(stack, 'issuer', { type: 'string' });
    const duration = new TerraformVariable(stack, 'duration', { type: 'string' });
    const isCa = new TerraformVariable(stack, 'is_ca', { type: 'bool' });
    new CertManagerCertificateRequest(stack, 'cr', {
      metadata: { namespace: namespace.stringValue },
      spec: {
        request: Fn.file('/path/to/request.csr'),
        issuerRef: { name: issuer.stringValue },
        duration: duration.stringValue,
        isCa: isCa.booleanValue,
      },
      timeout: duration.stringValue,
    });
    const block = synthJson(stack, true).ephemeral[TYPE].cr;
    assert.deepEqual(block.spec, {
      request: '${file("/path/to/request.csr")}',
      issuer_ref: { name: '${var.issuer}' },
      duration: '${var.duration}',
      is_ca: '${var.is_ca}',
    });
  });
});

describe('CertManagerCertificateRequest: validation at construction', () => {
  const failures: { when: string; config: () => CertManagerCertificateRequestConfig; message: RegExp }[] = [
    {
      when: "the duration is under cert-manager's minimum",
      config: () => ({ ...config, spec: { ...config.spec, duration: '30m' } }),
      message: /spec\.duration: 30m0s is shorter than cert-manager's minimum certificate duration \(1h\)/,
    },
    {
      when: 'the kind is spelled in lowercase',
      config: () => ({ ...config, spec: { ...config.spec, issuerRef: { name: 'ca', kind: 'clusterissuer' } } }),
      message: /spec\.issuerRef\.kind \(terraform: spec\.issuer_ref\.kind\): must be one of Issuer or ClusterIssuer/,
    },
    {
      when: 'the namespace is not a DNS label',
      config: () => ({ ...config, metadata: { namespace: 'Team A' } }),
      message: /metadata\.namespace: .*received "Team A"/,
    },
    {
      when: 'a usage is misspelled',
      config: () => ({ ...config, spec: { ...config.spec, usages: ['clientAuth'] } }),
      message: /spec\.usages: unsupported key usage "clientAuth"/,
    },
    {
      when: 'the request is not a CSR',
      config: () => ({ ...config, spec: { ...config.spec, request: 'not a csr' } }),
      message: /spec\.request: is not a usable CSR/,
    },
    {
      when: 'the timeout is not a Go duration',
      config: () => ({ ...config, timeout: '5 minutes' }),
      message: /timeout: has the unknown unit " minutes"; received "5 minutes"; allowed: a positive Go duration/,
    },
  ];

  for (const failure of failures) {
    it(`fails when ${failure.when}, naming the construct path`, () => {
      const stack = stackWithKubeCsr();
      assert.throws(
        () => new CertManagerCertificateRequest(stack, 'cr', failure.config()),
        (error: unknown) => {
          assert.ok(error instanceof CsrSpecError);
          assert.equal(error.code, 'invalid-spec');
          assert.match(error.message, /^invalid cert-manager CertificateRequest spec in 'test\/cr'/);
          assert.match(error.message, failure.message);
          return true;
        },
      );
    });
  }

  it('fails synthesis when no kubecsr provider is configured, saying to add a KubeCsrProvider', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    new CertManagerCertificateRequest(stack, 'cr', config);
    assert.throws(
      () => Testing.synth(stack, true),
      /no "kubecsr" provider is configured in stack 'test', but ephemeral resources 'test\/cr' need one\. Add a default provider, e\.g\. new KubeCsrProvider/,
    );
  });

  it('accepts an aliased kubecsr provider passed explicitly', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const provider = new TestKubeCsrProvider(stack, 'other', 'other');
    new CertManagerCertificateRequest(stack, 'cr', { ...config, provider });
    assert.equal(synthJson(stack, true).ephemeral[TYPE].cr.provider, 'kubecsr.other');
  });
});
