import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnnotationMetadataEntryType, App, TerraformVariable, Testing } from 'cdktf';
import {
  ClientCertificate,
  ServingCertificate,
  type IssuedCertificate,
  TlsSecretV1,
  ensureLocalKey,
  issuedIdentityProvider,
} from '../../src/constructs/index.js';
import { parseCertificateRequest } from '../../src/pki/index.js';
import { CsrSpecError } from '../../src/rules/index.js';
import { CSR_TYPE, keyMaterialIn, PEM_DASHES, stackWithProvider, synthJson, tempDir } from './support/fixtures.js';
import { matchSnapshot, replaceCsrs, replacePath } from './support/snapshot.js';

/** The key file of a certificate in key-file mode (these tests' stacks have no kubecsr provider). */
function keyFileOf(cert: IssuedCertificate): string {
  assert.equal(cert.keyMode, 'key-file');
  assert.ok(cert.keyFile !== undefined);
  return cert.keyFile;
}

/** The synth-time request of a certificate in key-file mode. */
function requestOf(cert: IssuedCertificate): string {
  assert.ok(cert.request !== undefined);
  return cert.request;
}

const publicDer = (pem: string): string =>
  createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');

describe('ClientCertificate', () => {
  it('generates a 0600 key outside cdktf.out, a CSR for CN=user, O=groups, and an ephemeral CSR for kube-apiserver-client', async () => {
    // GIVEN
    const keyDirectory = tempDir('keys-');
    const { stack } = stackWithProvider();
    // WHEN
    const cert = new ClientCertificate(stack, 'jane', {
      user: 'jane',
      groups: ['dev', 'ops'],
      keyDirectory,
      expirationSeconds: 3600,
    });
    cert.provider(stack, 'as-jane', {
      alias: 'as_jane',
      host: 'https://127.0.0.1:6443',
      clusterCaCertificateFile: '/etc/ca.crt',
    });
    const json = synthJson(stack, true);
    // THEN
    assert.equal(keyFileOf(cert), join(keyDirectory, `${cert.name}.key`));
    assert.equal(statSync(keyFileOf(cert)).mode & 0o777, 0o600);
    assert.equal(statSync(keyDirectory).mode & 0o777, 0o700);
    const parsed = parseCertificateRequest(requestOf(cert));
    assert.equal(parsed.subject.commonName, 'jane');
    assert.deepEqual(parsed.subject.organizations, ['dev', 'ops']);
    assert.equal(parsed.signatureValid, true);
    assert.equal(parsed.publicKeyInfo.algorithm, 'ecdsa');
    assert.equal(
      publicDer(readFileSync(keyFileOf(cert), 'utf8')),
      parsed.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    );

    const id = Object.keys(json.ephemeral[CSR_TYPE])[0] ?? '';
    const block = json.ephemeral[CSR_TYPE][id];
    assert.equal(block.metadata.name, cert.name);
    assert.match(cert.name ?? '', /^jane-[0-9a-f]{8}$/);
    assert.equal(block.spec.signer_name, 'kubernetes.io/kube-apiserver-client');
    assert.deepEqual(block.spec.usages, ['client auth']);
    assert.equal(block.spec.expiration_seconds, 3600);
    assert.equal(block.auto_approve, true);

    const provider = json.provider.kubernetes[1];
    assert.equal(provider.alias, 'as_jane');
    assert.equal(provider.client_certificate, `\${ephemeral.${CSR_TYPE}.${id}.certificate}`);
    assert.equal(provider.client_key, `\${file("${keyFileOf(cert)}")}`);
    assert.equal(provider.cluster_ca_certificate, '${file("/etc/ca.crt")}');

    assert.deepEqual(keyMaterialIn(JSON.stringify(json), [keyFileOf(cert)]), []);
    await matchSnapshot('client-certificate', json, (t) =>
      replaceCsrs(replacePath(keyDirectory, '<KEY_DIRECTORY>')(t)),
    );
  });

  it('reuses the key file until it is deleted', () => {
    const keyDirectory = tempDir('keys-');
    const first = new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyDirectory });
    const second = new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyDirectory });
    assert.equal(keyFileOf(first), keyFileOf(second));
    assert.equal(
      parseCertificateRequest(requestOf(first)).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      parseCertificateRequest(requestOf(second)).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    );
  });

  it('accepts an explicit keyFile and keyType', () => {
    const keyFile = join(tempDir('keys-'), 'bot.pem');
    const cert = new ClientCertificate(stackWithProvider().stack, 'bot', { user: 'bot', keyFile, keyType: 'ed25519' });
    assert.equal(keyFileOf(cert), keyFile);
    assert.equal(parseCertificateRequest(requestOf(cert)).publicKeyInfo.algorithm, 'ed25519');
  });

  it('creates the default key directory under the working directory with a .gitignore', () => {
    const cwd = tempDir('cwd-');
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const cert = new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane' });
      assert.equal(keyFileOf(cert), join(cwd, '.cdktf-kubernetes-csr', 'keys', `${cert.name}.key`));
      assert.match(readFileSync(join(cwd, '.cdktf-kubernetes-csr', '.gitignore'), 'utf8'), /^\*$/m);
    } finally {
      process.chdir(previous);
    }
  });

  it('warns when an existing key file is readable by others', () => {
    const keyFile = join(tempDir('keys-'), 'jane.key');
    ensureLocalKey({ name: 'jane', keyFile });
    chmodSync(keyFile, 0o644);
    const cert = new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyFile });
    const warnings = cert.node.metadata.filter((m) => m.type === (AnnotationMetadataEntryType.WARN as string));
    assert.match(String(warnings[0]?.data), /readable by other users \(mode 644\); run chmod 600/);
  });

  it('fails when the existing key does not match keyType', () => {
    const keyDirectory = tempDir('keys-');
    new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyDirectory, keyType: 'ecdsa-p256' });
    assert.throws(
      () =>
        new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyDirectory, keyType: 'rsa-2048' }),
      /holds a ecdsa prime256v1 key but keyType "rsa-2048" was requested; delete the file/,
    );
  });

  it('fails when the key file is inside the synth output directory', () => {
    const outdir = tempDir('out-');
    const app = new App({ outdir });
    assert.throws(
      () =>
        new ClientCertificate(stackWithProvider(app).stack, 'jane', {
          user: 'jane',
          keyDirectory: join(outdir, 'keys'),
        }),
      /is inside .*the synth output that gets copied around; keep private keys outside it/,
    );
  });

  it('fails when the key file does not hold a private key', () => {
    const keyFile = join(tempDir('keys-'), 'broken.key');
    writeFileSync(keyFile, 'not a key', { mode: 0o600 });
    assert.throws(
      () => new ClientCertificate(stackWithProvider().stack, 'jane', { user: 'jane', keyFile }),
      /does not hold a usable private key/,
    );
  });

  it('fails when keyFile is PEM text instead of a path', () => {
    assert.throws(
      () =>
        new ClientCertificate(stackWithProvider().stack, 'jane', {
          user: 'jane',
          keyFile: `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}\nMC4CAQAwBQYDK2VwBCIEIA==\n${PEM_DASHES}END PRIVATE KEY${PEM_DASHES}`,
        }),
      (error: unknown) => {
        assert.match(String(error), /keyFile must be a path to a key file, not PEM text/);
        assert.doesNotMatch(String(error), /MC4CAQAw/);
        return true;
      },
    );
  });

  it('fails when the user is empty', () => {
    assert.throws(() => new ClientCertificate(stackWithProvider().stack, 'x', { user: '' }), /user must not be empty/);
  });

  it('fails when the user is a token, since the CSR is made at synth time', () => {
    const { stack } = stackWithProvider();
    const user = new TerraformVariable(stack, 'user', { type: 'string' });
    assert.throws(
      () => new ClientCertificate(stack, 'x', { user: user.stringValue, keyDirectory: tempDir() }),
      /test\/x: the subject, subjectAltNames and key settings must be known at synth time/,
    );
  });

  it('fails when the usages are not accepted by kube-apiserver-client, naming the construct path', () => {
    assert.throws(
      () =>
        new ClientCertificate(stackWithProvider().stack, 'jane', {
          user: 'jane',
          keyDirectory: tempDir(),
          usages: ['digital signature'],
        }),
      (error: unknown) => {
        assert.ok(error instanceof CsrSpecError);
        assert.match(error.message, /in 'test\/jane\/Resource'/);
        assert.match(error.message, /requires usage "client auth"/);
        return true;
      },
    );
  });
});

describe('ServingCertificate', () => {
  it('requests DNS and IP SANs with server auth and stores the result through data_wo', async () => {
    const keyDirectory = tempDir('keys-');
    const { stack } = stackWithProvider();
    const cert = new ServingCertificate(stack, 'web', {
      signerName: 'example.com/serving',
      dnsNames: ['web.demo.svc', 'web.demo.svc.cluster.local'],
      ipAddresses: ['10.96.0.10'],
      keyDirectory,
    });
    cert.toTlsSecret(stack, 'web-tls', { metadata: { name: 'web-tls', namespace: 'demo' }, revision: 2 });
    const json = synthJson(stack, true);

    const parsed = parseCertificateRequest(requestOf(cert));
    assert.equal(parsed.subject.commonName, 'web.demo.svc');
    assert.deepEqual(parsed.subjectAltNames.dnsNames, ['web.demo.svc', 'web.demo.svc.cluster.local']);
    assert.deepEqual(parsed.subjectAltNames.ipAddresses, ['10.96.0.10']);

    const id = Object.keys(json.ephemeral[CSR_TYPE])[0] ?? '';
    assert.deepEqual(json.ephemeral[CSR_TYPE][id].spec.usages, [
      'digital signature',
      'key encipherment',
      'server auth',
    ]);
    assert.equal(json.ephemeral[CSR_TYPE][id].spec.signer_name, 'example.com/serving');

    const secret = json.resource.kubernetes_secret_v1[Object.keys(json.resource.kubernetes_secret_v1)[0] ?? ''];
    assert.equal(secret.type, 'kubernetes.io/tls');
    assert.deepEqual(secret.data_wo, {
      'tls.crt': `\${ephemeral.${CSR_TYPE}.${id}.certificate}`,
      'tls.key': `\${file("${keyFileOf(cert)}")}`,
    });
    assert.equal(secret.data_wo_revision, 2);
    assert.equal(secret.data, undefined);
    assert.deepEqual(keyMaterialIn(JSON.stringify(json), [keyFileOf(cert)]), []);
    await matchSnapshot('serving-certificate', json, (t) =>
      replaceCsrs(replacePath(keyDirectory, '<KEY_DIRECTORY>')(t)),
    );
  });

  it('fails when there is no subjectAltName', () => {
    assert.throws(
      () =>
        new ServingCertificate(stackWithProvider().stack, 'web', {
          signerName: 'example.com/serving',
          keyDirectory: tempDir(),
        }),
      /needs at least one subjectAltName/,
    );
  });

  it('fails when kubelet-serving is asked for a Service certificate', () => {
    assert.throws(
      () =>
        new ServingCertificate(stackWithProvider().stack, 'web', {
          signerName: 'kubernetes.io/kubelet-serving',
          dnsNames: ['web.demo.svc'],
          keyDirectory: tempDir(),
        }),
      /in 'test\/web\/Resource'.*\n.*organizations to be exactly \["system:nodes"\]/,
    );
  });

  it('passes the kubelet-serving rules with a node identity', () => {
    const cert = new ServingCertificate(stackWithProvider().stack, 'node', {
      signerName: 'kubernetes.io/kubelet-serving',
      commonName: 'system:node:worker-1',
      organizations: ['system:nodes'],
      dnsNames: ['worker-1'],
      ipAddresses: ['10.0.0.7'],
      usages: ['digital signature', 'server auth'],
      keyDirectory: tempDir(),
    });
    assert.match(cert.name ?? '', /^system-node-worker-1-[0-9a-f]{8}$/);
  });
});

describe('TlsSecretV1 and issuedIdentityProvider', () => {
  it('fails when TlsSecretV1 gets PEM text as keyFile or a revision below 1', () => {
    const { stack } = stackWithProvider();
    assert.throws(
      () =>
        new TlsSecretV1(stack, 'a', {
          metadata: { name: 'a' },
          certificate: 'x',
          keyFile: `${PEM_DASHES}BEGIN EC PRIVATE KEY${PEM_DASHES}`,
        }),
      /keyFile must be a path/,
    );
    assert.throws(
      () => new TlsSecretV1(stack, 'b', { metadata: { name: 'b' }, certificate: 'x', keyFile: '/k', revision: 0 }),
      /revision must be an integer >= 1 \(data_wo_revision\), received 0/,
    );
  });

  it('adds ca.crt when given', () => {
    const { stack } = stackWithProvider();
    new TlsSecretV1(stack, 'tls', {
      metadata: { name: 'tls' },
      certificate: 'CERT',
      keyFile: '/k.key',
      caCertificate: 'CA',
    });
    const secrets = synthJson(stack).resource.kubernetes_secret_v1;
    const secret = secrets[Object.keys(secrets)[0] ?? ''];
    assert.deepEqual(secret.data_wo, { 'ca.crt': 'CA', 'tls.crt': 'CERT', 'tls.key': '${file("/k.key")}' });
  });

  it('fails when issuedIdentityProvider gets PEM text as keyFile or two CA settings', () => {
    const { stack } = stackWithProvider();
    assert.throws(
      () =>
        issuedIdentityProvider(stack, 'p', {
          alias: 'p',
          host: 'https://h',
          credentials: { certificate: 'c', keyFile: `${PEM_DASHES}BEGIN PRIVATE KEY${PEM_DASHES}` },
        }),
      /credentials\.keyFile must be a path/,
    );
    assert.throws(
      () =>
        issuedIdentityProvider(stack, 'q', {
          alias: 'q',
          host: 'https://h',
          credentials: { certificate: 'c', keyFile: '/k' },
          clusterCaCertificate: 'CA',
          clusterCaCertificateFile: '/ca',
        }),
      /set clusterCaCertificate or clusterCaCertificateFile, not both/,
    );
  });

  it('keeps the generated key out of every synthesized file of a full synth', () => {
    const keyDirectory = tempDir('keys-');
    const app = Testing.app();
    const { stack } = stackWithProvider(app);
    const cert = new ClientCertificate(stack, 'jane', { user: 'jane', keyDirectory });
    cert.provider(stack, 'as-jane', { alias: 'as_jane', host: 'https://127.0.0.1:6443' });
    const outdir = Testing.fullSynth(stack);
    const file = join(outdir, 'stacks', 'test', 'cdk.tf.json');
    assert.ok(existsSync(file));
    assert.deepEqual(keyMaterialIn(readFileSync(file, 'utf8'), [keyFileOf(cert)]), []);
  });
});
