import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnotationMetadataEntryType, Fn, TerraformVariable, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import {
  EphemeralKubernetesCertificateSigningRequestV1,
  KubernetesCertificateSigningRequestV1Ephemeral,
  TerraformEphemeralResource,
} from '../../src/constructs/index.js';
import type { EphemeralKubernetesCertificateSigningRequestV1Config } from '../../src/constructs/index.js';
import { CsrSpecError } from '../../src/rules/index.js';
import {
  CSR_TYPE,
  PROVIDER_DOCS_CSR,
  stackWithProvider,
  synthJson,
  terraformAvailable,
  terraformFmt,
} from './support/fixtures.js';
import { matchSnapshot } from './support/snapshot.js';

const docsConfig: EphemeralKubernetesCertificateSigningRequestV1Config = {
  metadata: { name: 'test' },
  spec: {
    request: PROVIDER_DOCS_CSR,
    signerName: 'kubernetes.io/kube-apiserver-client',
    usages: ['client auth'],
  },
  autoApprove: true,
};

describe('KubernetesCertificateSigningRequestV1Ephemeral: synthesis', () => {
  it('synthesizes the provider acceptance-test configuration', async () => {
    // GIVEN
    const { stack } = stackWithProvider();
    // WHEN
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'test', docsConfig);
    new KubernetesProvider(stack, 'as-admin', {
      alias: 'as_admin',
      host: 'https://127.0.0.1:6443',
      clientCertificate: csr.certificate,
    });
    // THEN
    const json = synthJson(stack, true);
    await matchSnapshot('csr-v1-ephemeral-provider-docs', json);
    assert.deepEqual(json.ephemeral[CSR_TYPE].test, {
      metadata: { name: 'test' },
      spec: {
        request: PROVIDER_DOCS_CSR,
        signer_name: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
      auto_approve: true,
    });
    assert.equal(json.provider.kubernetes[1].client_certificate, `\${ephemeral.${CSR_TYPE}.test.certificate}`);
    assert.equal(json.resource, undefined, 'nothing is managed: the certificate never reaches state');
  });

  it('writes auto_approve = true when it is not set, because the provider approves on null too', () => {
    const { stack } = stackWithProvider();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', { ...docsConfig, autoApprove: undefined });
    const block = synthJson(stack).ephemeral[CSR_TYPE].csr;
    assert.equal(block.auto_approve, true);
    assert.ok(Object.keys(block).includes('auto_approve'));
  });

  it('writes auto_approve = false when asked', () => {
    const { stack } = stackWithProvider();
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', { ...docsConfig, autoApprove: false });
    assert.equal(synthJson(stack).ephemeral[CSR_TYPE].csr.auto_approve, false);
    assert.equal(csr.autoApprove, false);
  });

  it('uses snake_case for every argument, including expiration_seconds', () => {
    const { stack } = stackWithProvider();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
      ...docsConfig,
      spec: { ...docsConfig.spec, expirationSeconds: 86400 },
    });
    const block = synthJson(stack).ephemeral[CSR_TYPE].csr;
    assert.deepEqual(Object.keys(block.spec).sort(), ['expiration_seconds', 'request', 'signer_name', 'usages']);
    assert.equal(block.spec.expiration_seconds, 86400);
    const keys = (o: unknown): string[] =>
      o !== null && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => [k, ...keys(v)]) : [];
    assert.deepEqual(
      keys(block).filter((k) => /[a-z][A-Z]/.test(k)),
      [],
      'no camelCase key',
    );
  });

  it('exposes certificate as a reference token, and the alias class CDK Terrain uses', () => {
    const { stack } = stackWithProvider();
    const csr = new EphemeralKubernetesCertificateSigningRequestV1(stack, 'csr', docsConfig);
    assert.ok(csr instanceof KubernetesCertificateSigningRequestV1Ephemeral);
    assert.ok(TerraformEphemeralResource.isTerraformEphemeralResource(csr));
    assert.equal(KubernetesCertificateSigningRequestV1Ephemeral.tfResourceType, CSR_TYPE);
    assert.match(csr.certificate, /^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    assert.equal(csr.name, 'test');
    assert.equal(csr.signerName, 'kubernetes.io/kube-apiserver-client');
  });

  it('renders the same block as HCL', () => {
    const { stack } = stackWithProvider();
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'test', {
      ...docsConfig,
      spec: { ...docsConfig.spec, expirationSeconds: 3600 },
    });
    const hcl = Testing.synthHcl(stack) as string;
    assert.match(hcl, /ephemeral "kubernetes_certificate_signing_request_v1" "test" \{/);
    assert.match(hcl, /metadata \{\nname = "test"\n\}/);
    assert.match(hcl, /request = <<EOF\n-----BEGIN CERTIFICATE REQUEST-----\n/);
    assert.match(hcl, /signer_name = "kubernetes\.io\/kube-apiserver-client"/);
    assert.match(hcl, /expiration_seconds = 3600/);
    assert.match(hcl, /usages = \[\n"client auth"\n\]/);
    assert.match(hcl, /auto_approve = true/);
    if (terraformAvailable()) {
      const formatted = terraformFmt(hcl);
      assert.match(formatted, /^ {2}auto_approve = true$/m);
    }
  });

  it('passes values that are tokens through without validating them', () => {
    const { stack } = stackWithProvider();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const signer = new TerraformVariable(stack, 'signer', { type: 'string' });
    const usages = new TerraformVariable(stack, 'usages', { type: 'list(string)' });
    const seconds = new TerraformVariable(stack, 'seconds', { type: 'number' });
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
      metadata: { name: name.stringValue },
      spec: {
        request: Fn.file('/path/to/request.csr'),
        signerName: signer.stringValue,
        usages: usages.listValue,
        expirationSeconds: seconds.numberValue,
      },
    });
    const block = synthJson(stack, true).ephemeral[CSR_TYPE].csr;
    assert.deepEqual(block.spec, {
      request: '${file("/path/to/request.csr")}',
      signer_name: '${var.signer}',
      usages: '${var.usages}',
      expiration_seconds: '${var.seconds}',
    });
  });

  it('turns spec warnings into construct warnings', () => {
    const { stack } = stackWithProvider();
    const csr = new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', {
      ...docsConfig,
      spec: { ...docsConfig.spec, signerName: 'kubernetes.io/my-signer', usages: ['server auth'] },
    });
    const warnings = csr.node.metadata.filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string));
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]?.data), /signer names under kubernetes\.io are reserved/);
  });
});

describe('KubernetesCertificateSigningRequestV1Ephemeral: validation at construction', () => {
  const failures: {
    when: string;
    config: () => EphemeralKubernetesCertificateSigningRequestV1Config;
    message: RegExp;
  }[] = [
    {
      when: 'the provider documentation example is copied verbatim (server auth for kube-apiserver-client)',
      config: () => ({ ...docsConfig, spec: { ...docsConfig.spec, usages: ['client auth', 'server auth'] } }),
      message: /spec\.usages: signer "kubernetes\.io\/kube-apiserver-client" refuses usage "server auth"/,
    },
    {
      when: 'the name is not a DNS-1123 subdomain',
      config: () => ({ ...docsConfig, metadata: { name: 'My CSR' } }),
      message: /metadata\.name: must consist of lower case alphanumeric characters.*received "My CSR"/,
    },
    {
      when: 'expiration_seconds is below 600',
      config: () => ({ ...docsConfig, spec: { ...docsConfig.spec, expirationSeconds: 300 } }),
      message: /spec\.expirationSeconds \(terraform: spec\.expiration_seconds\): may not be less than 600/,
    },
    {
      when: 'usages is left out',
      config: () => ({ ...docsConfig, spec: { ...docsConfig.spec, usages: undefined } }),
      message: /spec\.usages: must list at least one key usage/,
    },
    {
      when: 'the signer is kubernetes.io/legacy-unknown',
      config: () => ({ ...docsConfig, spec: { ...docsConfig.spec, signerName: 'kubernetes.io/legacy-unknown' } }),
      message: /not allowed via certificates\.k8s\.io\/v1/,
    },
    {
      when: 'the request is not a CSR',
      config: () => ({ ...docsConfig, spec: { ...docsConfig.spec, request: 'not a csr' } }),
      message: /spec\.request: is not a usable CSR/,
    },
    {
      when: 'the kubelet-serving signer gets a user CSR',
      config: () => ({
        ...docsConfig,
        spec: {
          ...docsConfig.spec,
          signerName: 'kubernetes.io/kubelet-serving',
          usages: ['digital signature', 'server auth'],
        },
      }),
      message:
        /requires the CSR subject organizations to be exactly \["system:nodes"\]; received CSR subject O=\["example cluster"\], CN="admin"/,
    },
  ];

  for (const failure of failures) {
    it(`fails when ${failure.when}, naming the construct path`, () => {
      const { stack } = stackWithProvider();
      assert.throws(
        () => new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'csr', failure.config()),
        (error: unknown) => {
          assert.ok(error instanceof CsrSpecError);
          assert.equal(error.code, 'invalid-spec');
          assert.match(error.message, /^invalid CertificateSigningRequest spec in 'test\/csr'/);
          assert.match(error.message, failure.message);
          return true;
        },
      );
    });
  }
});
