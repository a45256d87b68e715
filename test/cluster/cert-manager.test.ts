import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createCertificateRequest, generateKey, parseCertificateChain, verifyChain } from '../../src/pki/index.js';
import { CA_CLUSTER_ISSUER, CERT_MANAGER_CONTROLLERS } from '../../dev/cluster/cert-manager.js';
import { isAlive, LocalCluster } from '../../dev/cluster/local-cluster.js';

interface CertificateRequestObject {
  metadata?: { name?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string }[];
    certificate?: string;
    ca?: string;
  };
}

const CR = { group: 'cert-manager.io', version: 'v1', plural: 'certificaterequests' } as const;

/** The local addresses of the TCP sockets `pid` listens on, from /proc (hex as the kernel prints it, decoded). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return match?.[1] ? [match[1]] : [];
      } catch {
        return [];
      }
    }),
  );
  const addresses: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local = '', state, inode] = [fields[1], fields[3], fields[9]];
      if (state !== '0A' || !inode || !inodes.has(inode)) continue; // 0A: LISTEN
      const [hexHost = '', hexPort = ''] = local.split(':');
      const host =
        table === 'tcp'
          ? (hexHost.match(/../g) ?? [])
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : hexHost === '00000000000000000000000001000000'
            ? '::1'
            : `[${hexHost}]`;
      addresses.push(`${host}:${parseInt(hexPort, 16)}`);
    }
  }
  return addresses;
}

async function conditionsOf(custom: CustomObjectsApi, namespace: string, name: string) {
  const cr = (await custom.getNamespacedCustomObject({ ...CR, namespace, name })) as CertificateRequestObject;
  return cr;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

describe('cert-manager on a local cluster, without the built-in approver', () => {
  let cluster: LocalCluster;
  let kc: KubeConfig;
  before(async () => {
    // GIVEN a private cluster whose cert-manager runs every controller but the approver
    cluster = await LocalCluster.start({
      name: 'cert-manager-bed',
      log: () => undefined,
      certManager: { approver: false },
    });
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
  });
  after(() => cluster.stop());

  it('runs cert-manager with a Ready CA ClusterIssuer, and listens on loopback only', () => {
    const pid = cluster.pids()['cert-manager'] ?? 0;
    assert.ok(pid > 0 && isAlive(pid));
    assert.equal(cluster.certManager?.clusterIssuer, CA_CLUSTER_ISSUER);
    assert.equal(cluster.certManager?.approver, false);
    const addresses = listeningAddresses(pid);
    assert.ok(addresses.length >= 1, 'the health endpoint listens');
    for (const address of addresses) assert.match(address, /^(127\.0\.0\.1|::1):\d+$/, `${address} is not loopback`);
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const controllers = args
      .find((arg) => arg.startsWith('--controllers='))
      ?.split('=')[1]
      ?.split(',');
    assert.deepEqual(
      controllers,
      CERT_MANAGER_CONTROLLERS.filter((c) => c !== 'certificaterequests-approver'),
    );
  });

  it('leaves a request unapproved until someone approves it, then the CA issuer signs it', async () => {
    // GIVEN a CertificateRequest for the CA ClusterIssuer in a fresh namespace
    const custom = kc.makeApiClient(CustomObjectsApi);
    const namespace = `bed-${Date.now()}`;
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const key = await generateKey('ecdsa-p256');
    const request = createCertificateRequest({ privateKey: key.privateKey, commonName: 'bed-user' });
    const created = (await custom.createNamespacedCustomObject({
      ...CR,
      namespace,
      body: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'CertificateRequest',
        metadata: { generateName: 'bed-' },
        spec: {
          request: Buffer.from(request).toString('base64'),
          issuerRef: { name: CA_CLUSTER_ISSUER, kind: 'ClusterIssuer' },
        },
      },
    })) as CertificateRequestObject;
    const name = created.metadata?.name ?? '';
    try {
      // WHEN nobody approves it, THEN the CA controller reports that it waits for approval, and signs nothing
      const core = kc.makeApiClient(CoreV1Api);
      await waitFor('the WaitingForApproval event', async () => {
        const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
        return events.items.some((e) => e.reason === 'WaitingForApproval') ? true : undefined;
      });
      const pending = await conditionsOf(custom, namespace, name);
      assert.equal(pending.status?.conditions, undefined);
      assert.equal(pending.status?.certificate, undefined);

      // WHEN a client merge-patches the Approved condition into the status
      await custom.patchNamespacedCustomObjectStatus(
        {
          ...CR,
          namespace,
          name,
          body: {
            status: {
              conditions: [{ type: 'Approved', status: 'True', reason: 'BedTest', message: 'approved by the test' }],
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );

      // THEN the CA issuer signs it: Ready=True/Issued, with a leaf that chains to status.ca, the setup's CA
      const issued = await waitFor('the certificate', async () => {
        const cr = await conditionsOf(custom, namespace, name);
        return cr.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? cr : undefined;
      });
      assert.equal(issued.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'Issued');
      const chain = parseCertificateChain(Buffer.from(issued.status?.certificate ?? '', 'base64').toString());
      const ca = Buffer.from(issued.status?.ca ?? '', 'base64').toString();
      assert.equal(
        parseCertificateChain(ca).leaf.fingerprintSha256,
        parseCertificateChain(cluster.certManager?.caPem ?? '').leaf.fingerprintSha256,
      );
      verifyChain(chain, ca);
      assert.equal(chain.leaf.subject.commonName, 'bed-user');
    } finally {
      await custom.deleteNamespacedCustomObject({ ...CR, namespace, name });
    }
  });

  it('stops cert-manager with the cluster', async () => {
    const pid = cluster.pids()['cert-manager'] ?? 0;
    await cluster.stop();
    assert.equal(isAlive(pid), false);
  });
});
