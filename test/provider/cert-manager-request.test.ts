import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { decideCertificateRequest } from '../../src/runtime/cert-manager/approve.js';
import { CertificateRequestClient, type CertificateRequestObject } from '../../src/runtime/cert-manager/client.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { clientRequest, uniqueSuffix } from '../support/identities.js';
import { decoded, diagnosticsOf, dynamic, PluginClient } from './support/plugin-client.js';

const TYPE = 'kubecsr_cert_manager_certificate_request';

function certManagerEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\`, which starts cert-manager`);
  return value;
}

/** A configuration as Terraform sends it: every attribute present, null when not set. */
function requestConfig(
  request: string,
  namespace: string,
  prefix: string,
  issuer: { name: string; kind: string | null },
  top: Record<string, unknown> = {},
) {
  return {
    auto_approve: null,
    timeout: null,
    certificate: null,
    ca: null,
    not_after: null,
    ...top,
    metadata: { name: null, generate_name: prefix, namespace },
    spec: {
      request,
      duration: null,
      usages: null,
      is_ca: null,
      issuer_ref: { name: issuer.name, kind: issuer.kind, group: null },
    },
  } as Parameters<typeof dynamic>[0];
}

// kubecsr's cert-manager type over the plugin protocol, against cert-manager's own controllers on the shared cluster.
describe('kubecsr kubecsr_cert_manager_certificate_request over the plugin protocol', () => {
  let plugin: PluginClient;
  let admin: KubeConfig;

  before(async () => {
    admin = sharedKubeConfig();
    plugin = await PluginClient.start();
    assert.deepEqual(diagnosticsOf(await plugin.configure({ config_path: sharedKubeconfigPath() })), []);
  });
  after(() => plugin?.dispose());

  async function requestNames(namespace: string, prefix: string): Promise<string[]> {
    const list = (await admin.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      namespace,
      plural: 'certificaterequests',
    })) as { items: CertificateRequestObject[] };
    return list.items.map((item) => item.metadata.name ?? '').filter((name) => name.startsWith(prefix));
  }

  function open(config: Parameters<typeof dynamic>[0]) {
    return plugin.rpc('OpenEphemeralResource', { type_name: TYPE, config: dynamic(config) });
  }

  it('opens: certificate, ca and not_after for the request key, signed by the issuer CA, and no object remains', async () => {
    const prefix = `provider-cm-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-cm-user');
    const issuer = certManagerEnv('CDKTF_CSR_TEST_CLUSTER_ISSUER');
    const response = await open(requestConfig(request, 'default', prefix, { name: issuer, kind: 'ClusterIssuer' }));
    assert.deepEqual(diagnosticsOf(response), []);
    const result = decoded(response.result) as Record<string, string>;
    const leaf = new X509Certificate(result.certificate ?? '');
    const ca = new X509Certificate(readFileSync(certManagerEnv('CDKTF_CSR_TEST_CLUSTER_ISSUER_CA_FILE'), 'utf8'));
    assert.ok(leaf.verify(ca.publicKey), 'the leaf is signed by the issuer CA');
    assert.equal(new X509Certificate(result.ca ?? '').fingerprint256, ca.fingerprint256);
    assert.equal(new Date(result.not_after ?? '').getTime(), new Date(leaf.validTo).getTime());
    assert.deepEqual(await requestNames('default', prefix), []);
  });

  it('fails validation at the attribute: an issuer kind cert-manager does not know', async () => {
    const { request } = await clientRequest('provider-cm-kind');
    const config = requestConfig(request, 'default', 'x-', { name: 'ca', kind: 'Issuers' });
    const response = await plugin.rpc('ValidateEphemeralResourceConfig', { type_name: TYPE, config: dynamic(config) });
    assert.deepEqual(
      diagnosticsOf(response).map((d) => d.path),
      ['spec.issuer_ref.kind'],
    );
  });

  it('fails at once with the denial, its reason and no object left', async () => {
    const namespace = certManagerEnv('CDKTF_CSR_TEST_MANUAL_APPROVAL_NAMESPACE');
    const prefix = `provider-cm-deny-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-cm-denied');
    const client = new CertificateRequestClient(admin, namespace);
    const denier = (async () => {
      for (;;) {
        const [name] = await requestNames(namespace, prefix);
        if (name) {
          const current = await client.read(name);
          await decideCertificateRequest(admin, client, current, {
            decision: 'Denied',
            reason: 'TestDenied',
            message: 'not for you',
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const issuer = certManagerEnv('CDKTF_CSR_TEST_CLUSTER_ISSUER');
    const response = await open(
      requestConfig(request, namespace, prefix, { name: issuer, kind: 'ClusterIssuer' }, { timeout: '10m' }),
    );
    await denier;
    const [diagnostic] = diagnosticsOf(response);
    assert.equal(diagnostic?.summary, 'The CertificateRequest was denied');
    assert.match(diagnostic?.detail ?? '', /TestDenied/);
    assert.deepEqual(await requestNames(namespace, prefix), []);
  });

  it('times out at spec.issuer_ref.name when the issuer does not exist, naming it, and leaves no object', async () => {
    const prefix = `provider-cm-missing-${uniqueSuffix()}-`;
    const { request } = await clientRequest('provider-cm-missing');
    const response = await open(
      requestConfig(request, 'default', prefix, { name: 'no-such-issuer', kind: 'ClusterIssuer' }, { timeout: '3s' }),
    );
    const [diagnostic] = diagnosticsOf(response);
    assert.equal(diagnostic?.summary, 'Timed out waiting for the certificate');
    assert.equal(diagnostic?.path, 'spec.issuer_ref.name');
    assert.match(diagnostic?.detail ?? '', /no-such-issuer/);
    assert.deepEqual(await requestNames('default', prefix), []);
  });
});
