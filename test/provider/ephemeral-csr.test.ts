import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { UNKNOWN } from '../../src/provider/values/dynamic-value.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { clientRequest, csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { denyWhenCreated } from './support/deny.js';
import { csrConfig, decoded, diagnosticsOf, dynamic, PluginClient } from './support/plugin-client.js';

const TYPE = 'kubernetes_certificate_signing_request_v1';
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

// The ephemeral CSR through the plugin protocol, against the shared real cluster: what Terraform's Validate, Open
// and Close calls get back, including the failures that the Go provider never reports.
describe('kubecsr kubernetes_certificate_signing_request_v1 over the plugin protocol', () => {
  let plugin: PluginClient;
  let admin: KubeConfig;

  before(async () => {
    admin = sharedKubeConfig();
    plugin = await PluginClient.start();
    const configured = await plugin.configure({ config_path: sharedKubeconfigPath() });
    assert.deepEqual(diagnosticsOf(configured), []);
  });
  after(() => plugin?.dispose());

  function open(config: ReturnType<typeof csrConfig>) {
    return plugin.rpc('OpenEphemeralResource', { type_name: TYPE, config: dynamic(config) });
  }

  it('lists the ephemeral type and the data source in its schema, with the certificate computed', async () => {
    const schema = await plugin.rpc('GetProviderSchema');
    const ephemeral = (
      schema.ephemeral_resource_schemas as Record<
        string,
        { block: { attributes: { name: string; computed: boolean }[] } }
      >
    )[TYPE];
    assert.ok(ephemeral);
    assert.equal(ephemeral.block.attributes.find((a) => a.name === 'certificate')?.computed, true);
    assert.ok((schema.data_source_schemas as Record<string, unknown>).kubecsr_self_subject_review);
  });

  it('validates a configuration whose request and usages are not known yet without errors', async () => {
    const config = csrConfig({ request: UNKNOWN, signer_name: CLIENT_SIGNER, usages: [UNKNOWN] });
    const response = await plugin.rpc('ValidateEphemeralResourceConfig', { type_name: TYPE, config: dynamic(config) });
    assert.deepEqual(diagnosticsOf(response), []);
  });

  it('fails validation with one diagnostic per broken rule, at the attribute, with the fix', async () => {
    const { request } = await clientRequest('validate-me');
    const config = csrConfig(
      { request, signer_name: CLIENT_SIGNER, usages: ['server auth'], expiration_seconds: 60 },
      { name: 'Not_A_Name' },
    );
    const response = await plugin.rpc('ValidateEphemeralResourceConfig', { type_name: TYPE, config: dynamic(config) });
    const errors = diagnosticsOf(response).filter((d) => d.severity === 1);
    assert.deepEqual([...new Set(errors.map((d) => d.path))].sort(), [
      'metadata.name',
      'spec.expiration_seconds',
      'spec.usages',
    ]);
    for (const error of errors) assert.match(error.detail, /Received: .*\nAllowed: .*\nFix: /s);
  });

  it('fails validation when both name and generate_name are set', async () => {
    const { request } = await clientRequest('both-names');
    const config = csrConfig(
      { request, signer_name: CLIENT_SIGNER, usages: ['client auth'] },
      { name: 'a', generate_name: 'b-' },
    );
    const response = await plugin.rpc('ValidateEphemeralResourceConfig', { type_name: TYPE, config: dynamic(config) });
    assert.deepEqual(
      diagnosticsOf(response).map((d) => d.path),
      ['metadata.generate_name'],
    );
  });

  it('opens: the result echoes the configuration plus the certificate for the request key, and no CSR remains', async () => {
    const prefix = `provider-open-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-user', ['provider-group']);
    const config = csrConfig(
      { request, signer_name: CLIENT_SIGNER, usages: ['client auth'] },
      { generate_name: prefix },
    );
    const response = await open(config);
    assert.deepEqual(diagnosticsOf(response), []);
    const result = decoded(response.result) as Record<string, unknown>;
    const { certificate, ...echoed } = result;
    assert.deepEqual(echoed, Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'certificate')));
    const leaf = new X509Certificate(String(certificate));
    assert.match(leaf.subject, /CN=provider-user/);
    const privateState = JSON.parse(Buffer.from(response.private as Buffer).toString('utf8')) as {
      name: string;
      deleted: boolean;
    };
    assert.ok(privateState.name.startsWith(prefix));
    assert.equal(privateState.deleted, true);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    const closed = await plugin.rpc('CloseEphemeralResource', { type_name: TYPE, private: response.private });
    assert.deepEqual(diagnosticsOf(closed), []);
  });

  it('fails at once with a denial diagnostic naming the reason, and leaves no CSR', async () => {
    const prefix = `provider-deny-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-denied');
    // GIVEN someone who denies the request as soon as it exists (a 10-minute timeout: only a denial ends it)
    const denier = denyWhenCreated(admin, prefix);
    const config = csrConfig(
      { request, signer_name: CLIENT_SIGNER, usages: ['client auth'] },
      { generate_name: prefix },
      { auto_approve: false, timeout: '10m' },
    );
    const response = await open(config);
    await denier;
    const [diagnostic, ...rest] = diagnosticsOf(response);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic?.summary, 'The CertificateSigningRequest was denied');
    assert.match(diagnostic?.detail ?? '', /TestDenied: not for you/);
    assert.equal(response.result ?? null, null);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('fails on timeout with a diagnostic that says nothing signs for that signer, at spec.signer_name', async () => {
    const prefix = `provider-timeout-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-timeout');
    const config = csrConfig(
      { request, signer_name: 'example.com/nobody-signs', usages: ['client auth'] },
      { generate_name: prefix },
      { timeout: '2s' },
    );
    const response = await open(config);
    const [diagnostic] = diagnosticsOf(response);
    assert.equal(diagnostic?.summary, 'Timed out waiting for the certificate');
    assert.equal(diagnostic?.path, 'spec.signer_name');
    assert.match(diagnostic?.detail ?? '', /example\.com\/nobody-signs/);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('ends an open wait on StopProvider (Ctrl-C) with a diagnostic, and deletes the CSR', async () => {
    const prefix = `provider-stop-${uniqueSuffix()}-`;
    const stopped = await PluginClient.start();
    try {
      await stopped.configure({ config_path: sharedKubeconfigPath() });
      const { request } = await clientRequest('provider-stop');
      const config = csrConfig(
        { request, signer_name: CLIENT_SIGNER, usages: ['client auth'] },
        { generate_name: prefix },
        { auto_approve: false, timeout: '10m' },
      );
      const opening = stopped.rpc('OpenEphemeralResource', { type_name: TYPE, config: dynamic(config) });
      while ((await csrNamesWithPrefix(admin, prefix)).length === 0) await new Promise((r) => setTimeout(r, 50));
      await stopped.rpc('StopProvider');
      const [diagnostic] = diagnosticsOf(await opening);
      assert.equal(diagnostic?.summary, 'Stopped waiting for the certificate');
      assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    } finally {
      stopped.dispose();
    }
  });

  it('reads who the provider credentials are through kubecsr_self_subject_review', async () => {
    const response = await plugin.rpc('ReadDataSource', {
      type_name: 'kubecsr_self_subject_review',
      config: dynamic({ username: null, uid: null, groups: null, extra: null }),
    });
    assert.deepEqual(diagnosticsOf(response), []);
    const state = decoded(response.state) as { username: string; groups: string[] };
    assert.ok(state.groups.includes('system:masters'), JSON.stringify(state));
  });

  it('never writes a certificate or key to its log', () => {
    const text = plugin.stderr.join('\n');
    assert.doesNotMatch(text, /BEGIN CERTIFICATE|PRIVATE KEY/);
  });
});
