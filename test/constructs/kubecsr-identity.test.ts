import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import {
  ClientCertificate,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  issuedIdentityProvider,
} from '../../src/constructs/index.js';
import type { IssuedIdentityProviderProps } from '../../src/constructs/index.js';
import { kubecsrProviderVersion } from '../../src/provider/install.js';
import {
  CSR_TYPE,
  keyMaterialIn,
  PEM_DASHES,
  stackWithKubecsr,
  stackWithProvider,
  synthJson,
  tempDir,
} from './support/fixtures.js';
import { matchSnapshot, replaceCsrs, replacePath } from './support/snapshot.js';

describe('ClientCertificate.kubecsrProvider in key-file mode', () => {
  it('uses generate_name "<name>-" and wires a kubecsr alias as the user, with the key only as file()', async () => {
    // GIVEN
    const keyDirectory = tempDir('keys-');
    const { stack, kubecsr } = stackWithKubecsr();
    // WHEN
    const jane = new ClientCertificate(stack, 'jane', {
      user: 'jane',
      groups: ['dev'],
      keyMode: 'key-file',
      keyDirectory,
      provider: kubecsr,
      timeout: '2m',
    });
    const keyFile = jane.keyFile ?? '';
    const asJane = jane.kubecsrProvider(stack, 'as-jane', { alias: 'jane', configPath: '~/.kube/config' });
    new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: asJane });
    const json = synthJson(stack, true);
    // THEN the CSR has a generated name, the key file keeps the base name
    const id = Object.keys(json.ephemeral[CSR_TYPE])[0] ?? '';
    const block = json.ephemeral[CSR_TYPE][id];
    assert.deepEqual(block.metadata, { generate_name: `${jane.name}-` });
    assert.match(jane.name ?? '', /^jane-[0-9a-f]{8}$/);
    assert.ok(keyFile.endsWith(`/${jane.name}.key`));
    assert.equal(block.provider, 'kubecsr');
    assert.equal(block.timeout, '2m');
    // AND the alias authenticates with the certificate and file(<key>)
    assert.ok(asJane instanceof KubeCsrProvider);
    assert.deepEqual(json.provider.kubecsr[1], {
      alias: 'jane',
      config_path: '~/.kube/config',
      client_certificate: `\${ephemeral.${CSR_TYPE}.${id}.certificate}`,
      client_key: `\${file("${keyFile}")}`,
    });
    assert.deepEqual(keyMaterialIn(JSON.stringify(json), [keyFile]), []);
    await matchSnapshot('client-certificate-kubecsr', json, (t) =>
      replaceCsrs(replacePath(keyDirectory, '<KEY_DIRECTORY>')(t)).split(kubecsrProviderVersion()).join('<VERSION>'),
    );
  });
});

describe('issuedIdentityProvider: one helper for both provider kinds', () => {
  const credentials = { certificate: 'CERT', keyFile: '/k.key' };

  it('builds a KubernetesProvider by default and a KubeCsrProvider with kind kubecsr, from the same identity', () => {
    const { stack } = stackWithProvider();
    new KubeCsrProvider(stack, 'kubecsr');
    const kubernetes = issuedIdentityProvider(stack, 'k', {
      alias: 'k',
      credentials,
      host: 'https://127.0.0.1:6443',
      clusterCaCertificateFile: '/ca.crt',
    });
    const kubecsr = issuedIdentityProvider(stack, 'c', {
      kind: 'kubecsr',
      alias: 'c',
      credentials,
      host: 'https://127.0.0.1:6443',
      clusterCaCertificateFile: '/ca.crt',
    });
    assert.ok(kubernetes instanceof KubernetesProvider);
    assert.ok(kubecsr instanceof KubeCsrProvider);
    const json = synthJson(stack, true);
    const identity = {
      host: 'https://127.0.0.1:6443',
      client_certificate: 'CERT',
      client_key: '${file("/k.key")}',
      cluster_ca_certificate: '${file("/ca.crt")}',
    };
    assert.deepEqual(json.provider.kubernetes[1], { alias: 'k', ...identity });
    assert.deepEqual(json.provider.kubecsr[1], { alias: 'c', ...identity });
  });

  const failures: { when: string; props: IssuedIdentityProviderProps; message: RegExp }[] = [
    {
      when: 'kind kubernetes has no host',
      props: { alias: 'p', credentials },
      message: /host is required with kind "kubernetes"/,
    },
    {
      when: 'kind kubernetes gets configPath',
      props: { alias: 'p', credentials, host: 'https://h', configPath: '/admin.kubeconfig' },
      message:
        /configPath and configContext are for kind "kubecsr" only: hashicorp\/kubernetes merges client_certificate over the kubeconfig's user/,
    },
    {
      when: 'kind kubecsr has neither host nor configPath',
      props: { kind: 'kubecsr', alias: 'p', credentials },
      message: /kind "kubecsr" needs host \(with the cluster CA\) or configPath/,
    },
    {
      when: 'kind kubecsr gets tlsServerName',
      props: { kind: 'kubecsr', alias: 'p', credentials, configPath: '/c', tlsServerName: 'kubernetes' },
      message: /tlsServerName is for kind "kubernetes" only \(kubecsr has no tls_server_name\), received "kubernetes"/,
    },
    {
      when: 'kind kubecsr gets PEM text as keyFile',
      props: {
        kind: 'kubecsr',
        alias: 'p',
        credentials: { certificate: 'c', keyFile: `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}` },
        configPath: '/c',
      },
      message: /credentials\.keyFile must be a path to a key file, not PEM text/,
    },
  ];
  for (const failure of failures) {
    it(`fails when ${failure.when}`, () => {
      const { stack } = stackWithProvider();
      assert.throws(
        () => issuedIdentityProvider(stack, 'p', failure.props),
        (error: unknown) => {
          assert.match(String(error), /issuedIdentityProvider 'p': /);
          assert.match(String(error), failure.message);
          return true;
        },
      );
    });
  }
});
