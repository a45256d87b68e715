import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseCertificateChain, verifyChain } from '../../src/pki/index.js';
import { CERTIFICATE_SCHEMA } from '../../src/provider/resources/certificate.js';
import type { TerraformObject, TerraformValue } from '../../src/provider/values/dynamic-value.js';
import { clusterCaData } from '../../src/runtime/user-kubeconfig.js';
import { kubecsrGenerateName } from '../../src/rules/index.js';
import { tempDir } from '../constructs/support/fixtures.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { TestSigner } from '../support/test-signer.js';
import { secretNeedles } from './support/issued-certificates.js';
import { decoded, diagnosticsOf, dynamic, PluginClient } from './support/plugin-client.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const TYPE = 'kubecsr_certificate';
const SERVICE = 'web';
const NAMESPACE = 'demo';

interface Issued {
  readonly certificate: string;
  readonly private_key_pem: string;
  readonly ca_certificate: string | null;
  readonly not_after: string;
}

/** The kubecsr_certificate block examples/in-memory-serving synthesizes, with cdktf's metadata removed. */
async function exampleBlock(signerName: string): Promise<Record<string, TerraformValue>> {
  const cwd = tempDir('in-memory-serving-synth-');
  try {
    const outdir = join(cwd, 'out');
    await run(join(root, 'node_modules/.bin/tsx'), [join(root, 'examples/in-memory-serving/main.ts')], {
      cwd,
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        CHECKPOINT_DISABLE: '1',
        SIGNER_NAME: signerName,
        SERVICE_NAME: SERVICE,
        KUBE_NAMESPACE: NAMESPACE,
        KUBECONFIG: sharedKubeconfigPath(),
      },
    });
    const [stack = ''] = readdirSync(join(outdir, 'stacks'));
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
      ephemeral: Record<string, Record<string, Record<string, TerraformValue>>>;
    };
    const blocks = Object.values(json.ephemeral[TYPE] ?? {});
    assert.equal(blocks.length, 1, 'the example declares one kubecsr_certificate');
    return Object.fromEntries(Object.entries(blocks[0] ?? {}).filter(([name]) => name !== '//'));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** A TLS handshake with a server that uses `key` and `certificate`, verified against `ca` for `servername`. */
async function handshake(key: string, certificate: string, ca: string, servername: string): Promise<void> {
  const server: Server = createServer({ key, cert: certificate }, (socket) => socket.end());
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    await new Promise<void>((resolveConnect, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername }, () => {
        socket.end();
        resolveConnect();
      });
      socket.once('error', reject);
    });
  } finally {
    server.close();
  }
}

// The Open of examples/in-memory-serving, over the plugin protocol, in CI: the same kubecsr_certificate block the
// example synthesizes, opened by kubecsr against the shared cluster and a signer of its own. (The deploy of the whole
// example needs hashicorp/kubernetes for the secret and is gated on it: test/deploy/in-memory-serving.test.ts.)
describe("examples/in-memory-serving's kubecsr_certificate over the plugin protocol", () => {
  const signerName = `example.com/in-memory-serving-${uniqueSuffix()}`;
  let plugin: PluginClient;
  let signer: TestSigner;
  let admin: KubeConfig;
  let block: Record<string, TerraformValue>;

  before(async () => {
    admin = sharedKubeConfig();
    signer = TestSigner.start(admin, signerName);
    block = await exampleBlock(signerName);
    plugin = await PluginClient.start();
    assert.deepEqual(diagnosticsOf(await plugin.configure({ config_path: sharedKubeconfigPath() })), []);
  });
  after(() => {
    plugin?.dispose();
    signer?.stop();
  });

  it('opens it: a key and a certificate that belong together, a chain to the signer CA, the service names, and no CSR left', async () => {
    // GIVEN the block as Terraform sends it: every attribute of the schema, null unless the example set it
    assert.equal(block.signer_name, signerName);
    assert.deepEqual(block.dns_names, [
      SERVICE,
      `${SERVICE}.${NAMESPACE}`,
      `${SERVICE}.${NAMESPACE}.svc`,
      `${SERVICE}.${NAMESPACE}.svc.cluster.local`,
    ]);
    const config: TerraformObject = Object.fromEntries(
      Object.keys(CERTIFICATE_SCHEMA.attributes).map((name) => [name, block[name] ?? null]),
    );
    const validated = await plugin.rpc('ValidateEphemeralResourceConfig', { type_name: TYPE, config: dynamic(config) });
    assert.deepEqual(diagnosticsOf(validated), []);

    // WHEN kubecsr opens it
    const response = await plugin.rpc('OpenEphemeralResource', { type_name: TYPE, config: dynamic(config) });
    assert.deepEqual(diagnosticsOf(response), []);
    const result = decoded(response.result) as unknown as Issued;

    // THEN the key is a PKCS#8 key, and the certificate is for it
    assert.ok(result.private_key_pem.startsWith(`-----BEGIN ${'PRIVATE KEY'}-----\n`), 'a PKCS#8 PEM key');
    const leaf = new X509Certificate(result.certificate);
    assert.ok(leaf.publicKey.equals(createPublicKey(createPrivateKey(result.private_key_pem))));
    // AND the chain verifies against the custom signer's CA, with the names and usage asked for
    verifyChain(parseCertificateChain(result.certificate), signer.caPem);
    assert.ok(leaf.checkIssued(new X509Certificate(signer.caPem)), 'issued by the custom signer');
    for (const name of block.dns_names) assert.match(leaf.subjectAltName ?? '', new RegExp(`DNS:${name}(,|$)`));
    assert.ok(leaf.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), 'extended key usage serverAuth');
    assert.equal(result.not_after, new Date(leaf.validTo).toISOString());
    // the cluster CA of the provider's configuration, which verifies the API server, not this certificate
    assert.equal(result.ca_certificate, Buffer.from(clusterCaData(admin) ?? '', 'base64').toString('utf8'));
    // AND they work as the secret's tls.key and tls.crt: a TLS server with them is trusted for the service's name
    await handshake(result.private_key_pem, result.certificate, signer.caPem, `${SERVICE}.${NAMESPACE}.svc`);
    // AND the signer issued it, and the CertificateSigningRequest is gone
    const prefix = kubecsrGenerateName(block.common_name as string);
    assert.ok(signer.issued.some((name) => name.startsWith(prefix)));
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    const closed = await plugin.rpc('CloseEphemeralResource', { type_name: TYPE, private: response.private });
    assert.deepEqual(diagnosticsOf(closed), []);
    // AND the provider's log holds neither the key nor the certificate
    const log = plugin.stderr.join('\n');
    assert.deepEqual(
      secretNeedles([result.certificate]).filter((needle) => log.includes(needle)),
      [],
    );
  });
});
