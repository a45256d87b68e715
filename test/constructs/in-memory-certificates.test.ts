import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TerraformStack } from 'cdktf';
import { TerraformVariable } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import {
  ClientCertificate,
  KubeCsrCertificate,
  KubeCsrClientIdentity,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  ServingCertificate,
  TlsSecretV1,
  issuedIdentityProvider,
} from '../../src/constructs/index.js';
import type { ClientCertificateProps } from '../../src/constructs/index.js';
import { kubecsrProviderVersion } from '../../src/provider/install.js';
import { CSR_TYPE, PEM_DASHES, stackWithKubecsr, stackWithProvider, synthJson, tempDir } from './support/fixtures.js';
import { matchSnapshot } from './support/snapshot.js';

const IDENTITY = 'kubecsr_client_identity';
const CERTIFICATE = 'kubecsr_certificate';
const identityRef = (attribute: string) => `\${ephemeral.${IDENTITY}.jane_76E1239D.${attribute}}`;

/** Runs `body` with the working directory in a fresh folder, where the key-file mode would write its keys. */
function inFreshFolder<T>(body: (cwd: string) => T): T {
  const cwd = tempDir('in-memory-cwd-');
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return body(cwd);
  } finally {
    process.chdir(previous);
  }
}

describe('ClientCertificate in memory (a KubeCsrProvider in the stack)', () => {
  it('declares a kubecsr_client_identity, writes no key file, and wires both aliases from the ephemeral results', async () => {
    await inFreshFolder(async (cwd) => {
      // GIVEN a stack with a default KubeCsrProvider
      const { stack } = stackWithKubecsr();
      // WHEN a ClientCertificate is declared with no key settings, and two aliases authenticate as the user
      const jane = new ClientCertificate(stack, 'jane', {
        user: 'jane',
        groups: ['dev'],
        expirationSeconds: 3600,
        timeout: '2m',
      });
      const asJane = jane.kubecsrProvider(stack, 'as-jane', { alias: 'jane' });
      jane.provider(stack, 'as-jane-kubernetes', { alias: 'jane' });
      new KubeCsrSelfSubjectReview(stack, 'whoami', { provider: asJane });
      const json = synthJson(stack, true);

      // THEN the key lives in memory: no file, no CSR made at synth time
      assert.equal(jane.keyMode, 'in-memory');
      assert.ok(jane.resource instanceof KubeCsrClientIdentity);
      assert.equal(jane.keyFile, undefined);
      assert.equal(jane.request, undefined);
      assert.equal(jane.csr, undefined);
      assert.equal(existsSync(join(cwd, '.cdktf-kubernetes-csr')), false, 'no key directory');
      assert.equal(json.ephemeral[CSR_TYPE], undefined, 'no kubernetes_certificate_signing_request_v1');
      assert.deepEqual(json.ephemeral[IDENTITY].jane_76E1239D, {
        user: 'jane',
        groups: ['dev'],
        expiration_seconds: 3600,
        timeout: '2m',
      });
      // AND both aliases take the certificate and the key from the ephemeral results, with the issuing cluster's
      // server and CA: no file(), no kubeconfig path
      const wiring = {
        alias: 'jane',
        host: identityRef('host'),
        cluster_ca_certificate: identityRef('ca_certificate'),
        client_certificate: identityRef('certificate'),
        client_key: identityRef('private_key_pem'),
      };
      assert.deepEqual(json.provider.kubecsr[1], wiring);
      assert.deepEqual(json.provider.kubernetes[0], wiring);
      assert.doesNotMatch(JSON.stringify(json), /file\(|PRIVATE KEY/);
      await matchSnapshot('client-certificate-in-memory', json, (t) =>
        t.split(kubecsrProviderVersion()).join('<VERSION>'),
      );
    });
  });

  it('takes the server and CA from configPath when it is given, and the credentials from memory', () => {
    const { stack } = stackWithKubecsr();
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane' });
    jane.kubecsrProvider(stack, 'as-jane', { alias: 'jane', configPath: '~/.kube/config' });
    assert.deepEqual(synthJson(stack, true).provider.kubecsr[1], {
      alias: 'jane',
      config_path: '~/.kube/config',
      client_certificate: identityRef('certificate'),
      client_key: identityRef('private_key_pem'),
    });
  });

  it('exposes the identity results: host, kubeconfig, CA, expiry', () => {
    const { stack } = stackWithKubecsr();
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane' });
    new KubeCsrProvider(stack, 'as-jane', { alias: 'jane', kubeconfig: jane.kubeconfig });
    const json = synthJson(stack, true);
    assert.equal(json.provider.kubecsr[1].kubeconfig, identityRef('kubeconfig'));
    for (const value of [jane.host, jane.caCertificate, jane.notAfter, jane.privateKeyPem, jane.certificate]) {
      assert.equal(typeof value, 'string');
    }
  });

  it('opens with a kubecsr alias passed as provider, with no default kubecsr provider', () => {
    const { stack } = stackWithProvider();
    const kubecsr = new KubeCsrProvider(stack, 'other', { alias: 'other' });
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane', provider: kubecsr });
    assert.equal(jane.keyMode, 'in-memory');
    assert.equal(synthJson(stack, true).ephemeral[IDENTITY].jane_76E1239D.provider, 'kubecsr.other');
  });

  it('accepts tokens for the user and groups: kubecsr builds the request when it opens', () => {
    const { stack } = stackWithKubecsr();
    const user = new TerraformVariable(stack, 'user', { type: 'string' });
    new ClientCertificate(stack, 'jane', { user: user.stringValue });
    assert.equal(synthJson(stack, true).ephemeral[IDENTITY].jane_76E1239D.user, '${var.user}');
  });
});

describe('the key mode', () => {
  it('stays key-file with hashicorp/kubernetes alone', () => {
    const { stack } = stackWithProvider();
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane', keyDirectory: tempDir() });
    assert.equal(jane.keyMode, 'key-file');
    assert.equal(jane.privateKeyPem, undefined);
    assert.ok(jane.keyFile);
  });

  it('stays key-file when the KubeCsrProvider is created after the certificate (the mode is decided at construction)', () => {
    const { stack } = stackWithProvider();
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane', keyDirectory: tempDir() });
    new KubeCsrProvider(stack, 'kubecsr');
    assert.equal(jane.keyMode, 'key-file');
  });

  it("is forced to key-file with keyMode: 'key-file', for a kubecsr CSR and a file() key", () => {
    const { stack, kubecsr } = stackWithKubecsr();
    const jane = new ClientCertificate(stack, 'jane', {
      user: 'jane',
      keyMode: 'key-file',
      provider: kubecsr,
      keyDirectory: tempDir(),
    });
    jane.kubecsrProvider(stack, 'as-jane', { alias: 'jane', configPath: '~/.kube/config' });
    const json = synthJson(stack, true);
    assert.equal(json.ephemeral[IDENTITY], undefined);
    assert.equal(json.provider.kubecsr[1].client_key, `\${file("${jane.keyFile ?? ''}")}`);
  });

  it("is in-memory with keyMode: 'in-memory' and a default KubeCsrProvider beside hashicorp/kubernetes", () => {
    const { stack } = stackWithProvider();
    new KubeCsrProvider(stack, 'kubecsr');
    const jane = new ClientCertificate(stack, 'jane', { user: 'jane', keyMode: 'in-memory' });
    assert.equal(jane.keyMode, 'in-memory');
  });

  const failures: {
    when: string;
    stack: () => TerraformStack;
    props: (stack: TerraformStack) => ClientCertificateProps;
    message: RegExp;
  }[] = [
    {
      when: "keyMode is 'in-memory' and the stack has no kubecsr provider",
      stack: () => stackWithProvider().stack,
      props: () => ({ user: 'jane', keyMode: 'in-memory' }),
      message:
        /keyMode 'in-memory' needs the kubecsr provider, and the stack has no default KubeCsrProvider \(yet\); fix: create new KubeCsrProvider/,
    },
    {
      when: "keyMode is 'in-memory' and provider is hashicorp/kubernetes",
      stack: () => stackWithKubecsr().stack,
      props: (stack) => ({
        user: 'jane',
        keyMode: 'in-memory',
        provider: new KubernetesProvider(stack, 'kubernetes', { alias: 'k' }),
      }),
      message:
        /keyMode 'in-memory' needs the kubecsr provider, but provider is the "kubernetes" provider 'test\/kubernetes'/,
    },
    {
      when: 'keyFile is given to a certificate in memory',
      stack: () => stackWithKubecsr().stack,
      props: () => ({ user: 'jane', keyFile: '/keys/jane.key' }),
      message:
        /keyFile \(the key file\) is for keyMode 'key-file', but this certificate keeps its key in memory \(the default with a KubeCsrProvider\), received "\/keys\/jane\.key"; fix: remove keyFile, or set keyMode: 'key-file'/,
    },
    {
      when: 'name, keyDirectory and caBundle are given to a certificate in memory',
      stack: () => stackWithKubecsr().stack,
      props: () => ({ user: 'jane', name: 'jane', keyDirectory: '/keys', caBundle: 'CA', keyMode: 'in-memory' }),
      message: /name \(the name of the CSR and the key file\) is for keyMode 'key-file'.*keyDirectory .*caBundle/,
    },
    {
      when: 'usages other than client auth are asked in memory',
      stack: () => stackWithKubecsr().stack,
      props: () => ({ user: 'jane', usages: ['client auth', 'digital signature'] }),
      message:
        /usages are fixed in memory \(kubecsr_client_identity requests the signer's usual set, \["client auth"\]\), received \["client auth","digital signature"\]; fix: remove usages, or set keyMode: 'key-file'/,
    },
    {
      when: 'keyMode is not a mode',
      stack: () => stackWithKubecsr().stack,
      props: () => ({ user: 'jane', keyMode: 'memory' as never }),
      message: /keyMode must be one of 'in-memory', 'key-file', received "memory"/,
    },
  ];
  for (const failure of failures) {
    it(`fails when ${failure.when}`, () => {
      const stack = failure.stack();
      assert.throws(
        () => new ClientCertificate(stack, 'jane', failure.props(stack)),
        (error: unknown) => {
          assert.match(String(error), /ClientCertificate 'test\/jane': /);
          assert.match(String(error), failure.message);
          return true;
        },
      );
    });
  }
});

describe('ServingCertificate in memory', () => {
  it('declares a kubecsr_certificate and writes key and certificate to the TLS secret through data_wo', async () => {
    await inFreshFolder(async (cwd) => {
      const { stack } = stackWithKubecsr();
      new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
      const web = new ServingCertificate(stack, 'web', {
        signerName: 'example.com/serving',
        dnsNames: ['web.demo.svc', 'web.demo.svc.cluster.local'],
        ipAddresses: ['10.96.0.10'],
        expirationSeconds: 86_400,
      });
      web.toTlsSecret(stack, 'web-tls', { metadata: { name: 'web-tls', namespace: 'demo' }, revision: 2 });
      const json = synthJson(stack, true);

      assert.ok(web.resource instanceof KubeCsrCertificate);
      assert.equal(existsSync(join(cwd, '.cdktf-kubernetes-csr')), false, 'no key directory');
      const [id, block] = Object.entries(json.ephemeral[CERTIFICATE])[0] ?? [];
      assert.deepEqual(block, {
        common_name: 'web.demo.svc',
        dns_names: ['web.demo.svc', 'web.demo.svc.cluster.local'],
        ip_addresses: ['10.96.0.10'],
        usages: ['digital signature', 'key encipherment', 'server auth'],
        signer_name: 'example.com/serving',
        expiration_seconds: 86_400,
      });
      const secret = Object.values(json.resource.kubernetes_secret_v1)[0];
      assert.deepEqual(secret?.data_wo, {
        'tls.crt': `\${ephemeral.${CERTIFICATE}.${id}.certificate}`,
        'tls.key': `\${ephemeral.${CERTIFICATE}.${id}.private_key_pem}`,
      });
      assert.equal(secret?.data_wo_revision, 2);
      assert.doesNotMatch(JSON.stringify(json), /file\(|PRIVATE KEY/);
      await matchSnapshot('serving-certificate-in-memory', json, (t) =>
        t.split(kubecsrProviderVersion()).join('<VERSION>'),
      );
    });
  });

  it('fails at construction when kubecsr_certificate would refuse the request', () => {
    const { stack } = stackWithKubecsr();
    assert.throws(
      () => new ServingCertificate(stack, 'web', { signerName: 'example.com/serving', dnsNames: ['not a name'] }),
      /invalid kubecsr_certificate in 'test\/web\/Resource': dnsNames \(terraform: dns_names\): dnsNames\[0\] is "not a name"/,
    );
  });
});

describe('TlsSecretV1 and issuedIdentityProvider with an ephemeral key', () => {
  it('fails when TlsSecretV1 gets both keys, neither, or literal text as privateKeyPem', () => {
    const { stack } = stackWithProvider();
    const web = new KubeCsrCertificate(stackWithKubecsr().stack, 'web', {
      commonName: 'web',
      dnsNames: ['web'],
      usages: ['server auth'],
      signerName: 'example.com/serving',
    });
    const cases: [Partial<{ keyFile: string; privateKeyPem: string }>, RegExp][] = [
      [
        { keyFile: '/k', privateKeyPem: web.privateKeyPem },
        /keyFile and privateKeyPem are both set; allowed: exactly one/,
      ],
      [{}, /neither keyFile nor privateKeyPem is set/],
      [
        { privateKeyPem: `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}\nMC4C` },
        /privateKeyPem must be an ephemeral reference \(e\.g\. KubeCsrCertificate\.privateKeyPem\), not literal text/,
      ],
    ];
    cases.forEach(([key, message], i) => {
      assert.throws(
        () => new TlsSecretV1(stack, `tls-${i}`, { metadata: { name: 'tls' }, certificate: 'CERT', ...key }),
        (error: unknown) => {
          assert.match(String(error), message);
          assert.doesNotMatch(String(error), /MC4C/);
          return true;
        },
      );
    });
  });

  it('fails when credentials have both keys, neither, or literal text as privateKeyPem', () => {
    const { stack } = stackWithProvider();
    const cases: [Record<string, string>, RegExp][] = [
      [{ keyFile: '/k', privateKeyPem: '${var.key}' }, /credentials have both keyFile and privateKeyPem/],
      [{}, /credentials have neither keyFile nor privateKeyPem/],
      [{ privateKeyPem: 'literal' }, /credentials\.privateKeyPem must be an ephemeral reference/],
    ];
    cases.forEach(([key, message], i) => {
      assert.throws(
        () =>
          issuedIdentityProvider(stack, `p${i}`, {
            alias: 'p',
            host: 'https://h',
            credentials: { certificate: 'CERT', ...key },
          }),
        message,
      );
    });
  });
});
