import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import {
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  KubernetesCertificateSigningRequestV1Ephemeral,
} from '../../src/constructs/index.js';
import { isKubeCsrProvider } from '../../src/constructs/kubecsr-provider.js';
import { KUBECSR_PROVIDER_SOURCE, kubecsrProviderVersion } from '../../src/provider/install.js';
import {
  docsCsrConfig,
  PEM_DASHES,
  stackWithKubecsr,
  stackWithProvider,
  synthJson,
  terraformAvailable,
  terraformFmt,
} from './support/fixtures.js';

describe('KubeCsrProvider', () => {
  it('renders required_providers with the kubecsr source and the package version, and the provider block', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 'test');
    // WHEN
    const kubecsr = new KubeCsrProvider(stack, 'kubecsr', {
      configPath: '~/.kube/config',
      configContext: 'admin@local',
      host: 'https://127.0.0.1:6443',
      clusterCaCertificate: Fn.file('/etc/ca.crt'),
      clientCertificate: 'CERT',
      clientKey: Fn.file('/k.key'),
      token: 'TOKEN',
      insecure: false,
      alias: 'admin',
    });
    const json = synthJson(stack, true);
    // THEN
    assert.deepEqual(json.terraform.required_providers.kubecsr, {
      source: KUBECSR_PROVIDER_SOURCE,
      version: kubecsrProviderVersion(),
    });
    assert.deepEqual(json.provider.kubecsr, [
      {
        alias: 'admin',
        config_path: '~/.kube/config',
        config_context: 'admin@local',
        host: 'https://127.0.0.1:6443',
        cluster_ca_certificate: '${file("/etc/ca.crt")}',
        client_certificate: 'CERT',
        client_key: '${file("/k.key")}',
        token: 'TOKEN',
        insecure: false,
      },
    ]);
    assert.equal(kubecsr.fqn, 'kubecsr.admin');
    assert.equal(kubecsr.alias, 'admin');
    assert.ok(isKubeCsrProvider(kubecsr) && KubeCsrProvider.isKubeCsrProvider(kubecsr));
    assert.equal(KubeCsrProvider.tfResourceType, 'kubecsr');
  });

  it('renders an empty block for the defaults, and the same provider as HCL', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KubeCsrProvider(stack, 'kubecsr');
    new KubeCsrProvider(stack, 'other', { alias: 'other', configPath: '/admin.kubeconfig', insecure: true });
    assert.deepEqual(synthJson(stack).provider.kubecsr, [
      {},
      { alias: 'other', config_path: '/admin.kubeconfig', insecure: true },
    ]);
    const hcl = Testing.synthHcl(stack) as string;
    assert.match(hcl, /kubecsr = \{\nversion = "[^"]+"\nsource = "kubecsr\.local\/cdktf-kubernetes-csr\/kubecsr"\n\}/);
    assert.match(
      hcl,
      /provider "kubecsr" \{\n\s*config_path\s*= "\/admin\.kubeconfig"\n\s*insecure\s*= true\n\s*alias\s*= "other"\n\}/,
    );
    if (terraformAvailable()) terraformFmt(hcl);
  });

  it('is not a KubernetesProvider, and a KubernetesProvider is not kubecsr', () => {
    const { stack } = stackWithProvider();
    assert.equal(isKubeCsrProvider(new KubernetesProvider(stack, 'k', { alias: 'k' })), false);
    assert.equal(isKubeCsrProvider('kubecsr'), false);
  });

  const failures: { when: string; config: () => ConstructorParameters<typeof KubeCsrProvider>[2]; message: RegExp }[] =
    [
      {
        when: 'host has no scheme',
        config: () => ({ host: '127.0.0.1:6443' }),
        message: /host must be a URL, received "127\.0\.0\.1:6443"; allowed: an http\(s\) URL/,
      },
      {
        when: 'clientCertificate comes without clientKey',
        config: () => ({ clientCertificate: 'CERT' }),
        message: /clientKey \(client_key\) is required with clientCertificate/,
      },
      {
        when: 'clientKey comes without clientCertificate',
        config: () => ({ clientKey: Fn.file('/k.key') }),
        message: /clientCertificate \(client_certificate\) is required with clientKey/,
      },
      {
        when: 'clientKey is PEM text',
        config: () => ({
          clientCertificate: 'CERT',
          clientKey: `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}\nMC4CAQAwBQYDK2VwBCIEIA==\n${PEM_DASHES}END PRIVATE KEY${PEM_DASHES}`,
        }),
        message:
          /clientKey \(client_key\) is PEM text, which would be written into cdktf\.out; pass the ephemeral privateKeyPem of a KubeCsrCertificate or KubeCsrClientIdentity, or Fn\.file/,
      },
    ];
  for (const failure of failures) {
    it(`fails when ${failure.when}, naming the construct path`, () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      assert.throws(
        () => new KubeCsrProvider(stack, 'kubecsr', failure.config()),
        (error: unknown) => {
          assert.match(String(error), /^Error: KubeCsrProvider 'test\/kubecsr': /);
          assert.match(String(error), failure.message);
          assert.doesNotMatch(String(error), /MC4CAQAw/);
          return true;
        },
      );
    });
  }

  it('passes values that are tokens through without checking them', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const host = new TerraformVariable(stack, 'host', { type: 'string' });
    new KubeCsrProvider(stack, 'kubecsr', { host: host.stringValue });
    assert.equal(synthJson(stack).provider.kubecsr[0]?.host, '${var.host}');
  });
});

describe('KubeCsrSelfSubjectReview', () => {
  it('reads through an alias, and its attributes may go into root outputs (they are not ephemeral)', () => {
    // GIVEN a kubecsr alias authenticated with an issued certificate
    const { stack, kubecsr } = stackWithKubecsr();
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', docsCsrConfig({ provider: kubecsr }));
    const alias = new KubeCsrProvider(stack, 'as-user', {
      alias: 'as_user',
      configPath: '~/.kube/config',
      clientCertificate: csr.certificate,
      clientKey: Fn.file('/k.key'),
    });
    // WHEN the review reads through it and outputs its attributes
    const review = new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: alias });
    new TerraformOutput(stack, 'username', { value: review.username });
    new TerraformOutput(stack, 'groups', { value: review.groups });
    new TerraformOutput(stack, 'uid', { value: review.uid });
    new TerraformOutput(stack, 'extra', { value: review.extra });
    // THEN synthesis (with every validation) accepts it
    const json = synthJson(stack, true);
    assert.deepEqual(Object.keys(json.data.kubecsr_self_subject_review.whoami), ['provider']);
    assert.equal(json.data.kubecsr_self_subject_review.whoami.provider, 'kubecsr.as_user');
    assert.equal(json.output.username.value, '${data.kubecsr_self_subject_review.whoami.username}');
    assert.equal(json.output.groups.value, '${data.kubecsr_self_subject_review.whoami.groups}');
    assert.equal(json.output.uid.value, '${data.kubecsr_self_subject_review.whoami.uid}');
    assert.equal(json.output.extra.value, '${data.kubecsr_self_subject_review.whoami.extra}');
    assert.equal(KubeCsrSelfSubjectReview.tfResourceType, 'kubecsr_self_subject_review');
  });

  it('fails when its provider is not kubecsr', () => {
    const { stack } = stackWithProvider();
    const kubernetes = new KubernetesProvider(stack, 'as-user', { alias: 'as_user' });
    assert.throws(
      () => new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: kubernetes }),
      /KubeCsrSelfSubjectReview 'test\/whoami': provider must be a kubecsr provider, received the "kubernetes" provider 'test\/as-user'/,
    );
  });

  it("fails synthesis when the stack has no kubecsr provider (cdktf's own presence check)", () => {
    const { stack } = stackWithProvider();
    new KubeCsrSelfSubjectReview(stack, 'whoami');
    assert.throws(() => Testing.synth(stack, true), /for the following providers: kubecsr/);
  });
});
