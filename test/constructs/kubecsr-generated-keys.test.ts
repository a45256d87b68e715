import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AnnotationMetadataEntryType,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1/index.js';
import {
  KubeCsrCertificate,
  KubeCsrClientIdentity,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
} from '../../src/constructs/index.js';
import type { KubeCsrCertificateConfig, KubeCsrClientIdentityConfig } from '../../src/constructs/index.js';
import { kubecsrProviderVersion } from '../../src/provider/install.js';
import { CsrSpecError } from '../../src/rules/index.js';
import {
  PEM_DASHES,
  stackWithKubecsr,
  stackWithProvider,
  synthJson,
  terraformAvailable,
  terraformFmt,
} from './support/fixtures.js';
import { matchSnapshot } from './support/snapshot.js';

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

const servingConfig = (overrides: Partial<KubeCsrCertificateConfig> = {}): KubeCsrCertificateConfig => ({
  commonName: 'web.demo.svc',
  dnsNames: ['web.demo.svc', 'web.demo.svc.cluster.local'],
  ipAddresses: ['10.96.0.10'],
  usages: ['digital signature', 'key encipherment', 'server auth'],
  signerName: 'example.com/serving',
  ...overrides,
});

describe('KubeCsrCertificate and KubeCsrClientIdentity', () => {
  it('synthesize kubecsr_certificate and kubecsr_client_identity with only the attributes given, snake_case', async () => {
    // GIVEN a stack whose only provider is kubecsr
    const { stack } = stackWithKubecsr();
    // WHEN both types are declared, with every argument
    const web = new KubeCsrCertificate(stack, 'web', {
      ...servingConfig(),
      organizations: ['demo'],
      uris: ['spiffe://cluster.local/ns/demo/sa/web'],
      expirationSeconds: 3600,
      keyType: 'ecdsa-p384',
      autoApprove: true,
      timeout: '90s',
    });
    const jane = new KubeCsrClientIdentity(stack, 'jane', {
      user: 'jane',
      groups: ['dev'],
      namespace: 'team-a',
      signerName: CLIENT_SIGNER,
      expirationSeconds: 600,
      keyType: 'ed25519',
      autoApprove: false,
      timeout: '2m',
    });
    const webResults = {
      certificate: web.certificate,
      private_key_pem: web.privateKeyPem,
      ca_certificate: web.caCertificate,
      not_after: web.notAfter,
    };
    const janeResults = {
      certificate: jane.certificate,
      private_key_pem: jane.privateKeyPem,
      ca_certificate: jane.caCertificate,
      not_after: jane.notAfter,
      host: jane.host,
      kubeconfig: jane.kubeconfig,
    };
    new TerraformLocal(stack, 'results', { web: webResults, jane: janeResults });
    const json = synthJson(stack, true);
    // THEN the blocks hold exactly those arguments, and no provider argument: Terraform implies kubecsr from the type
    assert.deepEqual(json.ephemeral.kubecsr_certificate.web, {
      common_name: 'web.demo.svc',
      organizations: ['demo'],
      dns_names: ['web.demo.svc', 'web.demo.svc.cluster.local'],
      ip_addresses: ['10.96.0.10'],
      uris: ['spiffe://cluster.local/ns/demo/sa/web'],
      usages: ['digital signature', 'key encipherment', 'server auth'],
      signer_name: 'example.com/serving',
      expiration_seconds: 3600,
      key_type: 'ecdsa-p384',
      auto_approve: true,
      timeout: '90s',
    });
    assert.deepEqual(Object.keys(json.ephemeral.kubecsr_client_identity.jane).sort(), [
      'auto_approve',
      'expiration_seconds',
      'groups',
      'key_type',
      'namespace',
      'signer_name',
      'timeout',
      'user',
    ]);
    assert.deepEqual(Object.keys(json.provider), ['kubecsr']);
    // AND the getters are ephemeral references to the results
    const refs = (type: string, name: string, results: object) =>
      Object.fromEntries(Object.keys(results).map((a) => [a, `\${ephemeral.${type}.${name}.${a}}`]));
    assert.deepEqual(json.locals.results, {
      web: refs('kubecsr_certificate', 'web', webResults),
      jane: refs('kubecsr_client_identity', 'jane', janeResults),
    });
    assert.equal(jane.signerName, CLIENT_SIGNER);
    await matchSnapshot('kubecsr-generated-keys', json, (t) => t.split(kubecsrProviderVersion()).join('<VERSION>'));
  });

  it('wire a kubecsr alias from the kubeconfig result, another from the PEM results, and a TLS secret through data_wo', () => {
    // GIVEN
    const { stack } = stackWithKubecsr();
    new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    const jane = new KubeCsrClientIdentity(stack, 'jane', { user: 'jane' });
    const web = new KubeCsrCertificate(stack, 'web', servingConfig());
    // WHEN the results go to provider blocks and a write-only argument
    const fromKubeconfig = new KubeCsrProvider(stack, 'as-jane', { alias: 'jane', kubeconfig: jane.kubeconfig });
    const fromPem = new KubeCsrProvider(stack, 'as-jane-pem', {
      alias: 'jane_pem',
      host: jane.host,
      clusterCaCertificate: jane.caCertificate,
      clientCertificate: jane.certificate,
      clientKey: jane.privateKeyPem,
    });
    new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: fromKubeconfig });
    new KubeCsrSelfSubjectReview(stack, 'whoami-pem', { provider: fromPem });
    new SecretV1(stack, 'tls', {
      metadata: { name: 'web-tls' },
      type: 'kubernetes.io/tls',
      dataWo: { 'tls.crt': web.certificate, 'tls.key': web.privateKeyPem },
      dataWoRevision: 1,
    });
    // THEN synthesis (with the ephemeral-usage checks) accepts it, and nothing secret is in the configuration
    const json = synthJson(stack, true);
    assert.deepEqual(json.provider.kubecsr[1], {
      alias: 'jane',
      kubeconfig: '${ephemeral.kubecsr_client_identity.jane.kubeconfig}',
    });
    assert.equal(json.provider.kubecsr[2].client_key, '${ephemeral.kubecsr_client_identity.jane.private_key_pem}');
    assert.doesNotMatch(JSON.stringify(json), /PRIVATE KEY|file\(/);
  });

  it('render as HCL ephemeral blocks that terraform fmt accepts', () => {
    const { stack, kubecsr } = stackWithKubecsr();
    new KubeCsrCertificate(stack, 'web', { ...servingConfig(), provider: kubecsr, autoApprove: false });
    new KubeCsrClientIdentity(stack, 'jane', { user: 'jane', groups: ['dev'] });
    const hcl = Testing.synthHcl(stack, true) as string;
    assert.match(hcl, /ephemeral "kubecsr_certificate" "web" \{[^}]*common_name = "web\.demo\.svc"/s);
    assert.match(hcl, /provider = kubecsr\n/);
    assert.match(hcl, /auto_approve = false/);
    assert.match(hcl, /ephemeral "kubecsr_client_identity" "jane" \{[^}]*user = "jane"/s);
    if (terraformAvailable()) terraformFmt(hcl);
  });

  it('skip the rules for values that are tokens: Terraform knows them only when it opens', () => {
    const { stack } = stackWithKubecsr();
    const user = new TerraformVariable(stack, 'user', { type: 'string' });
    const names = new TerraformVariable(stack, 'names', { type: 'list(string)' });
    new KubeCsrClientIdentity(stack, 'jane', { user: user.stringValue, namespace: user.stringValue });
    new KubeCsrCertificate(stack, 'web', servingConfig({ commonName: user.stringValue, dnsNames: names.listValue }));
    assert.equal(synthJson(stack, true).ephemeral.kubecsr_client_identity.jane.user, '${var.user}');
  });

  it("add the shared rules' warnings to the construct: a kubernetes.io signer nobody signs", () => {
    const { stack } = stackWithKubecsr();
    const web = new KubeCsrCertificate(stack, 'web', servingConfig({ signerName: 'kubernetes.io/no-such-signer' }));
    const warnings = web.node.metadata.filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string));
    assert.match(
      String(warnings[0]?.data),
      /warning: spec\.signerName \(terraform: signer_name\): signer names under kubernetes\.io are reserved/,
    );
  });

  it('fail synthesis in a stack without a kubecsr provider, saying which one to add', () => {
    const { stack } = stackWithProvider();
    new KubeCsrClientIdentity(stack, 'jane', { user: 'jane' });
    assert.throws(
      () => Testing.synth(stack, true),
      /no "kubecsr" provider is configured in stack 'test', but ephemeral resources 'test\/jane' need one\. Add a default provider, e\.g\. new KubeCsrProvider/,
    );
  });

  it('fail synthesis when a result goes into a root output', () => {
    const { stack } = stackWithKubecsr();
    const jane = new KubeCsrClientIdentity(stack, 'jane', { user: 'jane' });
    new TerraformOutput(stack, 'leak', { value: jane.kubeconfig, sensitive: true });
    assert.throws(
      () => Testing.synth(stack, true),
      /the ephemeral value ephemeral\.kubecsr_client_identity\.jane\.kubeconfig is used in the output 'test\/leak'/,
    );
  });

  const certificateFailures: { when: string; config: KubeCsrCertificateConfig; message: RegExp }[] = [
    {
      when: 'key_type is not one kubecsr generates',
      config: servingConfig({ keyType: 'dsa-1024' as never }),
      message:
        /keyType \(terraform: key_type\) is not a key type kubecsr generates, received "dsa-1024"; allowed: "rsa-2048", .*"ed25519"; fix: /,
    },
    {
      when: 'timeout is not a duration',
      config: servingConfig({ timeout: 'soon' }),
      message: /timeout must be a positive duration, received "soon"; allowed: a number followed by ms, s, m or h/,
    },
    {
      when: 'a DNS name is not one',
      config: servingConfig({ dnsNames: ['not a name'] }),
      message: /dnsNames \(terraform: dns_names\): dnsNames\[0\] is "not a name": expected a DNS name/,
    },
    {
      when: 'an IP address has a prefix length',
      config: servingConfig({ ipAddresses: ['10.0.0.1/24'] }),
      message:
        /ipAddresses \(terraform: ip_addresses\): ipAddresses\[0\] is "10\.0\.0\.1\/24": expected an IPv4 or IPv6 address/,
    },
    {
      when: 'the common name is empty',
      config: servingConfig({ commonName: '' }),
      message: /commonName \(terraform: common_name\): commonName is "": it must not be empty/,
    },
  ];
  for (const failure of certificateFailures) {
    it(`fails when ${failure.when}, naming the construct and the attribute`, () => {
      const { stack } = stackWithKubecsr();
      assert.throws(
        () => new KubeCsrCertificate(stack, 'web', failure.config),
        (error: unknown) => {
          assert.match(String(error), /invalid kubecsr_certificate in 'test\/web': /);
          assert.match(String(error), failure.message);
          return true;
        },
      );
    });
  }

  const specFailures: { when: string; config: KubeCsrCertificateConfig; message: RegExp }[] = [
    {
      when: 'kube-apiserver-client is asked for server auth',
      config: { commonName: 'jane', signerName: CLIENT_SIGNER, usages: ['server auth'] },
      message:
        /spec\.usages \(terraform: usages\): signer "kubernetes\.io\/kube-apiserver-client" refuses usage "server auth".*fix: use usages = \["client auth"\]/,
    },
    {
      when: 'a signer of your own gets no usages',
      config: { commonName: 'web', signerName: 'example.com/serving', dnsNames: ['web'] },
      message: /spec\.usages \(terraform: usages\): must list at least one key usage/,
    },
    {
      when: 'expiration_seconds is below 600',
      config: servingConfig({ expirationSeconds: 60 }),
      message: /spec\.expirationSeconds \(terraform: expiration_seconds\): may not be less than 600 seconds/,
    },
    {
      when: 'the signer name is not a qualified name',
      config: servingConfig({ signerName: 'serving' }),
      message: /spec\.signerName \(terraform: signer_name\)/,
    },
    {
      when: 'the kubelet client signer gets a subject that is not a node',
      config: { commonName: 'jane', organizations: ['dev'], signerName: 'kubernetes.io/kube-apiserver-client-kubelet' },
      message: /requires the CSR subject organizations to be exactly \["system:nodes"\]/,
    },
  ];
  for (const failure of specFailures) {
    it(`fails when ${failure.when}, with the shared rules' message`, () => {
      const { stack } = stackWithKubecsr();
      assert.throws(
        () => new KubeCsrCertificate(stack, 'web', failure.config),
        (error: unknown) => {
          assert.ok(error instanceof CsrSpecError, String(error));
          assert.match(error.message, /in 'test\/web'/);
          assert.match(error.message, failure.message);
          return true;
        },
      );
    });
  }

  const identityFailures: { when: string; config: KubeCsrClientIdentityConfig; message: RegExp }[] = [
    {
      when: 'the namespace is not a DNS-1123 label',
      config: { user: 'jane', namespace: 'Team_A' },
      message:
        /invalid kubecsr_client_identity in 'test\/jane': namespace .*received "Team_A"; allowed: a DNS-1123 label/,
    },
    {
      when: 'the user is empty',
      config: { user: '' },
      message: /user \(terraform: user\): commonName is "": it must not be empty/,
    },
    {
      when: 'a group is blank',
      config: { user: 'jane', groups: [' '] },
      message: /groups \(terraform: groups\): organizations\[0\]/,
    },
    {
      when: 'the signer serves kubelets only',
      config: { user: 'jane', signerName: 'kubernetes.io/kubelet-serving' },
      message: /kubernetes\.io\/kubelet-serving/,
    },
  ];
  for (const failure of identityFailures) {
    it(`fails when ${failure.when}`, () => {
      const { stack } = stackWithKubecsr();
      assert.throws(() => new KubeCsrClientIdentity(stack, 'jane', failure.config), failure.message);
    });
  }

  it('fails when provider is not a kubecsr configuration', () => {
    const { stack } = stackWithProvider();
    const kubernetes = new KubernetesProvider(stack, 'other', { alias: 'other' });
    assert.throws(
      () => new KubeCsrClientIdentity(stack, 'jane', { user: 'jane', provider: kubernetes }),
      /KubeCsrClientIdentity 'test\/jane': provider must be a kubecsr provider, received the "kubernetes" provider 'test\/other'/,
    );
    assert.throws(
      () => new KubeCsrCertificate(stack, 'web', { ...servingConfig(), provider: kubernetes }),
      /KubeCsrCertificate 'test\/web': provider must be a kubecsr provider/,
    );
  });
});

describe('KubeCsrProvider kubeconfig', () => {
  it('fails when kubeconfig and configPath are both set', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    assert.throws(
      () => new KubeCsrProvider(stack, 'kubecsr', { kubeconfig: 'apiVersion: v1', configPath: '~/.kube/config' }),
      /kubeconfig and configPath \(config_path\) are both set/,
    );
  });

  it('fails when kubeconfig is literal text holding a key, never echoing it', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const document = `users:\n- user:\n    client-key-data: ${Buffer.from(`${PEM_DASHES}BEGIN`).toString('base64')}\n`;
    assert.throws(
      () => new KubeCsrProvider(stack, 'kubecsr', { kubeconfig: document }),
      (error: unknown) => {
        assert.match(
          String(error),
          /kubeconfig is literal text holding credentials, which would be written into cdktf\.out/,
        );
        assert.doesNotMatch(String(error), /client-key-data:/);
        return true;
      },
    );
  });
});
