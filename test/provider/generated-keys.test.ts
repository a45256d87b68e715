import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { describePublicKey, KEY_TYPES } from '../../src/pki/index.js';
import { CERTIFICATE_SCHEMA } from '../../src/provider/resources/certificate.js';
import { CLIENT_IDENTITY_SCHEMA } from '../../src/provider/resources/client-identity.js';
import { generateNameFor } from '../../src/provider/resources/key-issuance.js';
import { UNKNOWN, type TerraformObject, type TerraformValue } from '../../src/provider/values/dynamic-value.js';
import type { BlockSchema } from '../../src/provider/values/schema.js';
import { reviewSelf } from '../../src/runtime/self-subject-review.js';
import { clusterCaData, userKubeconfigYaml } from '../../src/runtime/user-kubeconfig.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { TestSigner } from '../support/test-signer.js';
import { denyWhenCreated } from './support/deny.js';
import { decoded, diagnosticsOf, dynamic, PluginClient, type DiagnosticView } from './support/plugin-client.js';

const CERTIFICATE = 'kubecsr_certificate';
const CLIENT_IDENTITY = 'kubecsr_client_identity';
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/** A configuration as Terraform sends it: every attribute of the schema, null unless given. */
function configOf(schema: BlockSchema, values: Record<string, TerraformValue>): TerraformObject {
  return Object.fromEntries(Object.keys(schema.attributes).map((name) => [name, values[name] ?? null]));
}

const certificateConfig = (values: Record<string, TerraformValue>) => configOf(CERTIFICATE_SCHEMA, values);
const identityConfig = (values: Record<string, TerraformValue>) => configOf(CLIENT_IDENTITY_SCHEMA, values);

interface Issued {
  readonly certificate: string;
  readonly private_key_pem: string;
  readonly ca_certificate: string | null;
  readonly not_after: string;
  readonly host?: string;
  readonly kubeconfig?: string;
}

/** Error diagnostics as "path: summary", sorted. */
function errorPaths(diagnostics: readonly DiagnosticView[]): string[] {
  return [...new Set(diagnostics.filter((d) => d.severity === 1).map((d) => d.path))].sort();
}

// kubecsr_certificate and kubecsr_client_identity through the plugin protocol, against the shared real cluster: the
// key is generated inside Open and leaves the provider only as an ephemeral result.
describe('kubecsr generated-key types over the plugin protocol', () => {
  let plugin: PluginClient;
  let admin: KubeConfig;
  let clusterCaPem: string;
  /** Every key and certificate the provider returned, to look for in its log at the end. */
  const secrets: string[] = [];

  before(async () => {
    admin = sharedKubeConfig();
    clusterCaPem = Buffer.from(clusterCaData(admin) ?? '', 'base64').toString('utf8');
    plugin = await PluginClient.start();
    assert.deepEqual(diagnosticsOf(await plugin.configure({ config_path: sharedKubeconfigPath() })), []);
  });
  after(() => plugin?.dispose());

  function validate(type: string, config: TerraformObject) {
    return plugin.rpc('ValidateEphemeralResourceConfig', { type_name: type, config: dynamic(config) });
  }

  async function open(type: string, config: TerraformObject) {
    const response = await plugin.rpc('OpenEphemeralResource', { type_name: type, config: dynamic(config) });
    const result = response.result ? (decoded(response.result) as unknown as Issued & TerraformObject) : undefined;
    if (result) secrets.push(result.private_key_pem, result.certificate);
    return { response, result, diagnostics: diagnosticsOf(response) };
  }

  /** The result's certificate is for its key, and everything configured came back unchanged. */
  function assertIssued(config: TerraformObject, result: (Issued & TerraformObject) | undefined, commonName: string) {
    assert.ok(result);
    const computed = ['certificate', 'private_key_pem', 'ca_certificate', 'not_after', 'host', 'kubeconfig'];
    for (const [name, value] of Object.entries(config)) {
      if (!computed.includes(name)) assert.deepEqual(result[name], value, `${name} is echoed`);
    }
    const leaf = new X509Certificate(result.certificate);
    assert.match(leaf.subject, new RegExp(`CN=${commonName}`));
    const publicKey = createPublicKey(createPrivateKey(result.private_key_pem));
    assert.ok(leaf.publicKey.equals(publicKey), 'the certificate is for the returned key');
    assert.ok(result.private_key_pem.startsWith(`-----BEGIN ${'PRIVATE KEY'}-----\n`), 'a PKCS#8 PEM key');
    assert.equal(result.not_after, new Date(leaf.validTo).toISOString());
    assert.equal(result.ca_certificate, clusterCaPem);
    return leaf;
  }

  it('lists both types with the results computed and private_key_pem and kubeconfig sensitive', async () => {
    const schema = await plugin.rpc('GetProviderSchema');
    type Attribute = { name: string; computed: boolean; sensitive: boolean; required: boolean };
    const types = schema.ephemeral_resource_schemas as Record<string, { block: { attributes: Attribute[] } }>;
    const attributes = (type: string) =>
      Object.fromEntries((types[type]?.block.attributes ?? []).map((a) => [a.name, a]));
    const certificate = attributes(CERTIFICATE);
    const identity = attributes(CLIENT_IDENTITY);
    for (const name of ['certificate', 'private_key_pem', 'ca_certificate', 'not_after']) {
      assert.equal(certificate[name]?.computed, true, `${CERTIFICATE}.${name}`);
      assert.equal(identity[name]?.computed, true, `${CLIENT_IDENTITY}.${name}`);
    }
    const sensitive = (attrs: Record<string, Attribute>) =>
      Object.values(attrs)
        .filter((a) => a.sensitive)
        .map((a) => a.name)
        .sort();
    assert.deepEqual(sensitive(certificate), ['private_key_pem']);
    assert.deepEqual(sensitive(identity), ['kubeconfig', 'private_key_pem']);
    assert.equal(certificate.common_name?.required, true);
    assert.equal(certificate.signer_name?.required, true);
    assert.equal(identity.user?.required, true);
    assert.equal(identity.signer_name?.required, false);
  });

  it('validates configurations whose subject, names and signer are not known yet without errors', async () => {
    const certificate = certificateConfig({
      common_name: UNKNOWN,
      organizations: [UNKNOWN],
      dns_names: UNKNOWN,
      signer_name: UNKNOWN,
      key_type: UNKNOWN,
    });
    assert.deepEqual(diagnosticsOf(await validate(CERTIFICATE, certificate)), []);
    const identity = identityConfig({ user: UNKNOWN, groups: UNKNOWN, namespace: UNKNOWN });
    assert.deepEqual(diagnosticsOf(await validate(CLIENT_IDENTITY, identity)), []);
  });

  it('fails validation with one diagnostic per broken rule, at the attribute, with what is allowed and the fix', async () => {
    const config = certificateConfig({
      common_name: 'validate-me',
      signer_name: CLIENT_SIGNER,
      usages: ['server auth'],
      expiration_seconds: 60,
      key_type: 'dsa-1024',
      ip_addresses: ['10.0.0.1/24'],
      timeout: 'soon',
    });
    const diagnostics = diagnosticsOf(await validate(CERTIFICATE, config));
    assert.deepEqual(errorPaths(diagnostics), ['expiration_seconds', 'ip_addresses', 'key_type', 'timeout', 'usages']);
    const keyType = diagnostics.find((d) => d.path === 'key_type');
    assert.match(keyType?.detail ?? '', /Received: "dsa-1024"\.\nAllowed: "rsa-2048", .*"ed25519"\.\nFix: /s);
    for (const d of diagnostics.filter((v) => ['usages', 'expiration_seconds'].includes(v.path))) {
      assert.match(d.detail, /Received: .*\nAllowed: .*\nFix: /s);
    }
    // THEN the fixes speak of this type's attributes, not of the CertificateSigningRequest's fields
    assert.match(diagnostics.find((d) => d.path === 'usages')?.detail ?? '', /Fix: use usages = \["client auth"\]/);
  });

  it('fails validation of the request it would build: the subject rules of a signer point at common_name and organizations', async () => {
    const config = certificateConfig({
      common_name: 'not-a-node',
      organizations: ['dev'],
      signer_name: 'kubernetes.io/kube-apiserver-client-kubelet',
    });
    assert.deepEqual(errorPaths(diagnosticsOf(await validate(CERTIFICATE, config))), ['common_name', 'organizations']);
  });

  it('fails validation of a client identity at user, groups, namespace and signer_name, never at attributes it lacks', async () => {
    const config = identityConfig({
      user: 'jane',
      groups: ['dev'],
      namespace: 'Not_A_Namespace',
      signer_name: 'kubernetes.io/kubelet-serving',
    });
    assert.deepEqual(errorPaths(diagnosticsOf(await validate(CLIENT_IDENTITY, config))), [
      'groups',
      'namespace',
      'signer_name',
      'user',
    ]);
  });

  it('opens kubecsr_certificate with every key type: the certificate is for the returned key, it authenticates, no CSR remains', async () => {
    for (const keyType of KEY_TYPES) {
      const commonName = `gk-${keyType}-${uniqueSuffix()}`;
      const config = certificateConfig({
        common_name: commonName,
        organizations: ['generated-keys'],
        signer_name: CLIENT_SIGNER,
        key_type: keyType,
      });
      const { response, result, diagnostics } = await open(CERTIFICATE, config);
      assert.deepEqual(diagnostics, [], keyType);
      assertIssued(config, result, commonName);
      const info = describePublicKey(createPrivateKey(result?.private_key_pem ?? ''));
      assert.equal([info.algorithm, info.bits].filter(Boolean).join('-'), keyType.replace('-p', '-'));
      // THEN the API server authenticates that key type too
      const asUser = new KubeConfig();
      asUser.loadFromString(
        userKubeconfigYaml({
          kubeConfig: admin,
          userName: commonName,
          contextName: commonName,
          certificatePem: result?.certificate ?? '',
          privateKeyPem: result?.private_key_pem ?? '',
        }),
      );
      assert.equal((await reviewSelf(asUser)).username, commonName, keyType);
      assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(commonName)), [], keyType);
      const closed = await plugin.rpc('CloseEphemeralResource', { type_name: CERTIFICATE, private: response.private });
      assert.deepEqual(diagnosticsOf(closed), []);
    }
  });

  it('opens kubecsr_client_identity: its kubeconfig authenticates as the new user, also as a kubecsr provider kubeconfig', async () => {
    const user = `gk-jane-${uniqueSuffix()}`;
    const config = identityConfig({ user, groups: ['dev', 'ops'], namespace: 'team-a' });
    const { result, diagnostics } = await open(CLIENT_IDENTITY, config);
    assert.deepEqual(diagnostics, []);
    assertIssued(config, result, user);
    assert.equal(result?.host, admin.getCurrentCluster()?.server);
    // THEN the kubeconfig is complete: the provider's server and CA, the new credentials, one context for the user
    const kc = new KubeConfig();
    kc.loadFromString(result?.kubeconfig ?? '');
    assert.equal(kc.getCurrentContext(), user);
    assert.equal(kc.getContextObject(user)?.namespace, 'team-a');
    assert.equal(kc.getCurrentCluster()?.server, admin.getCurrentCluster()?.server);
    assert.equal(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8'), clusterCaPem);
    assert.equal(Buffer.from(kc.getCurrentUser()?.keyData ?? '', 'base64').toString('utf8'), result?.private_key_pem);
    const identity = await reviewSelf(kc);
    assert.equal(identity.username, user);
    assert.deepEqual([...identity.groups].sort(), ['dev', 'ops', 'system:authenticated']);
    // AND a kubecsr provider configured with it alone is that user
    const asUser = await PluginClient.start();
    try {
      assert.deepEqual(diagnosticsOf(await asUser.configure({ kubeconfig: result?.kubeconfig ?? null })), []);
      const review = await asUser.rpc('ReadDataSource', {
        type_name: 'kubecsr_self_subject_review',
        config: dynamic({ username: null, uid: null, groups: null, extra: null }),
      });
      assert.deepEqual(diagnosticsOf(review), []);
      assert.equal((decoded(review.state) as { username: string }).username, user);
    } finally {
      asUser.dispose();
    }
    assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(user)), []);
  });

  it('fails configuring the provider with both kubeconfig and config_path', async () => {
    const response = await plugin.rpc('ValidateProviderConfig', {
      config: dynamic({
        config_path: sharedKubeconfigPath(),
        kubeconfig: 'apiVersion: v1',
        config_context: null,
        host: null,
        cluster_ca_certificate: null,
        client_certificate: null,
        client_key: null,
        token: null,
        insecure: null,
      }),
    });
    assert.deepEqual(
      diagnosticsOf(response).map((d) => d.path),
      ['kubeconfig'],
    );
  });

  describe('through a signer of its own (the test signer, which refuses Ed25519 keys)', () => {
    const signerName = `example.com/generated-keys-${uniqueSuffix()}`;
    let signer: TestSigner;
    before(() => {
      signer = TestSigner.start(sharedKubeConfig(), signerName, 100, { refuseKeyAlgorithms: ['ed25519'] });
    });
    after(() => signer?.stop());

    it('issues a serving certificate with the DNS, IP and URI names asked for', async () => {
      const commonName = `gk-serving-${uniqueSuffix()}`;
      const config = certificateConfig({
        common_name: commonName,
        dns_names: ['api.example.com', '*.api.example.com'],
        ip_addresses: ['10.0.0.1', '2001:db8::1'],
        uris: ['spiffe://cluster.local/ns/default/sa/api'],
        usages: ['digital signature', 'server auth'],
        signer_name: signerName,
        key_type: 'rsa-2048',
      });
      const { result, diagnostics } = await open(CERTIFICATE, config);
      assert.deepEqual(diagnostics, []);
      const leaf = assertIssued(config, result, commonName);
      const names = (leaf.subjectAltName ?? '').split(', ');
      for (const name of [
        'DNS:api.example.com',
        'DNS:*.api.example.com',
        'IP Address:10.0.0.1',
        'IP Address:2001:DB8:0:0:0:0:0:1',
        'URI:spiffe://cluster.local/ns/default/sa/api',
      ]) {
        assert.ok(names.includes(name), `${name} in ${leaf.subjectAltName}`);
      }
      assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(commonName)), []);
    });

    it('fails at key_type when the signer refuses the key type, says which to use, and leaves no CSR', async () => {
      const commonName = `gk-refused-${uniqueSuffix()}`;
      const config = certificateConfig({
        common_name: commonName,
        dns_names: ['refused.example.com'],
        usages: ['digital signature', 'server auth'],
        signer_name: signerName,
        key_type: 'ed25519',
      });
      const { response, diagnostics } = await open(CERTIFICATE, config);
      assert.equal(response.result ?? null, null);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      const [diagnostic] = diagnostics;
      assert.equal(diagnostic?.summary, 'The signer failed the CertificateSigningRequest');
      assert.equal(diagnostic?.path, 'key_type');
      assert.match(diagnostic?.detail ?? '', /UnsupportedKeyType: .* does not sign ed25519 keys/);
      assert.match(diagnostic?.detail ?? '', /key_type = "ecdsa-p256"/);
      assert.ok(signer.refused.some((name) => name.startsWith(generateNameFor(commonName))));
      assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(commonName)), []);
    });
  });

  it('fails at auto_approve when the request is denied, with the reason, and leaves no CSR', async () => {
    const user = `gk-denied-${uniqueSuffix()}`;
    const prefix = generateNameFor(user);
    // GIVEN someone who denies the request as soon as it exists (a 10-minute timeout: only a denial ends it)
    const denier = denyWhenCreated(admin, prefix);
    const config = identityConfig({ user, auto_approve: false, timeout: '10m' });
    const { response, diagnostics } = await open(CLIENT_IDENTITY, config);
    await denier;
    assert.equal(response.result ?? null, null);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]?.summary, 'The CertificateSigningRequest was denied');
    assert.equal(diagnostics[0]?.path, 'auto_approve');
    assert.match(diagnostics[0]?.detail ?? '', /TestDenied: not for you/);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('fails at signer_name when nothing signs for the signer, and leaves no CSR', async () => {
    const user = `gk-unsigned-${uniqueSuffix()}`;
    const config = identityConfig({ user, signer_name: 'example.com/nobody-signs', timeout: '2s' });
    const { diagnostics } = await open(CLIENT_IDENTITY, config);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]?.summary, 'Timed out waiting for the certificate');
    assert.equal(diagnostics[0]?.path, 'signer_name');
    assert.match(diagnostics[0]?.detail ?? '', /example\.com\/nobody-signs/);
    assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(user)), []);
  });

  it('never writes a key or certificate it returned to its log', () => {
    assert.ok(secrets.length >= 2 * KEY_TYPES.length, `${secrets.length} secrets captured`);
    const log = plugin.stderr.join('\n');
    assert.doesNotMatch(log, /BEGIN CERTIFICATE|PRIVATE KEY/);
    for (const secret of secrets) {
      const body = secret.split('\n')[1] ?? '';
      assert.ok(body.length > 20);
      assert.ok(!log.includes(body), 'a line of a key or certificate is in the log');
    }
  });
});
