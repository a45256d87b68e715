import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { caSecret } from '../../dev/cluster/cert-manager.js';
import { createCertificateAuthority } from '../../dev/cluster/cluster-pki.js';
import { CERTIFICATE_REQUEST_RESOURCE } from '../../src/runtime/index.js';
import { uniqueSuffix } from './identities.js';

/**
 * A fresh namespace (the local cluster runs no namespace controller, so deleted namespaces stay Terminating: tests
 * make new ones and leave them).
 */
export async function freshNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${uniqueSuffix()}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

/**
 * A namespaced CA Issuer with a CA of its own (a kubernetes.io/tls Secret in the namespace), waited for until
 * cert-manager's issuers controller says it is Ready. Returns the CA certificate (PEM).
 */
export async function createCaIssuer(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ca-issuer-'));
  try {
    const ca = createCertificateAuthority(dir, name, `test CA of Issuer ${namespace}/${name}`);
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace, body: caSecret(`${name}-ca`, ca) });
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'issuers',
      namespace,
      body: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name },
        spec: { ca: { secretName: `${name}-ca` } },
      },
    });
    for (let attempt = 0; attempt < 1200; attempt++) {
      const issuer = (await custom.getNamespacedCustomObject({
        group: 'cert-manager.io',
        version: 'v1',
        plural: 'issuers',
        namespace,
        name,
      })) as { status?: { conditions?: { type: string; status: string }[] } };
      if (issuer.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return ca.certPem;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Issuer ${namespace}/${name} was not Ready within 60 s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names of the CertificateRequests in `namespaces` whose name starts with `prefix`. */
export async function certificateRequestNames(
  kc: KubeConfig,
  namespaces: Iterable<string>,
  prefix: string,
): Promise<string[]> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const names: string[] = [];
  for (const namespace of new Set(namespaces)) {
    const list = (await custom.listNamespacedCustomObject({ ...CERTIFICATE_REQUEST_RESOURCE, namespace })) as {
      items: { metadata: { name: string } }[];
    };
    names.push(
      ...list.items.map((cr) => `${namespace}/${cr.metadata.name}`).filter((n) => n.split('/')[1]?.startsWith(prefix)),
    );
  }
  return names;
}
