import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformLocal, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { DataKubernetesNamespaceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-namespace-v1/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1/index.js';
import { KubernetesCertificateSigningRequestV1Ephemeral, TlsSecretV1 } from '../../src/constructs/index.js';
import { PROVIDER_DOCS_CSR, stackWithProvider, synthJson, tempDir } from './support/fixtures.js';

function csrIn(stack: TerraformStack, id = 'csr'): KubernetesCertificateSigningRequestV1Ephemeral {
  return new KubernetesCertificateSigningRequestV1Ephemeral(stack, id, {
    metadata: { name: 'admin' },
    spec: { request: PROVIDER_DOCS_CSR, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
  });
}

const REF = 'ephemeral.kubernetes_certificate_signing_request_v1.csr.certificate';

describe('ephemeral value usage: fails where Terraform would reject it', () => {
  it('fails when the certificate is a TerraformOutput value', () => {
    const { stack } = stackWithProvider();
    new TerraformOutput(stack, 'cert', { value: csrIn(stack).certificate, sensitive: true });
    assert.throws(
      () => Testing.synth(stack, true),
      new RegExp(
        `the ephemeral value ${REF.replace(/\./g, '\\.')} is used in the output 'test/cert'.*root-module outputs`,
      ),
    );
  });

  it('fails when the certificate is in a non-write-only argument of a resource', () => {
    const { stack } = stackWithProvider();
    new ConfigMapV1(stack, 'cm', { metadata: { name: 'leak' }, data: { 'tls.crt': csrIn(stack).certificate } });
    assert.throws(
      () => Testing.synth(stack, true),
      /is used in argument "data\.tls\.crt" of the kubernetes_config_map_v1 resource 'test\/cm', which is not write-only\..*data_wo/,
    );
  });

  it('fails when the certificate goes into the plain data of kubernetes_secret_v1', () => {
    const { stack } = stackWithProvider();
    new SecretV1(stack, 'secret', { metadata: { name: 'leak' }, data: { 'tls.crt': csrIn(stack).certificate } });
    assert.throws(() => Testing.synth(stack, true), /argument "data\.tls\.crt" of the kubernetes_secret_v1 resource/);
  });

  it('fails when the certificate reaches a resource through locals', () => {
    const { stack } = stackWithProvider();
    const first = new TerraformLocal(stack, 'pem', csrIn(stack).certificate);
    const second = new TerraformLocal(stack, 'bundle', `${first.asString}\n`);
    new ConfigMapV1(stack, 'cm', { metadata: { name: 'leak' }, data: { bundle: second.asString } });
    assert.throws(
      () => Testing.synth(stack, true),
      new RegExp(
        `the ephemeral value ${REF.replace(/\./g, '\\.')} \\(through local\\.bundle\\) is used in argument "data\\.bundle"`,
      ),
    );
  });

  it('fails when the certificate is a data source argument', () => {
    const { stack } = stackWithProvider();
    new DataKubernetesNamespaceV1(stack, 'ns', { metadata: { name: csrIn(stack).certificate } });
    assert.throws(
      () => Testing.synth(stack, true),
      /is used in argument "metadata\.name" of the data source 'test\/ns'/,
    );
  });

  it('fails when the certificate is referenced from another stack', () => {
    const app = Testing.app();
    const { stack: producer } = stackWithProvider(app);
    const consumer = new TerraformStack(app, 'consumer');
    new KubernetesProvider(consumer, 'kubernetes', {});
    new ConfigMapV1(consumer, 'cm', { metadata: { name: 'x' }, data: { crt: csrIn(producer).certificate } });
    assert.throws(
      () => app.synth(),
      /\[test\] the ephemeral value ephemeral\.kubernetes_certificate_signing_request_v1\.csr\.certificate is referenced from another stack \(cdktf created the cross-stack output/,
    );
  });

  it('fails when another stack uses the reference unprepared (consumer side)', () => {
    const app = Testing.app();
    const { stack: producer } = stackWithProvider(app);
    const consumer = new TerraformStack(app, 'consumer');
    new KubernetesProvider(consumer, 'kubernetes', {});
    const cert = csrIn(producer).certificate;
    csrIn(consumer, 'local-csr'); // gives the consumer stack its ephemeral validations
    new SecretV1(consumer, 'secret', { metadata: { name: 'x' }, dataWo: { crt: cert }, dataWoRevision: 1 });
    assert.throws(() => Testing.synth(consumer, true), /used by 'consumer\/secret' belongs to another stack/);
  });
});

describe('ephemeral value usage: allowed places', () => {
  it('allows write-only data_wo, provider blocks, locals and other ephemeral resources', () => {
    const { stack } = stackWithProvider();
    const csr = csrIn(stack);
    new SecretV1(stack, 'secret', {
      metadata: { name: 'ok' },
      type: 'kubernetes.io/tls',
      dataWo: { 'tls.crt': csr.certificate },
      dataWoRevision: 1,
    });
    new TlsSecretV1(stack, 'tls', {
      metadata: { name: 'ok2' },
      certificate: csr.certificate,
      keyFile: `${tempDir()}/k.key`,
    });
    new KubernetesProvider(stack, 'as-admin', { alias: 'as_admin', clientCertificate: csr.certificate });
    const local = new TerraformLocal(stack, 'pem', csr.certificate);
    new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'chained', {
      metadata: { name: 'chained' },
      spec: { request: local.asString, signerName: 'example.com/signer', usages: ['client auth'] },
    });
    const json = synthJson(stack, true);
    assert.equal(json.resource.kubernetes_secret_v1.secret.data_wo['tls.crt'], `\${${REF}}`);
  });

  it('allows plain strings that merely mention an ephemeral address', () => {
    const { stack } = stackWithProvider();
    csrIn(stack);
    new ConfigMapV1(stack, 'doc', { metadata: { name: 'doc' }, data: { note: `see ${REF}` } });
    assert.doesNotThrow(() => Testing.synth(stack, true));
  });
});
