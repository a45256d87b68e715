import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fn, TerraformProvider, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import {
  ClientCertificate,
  KubeCsrProvider,
  KubernetesCertificateSigningRequestV1Ephemeral,
  ServingCertificate,
} from '../../src/constructs/index.js';
import type { KubernetesCertificateSigningRequestV1EphemeralConfig } from '../../src/constructs/index.js';
import { kubecsrProviderVersion } from '../../src/provider/install.js';
import { CsrSpecError } from '../../src/rules/index.js';
import {
  CSR_TYPE,
  PROVIDER_DOCS_CSR,
  docsCsrConfig,
  stackWithKubecsr,
  stackWithProvider,
  synthJson,
  tempDir,
  terraformAvailable,
  terraformFmt,
} from './support/fixtures.js';
import { matchSnapshot } from './support/snapshot.js';

/** A provider of some other type, to show that the ephemeral CSR refuses it. */
class OtherProvider extends TerraformProvider {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'random', terraformGeneratorMetadata: { providerName: 'random' } });
  }
}

describe('KubernetesCertificateSigningRequestV1Ephemeral with kubecsr', () => {
  it('synthesizes generate_name, timeout and ca_bundle with provider = kubecsr, and no kubernetes provider is needed', async () => {
    // GIVEN a stack whose only provider is kubecsr
    const { stack, kubecsr } = stackWithKubecsr();
    // WHEN the documentation's block is opened by kubecsr, with its extras
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'test', {
      ...docsCsrConfig({ provider: kubecsr }),
      metadata: { generateName: 'test-' },
      timeout: '90s',
      caBundle: Fn.file('/etc/ca.crt'),
    });
    // THEN
    const json = synthJson(stack, true);
    await matchSnapshot('csr-v1-ephemeral-kubecsr', json, (t) => t.split(kubecsrProviderVersion()).join('<VERSION>'));
    assert.deepEqual(json.ephemeral[CSR_TYPE].test, {
      metadata: { generate_name: 'test-' },
      spec: {
        request: PROVIDER_DOCS_CSR,
        signer_name: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
      auto_approve: true,
      timeout: '90s',
      ca_bundle: '${file("/etc/ca.crt")}',
      provider: 'kubecsr',
    });
    assert.equal(csr.generateName, 'test-');
    assert.equal(csr.name, undefined);
    assert.equal(json.terraform.required_providers.kubernetes, undefined, 'hashicorp/kubernetes is not required');
  });

  it('renders the kubecsr extras as HCL', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'test', {
      ...docsCsrConfig({ provider: kubecsr }),
      metadata: { generateName: 'test-' },
      timeout: '5m',
    });
    const hcl = Testing.synthHcl(stack) as string;
    assert.match(hcl, /metadata \{\ngenerate_name = "test-"\n\}/);
    assert.match(hcl, /timeout = "5m"/);
    assert.match(hcl, /provider = kubecsr\n/);
    if (terraformAvailable()) terraformFmt(hcl);
  });

  it('keeps the plain hashicorp/kubernetes block unchanged (no extra keys)', () => {
    const { stack } = stackWithProvider();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig());
    assert.deepEqual(Object.keys(synthJson(stack, true).ephemeral[CSR_TYPE].csr).sort(), [
      'auto_approve',
      'metadata',
      'spec',
    ]);
  });

  const hashicorpFailures: {
    when: string;
    config: Partial<KubernetesCertificateSigningRequestV1EphemeralConfig>;
    message: RegExp;
  }[] = [
    {
      when: 'metadata.generateName is used',
      config: { metadata: { generateName: 'test-' } },
      message: /metadata\.generateName \(terraform: metadata\.generate_name\) needs the kubecsr provider/,
    },
    {
      when: 'timeout is used',
      config: { timeout: '90s' },
      message: /timeout \(terraform: timeout\) needs the kubecsr provider: hashicorp\/kubernetes has no such argument/,
    },
    {
      when: 'caBundle is used',
      config: { caBundle: 'CA' },
      message: /caBundle \(terraform: ca_bundle\) needs the kubecsr provider.*fix: pass provider: new KubeCsrProvider/,
    },
  ];
  for (const failure of hashicorpFailures) {
    for (const explicit of [false, true]) {
      it(`fails when ${failure.when} with ${explicit ? 'an explicit KubernetesProvider' : 'the default kubernetes provider'}`, () => {
        const { stack } = stackWithProvider();
        const provider = explicit ? new KubernetesProvider(stack, 'admin', { alias: 'admin' }) : undefined;
        assert.throws(
          () =>
            new KubernetesCertificateSigningRequestV1Ephemeral(
              stack,
              'csr',
              docsCsrConfig({ ...failure.config, provider }),
            ),
          (error: unknown) => {
            assert.match(String(error), /invalid ephemeral CertificateSigningRequest in 'test\/csr': /);
            assert.match(String(error), failure.message);
            return true;
          },
        );
      });
    }
  }

  it('fails at synthesis when the provider is changed to hashicorp/kubernetes after construction', () => {
    const { stack } = stackWithProvider();
    const kubecsr = new KubeCsrProvider(stack, 'kubecsr');
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
      ...docsCsrConfig({ provider: kubecsr }),
      metadata: { generateName: 'csr-' },
    });
    csr.provider = undefined;
    assert.throws(
      () => Testing.synth(stack),
      /metadata\.generateName \(terraform: metadata\.generate_name\) needs the kubecsr provider/,
    );
  });

  it('fails when metadata.name and metadata.generateName are both set', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    assert.throws(
      () =>
        new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
          ...docsCsrConfig({ provider: kubecsr }),
          metadata: { name: 'csr', generateName: 'csr-' },
        }),
      /metadata\.name and metadata\.generateName are both set \(received "csr" and "csr-"\); allowed: exactly one of them/,
    );
  });

  it('fails when neither metadata.name nor metadata.generateName is set', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    assert.throws(
      () =>
        new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
          ...docsCsrConfig({ provider: kubecsr }),
          metadata: {},
        }),
      (error: unknown) =>
        CsrSpecError.isCsrSpecError(error) && /a CertificateSigningRequest needs a name/.test(error.message),
    );
  });

  it('fails when generateName is not a valid prefix', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    assert.throws(
      () =>
        new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
          ...docsCsrConfig({ provider: kubecsr }),
          metadata: { generateName: 'Not A Prefix' },
        }),
      /metadata\.generateName/,
    );
  });

  it('fails when the timeout is not a positive duration', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    assert.throws(
      () =>
        new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
          ...docsCsrConfig({ provider: kubecsr }),
          timeout: '5 minutes',
        }),
      /timeout must be a positive duration, received "5 minutes"; allowed: a number followed by ms, s, m or h/,
    );
  });
});

describe('provider presence with kubecsr', () => {
  it('passes with provider = kubecsr and no kubernetes provider in the stack', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig({ provider: kubecsr }));
    assert.doesNotThrow(() => Testing.synth(stack, true));
  });

  it('passes with a kubecsr alias as provider', () => {
    const { stack } = stackWithKubecsr();
    const alias = new KubeCsrProvider(stack, 'other', { alias: 'other' });
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig({ provider: alias }));
    assert.equal(synthJson(stack, true).ephemeral[CSR_TYPE].csr.provider, 'kubecsr.other');
  });

  it('fails when only kubecsr is configured and the block names no provider, saying to pass it', () => {
    const { stack } = stackWithKubecsr();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig());
    assert.throws(
      () => Testing.synth(stack, true),
      /no "kubernetes" provider is configured in stack 'test', and ephemeral resources 'test\/csr' name no provider: Terraform would imply hashicorp\/kubernetes from their type name although a "kubecsr" provider is configured\. Pass `provider` \(the KubeCsrProvider\)/,
    );
  });

  it('fails without any provider, naming both kinds', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig());
    assert.throws(
      () => Testing.synth(stack, true),
      /no "kubernetes" provider is configured in stack 'test', but ephemeral resources 'test\/csr' need one\. Add a default provider, e\.g\. new KubernetesProvider.*or pass `provider` \(also a KubeCsrProvider\)/,
    );
  });

  it('fails when the block names a provider that does not serve the type', () => {
    const { stack } = stackWithProvider();
    const other = new OtherProvider(stack, 'random');
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig({ provider: other }));
    assert.throws(
      () => Testing.synth(stack, true),
      /the ephemeral resource 'test\/csr' \(kubernetes_certificate_signing_request_v1\) names the provider 'test\/random' of type "random", which does not serve it; allowed: a "kubernetes" provider or a "kubecsr" provider/,
    );
  });
});

describe('ClientCertificate and ServingCertificate with kubecsr', () => {
  it('keeps the fixed metadata.name with hashicorp/kubernetes, and provider() stays a KubernetesProvider', () => {
    const { stack } = stackWithProvider();
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane', keyDirectory: tempDir() });
    const provider = jane.provider(stack, 'as-jane', { alias: 'jane', host: 'https://127.0.0.1:6443' });
    assert.ok(provider instanceof KubernetesProvider);
    const block = Object.values(synthJson(stack, true).ephemeral[CSR_TYPE])[0];
    assert.deepEqual(block?.metadata, { name: jane.name });
  });

  it('uses generate_name for a ServingCertificate opened by kubecsr in key-file mode', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    const web = new ServingCertificate(stack, 'web', {
      signerName: 'example.com/serving',
      dnsNames: ['web.demo.svc'],
      keyMode: 'key-file',
      keyDirectory: tempDir(),
      provider: kubecsr,
    });
    const block = Object.values(synthJson(stack, true).ephemeral[CSR_TYPE])[0];
    assert.deepEqual(block?.metadata, { generate_name: `${web.name}-` });
  });

  it('fails when timeout is given to a certificate opened by hashicorp/kubernetes', () => {
    const { stack } = stackWithProvider();
    assert.throws(
      () => new ClientCertificate(stack, 'jane', { user: 'jane', keyDirectory: tempDir(), timeout: '2m' }),
      /invalid ephemeral CertificateSigningRequest in 'test\/jane\/Resource': timeout \(terraform: timeout\) needs the kubecsr provider/,
    );
  });
});
