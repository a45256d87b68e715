import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedCertificate } from '../../src/pki/self-signed.js';
import { MAGIC_COOKIE_VALUE } from '../../src/provider/plugin/handshake.js';
import { PluginClient, PROVIDER_ENTRY } from './support/plugin-client.js';

// go-plugin's side of the provider, exercised as Terraform does it: cookie, handshake line, mutual TLS, health,
// Shutdown. The client certificate is one the test makes, as Terraform makes its own per run.
describe('kubecsr handshake', () => {
  let plugin: PluginClient;

  before(async () => {
    plugin = await PluginClient.start();
  });
  after(() => plugin?.dispose());

  it('fails when started by hand: exit 1, one line saying what it is and how to install it, nothing on stdout', () => {
    const env = { ...process.env };
    delete env.TF_PLUGIN_MAGIC_COOKIE;
    const run = spawnSync(process.execPath, [PROVIDER_ENTRY], { env, encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /Terraform provider.*kube-csr provider install/);
  });

  it('fails when Terraform sends no client certificate (it serves only over mutual TLS)', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE };
    delete env.PLUGIN_CLIENT_CERT;
    const run = spawnSync(process.execPath, [PROVIDER_ENTRY], { env, encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /PLUGIN_CLIENT_CERT/);
  });

  it('prints the go-plugin handshake line: protocol 6 on a 0600 unix socket, certificate as unpadded base64 DER for localhost', () => {
    const fields = plugin.handshake.line.split('|');
    assert.deepEqual(fields.slice(0, 3), ['1', '6', 'unix']);
    assert.equal(fields[4], 'grpc');
    assert.doesNotMatch(fields[5] ?? '', /=$/);
    assert.equal(statSync(plugin.handshake.address).mode & 0o777, 0o600);
    assert.match(plugin.handshake.serverCertificate.subjectAltName ?? '', /DNS:localhost/);
    assert.ok(plugin.handshake.serverCertificate.verify(plugin.handshake.serverCertificate.publicKey));
  });

  it('answers the health check as SERVING', async () => {
    const response = await plugin.healthCheck();
    assert.equal(response.status, 1);
  });

  it('fails when a client connects without a certificate, or with one Terraform did not send', async () => {
    const stranger = createSelfSignedCertificate({ commonName: 'localhost', organization: 'x', validityMs: 60_000 });
    for (const certificate of [undefined, stranger]) {
      const clients = PluginClient.connect(plugin.handshake, certificate);
      await assert.rejects(PluginClient.call(clients.provider, 'GetProviderSchema', {}, 10_000));
      clients.provider.close();
      clients.controller.close();
      clients.health.close();
    }
    // AND the rightful client still works
    const schema = await plugin.rpc('GetProviderSchema');
    assert.ok(schema.ephemeral_resource_schemas);
  });

  it('exits 0 on GRPCController.Shutdown and removes its socket', async () => {
    const other = await PluginClient.start();
    const code = await other.shutdown();
    other.dispose();
    assert.equal(code, 0);
    assert.equal(existsSync(other.handshake.address), false);
  });
});
