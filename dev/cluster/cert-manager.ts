// cert-manager on the local control plane: its own controllers, built from the github.com/cert-manager/cert-manager
// Go module through the wrapper module in ./certmanager (a main of this project's own), its CRDs taken from that
// module, and the issuers the tests use.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { ensureGoWrapperBuild, goBinary } from './binaries.js';
import { CERT_MANAGER_VERSION } from './versions.js';

/** The controllers the wrapper's main runs (its --controllers), the approver last. */
export const CERT_MANAGER_CONTROLLERS = [
  'issuers',
  'clusterissuers',
  'certificaterequests-issuer-ca',
  'certificaterequests-issuer-selfsigned',
  'certificaterequests-approver',
] as const;

/** The namespace of the Secrets that ClusterIssuers refer to (cert-manager's --cluster-resource-namespace). */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';
/** The CA ClusterIssuer the setup makes; its CA key pair is the Secret of the same name in the namespace above. */
export const CA_CLUSTER_ISSUER = 'kube-csr-test-ca';
/**
 * A CA ClusterIssuer that signs with the cluster's own CA (kube-apiserver's --client-ca-file): its client
 * certificates authenticate to the cluster, as the CertificateSigningRequest signer's do.
 */
export const CLUSTER_CA_CLUSTER_ISSUER = 'kube-csr-test-cluster-ca';
/**
 * A SelfSigned ClusterIssuer. It fails every request that lacks the annotation naming the private key's Secret,
 * which the runtime never sets: the tests' request "the issuer fails".
 */
export const SELF_SIGNED_CLUSTER_ISSUER = 'kube-csr-test-selfsigned';
/**
 * The namespace whose CertificateRequests the built-in approver leaves to people (its informer skips it), the way
 * an approval policy would: the manual approval and denial tests run there while the approver serves the rest.
 */
export const MANUAL_APPROVAL_NAMESPACE = 'kube-csr-manual-approval';

const BINARY = 'cert-manager-controllers';
const CRD_FILES = [
  'cert-manager.io_certificaterequests.yaml',
  'cert-manager.io_issuers.yaml',
  'cert-manager.io_clusterissuers.yaml',
] as const;
const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), 'certmanager');

/** The build: the controllers' binary and the CRDs copied from the module. */
export interface CertManagerBuild {
  readonly binary: string;
  readonly crdFiles: readonly string[];
}

/**
 * Builds (once per pin, cached under `<cacheRoot>/cert-manager/<key>/`) cert-manager's controllers from the wrapper
 * module, and copies the CertificateRequest, Issuer and ClusterIssuer CRDs from the module's deploy/crds.
 */
export async function ensureCertManagerBuild(log: (line: string) => void): Promise<CertManagerBuild> {
  const dir = await ensureGoWrapperBuild(
    {
      description: `cert-manager's controllers ${CERT_MANAGER_VERSION}`,
      moduleDir,
      cacheName: 'cert-manager',
      pins: { certManager: CERT_MANAGER_VERSION, crds: CRD_FILES },
      outputs: [BINARY, ...CRD_FILES.map((file) => join('crds', file))],
      ldflags: `-s -w -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=${CERT_MANAGER_VERSION}`,
      addFiles: async (staging, env) => {
        const download = execFileSync(
          goBinary(),
          ['mod', 'download', '-json', `github.com/cert-manager/cert-manager@${CERT_MANAGER_VERSION}`],
          { cwd: moduleDir, env, encoding: 'utf8' },
        );
        const { Dir } = JSON.parse(download) as { Dir: string };
        mkdirSync(join(staging, 'crds'), { recursive: true });
        for (const file of CRD_FILES) copyFileSync(join(Dir, 'deploy', 'crds', file), join(staging, 'crds', file));
        await Promise.resolve();
      },
    },
    log,
  );
  return { binary: join(dir, BINARY), crdFiles: CRD_FILES.map((file) => join(dir, 'crds', file)) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`${what} within ${timeoutMs} ms`, { cause: lastError });
}

/** Creates the CRDs and waits until the API server serves them. */
export async function installCertManagerCrds(
  kc: KubeConfig,
  crdFiles: readonly string[],
  timeoutMs: number,
  readFile: (file: string) => string,
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const names: string[] = [];
  for (const file of crdFiles) {
    const crd = loadYaml<V1CustomResourceDefinition>(readFile(file));
    names.push(crd.metadata?.name ?? file);
    await api.createCustomResourceDefinition({ body: crd });
  }
  for (const name of names) {
    await until(`CRD ${name} was not established`, timeoutMs, async () => {
      const crd = await api.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      return established ? true : undefined;
    });
  }
}

/** A CA key pair as PEM. */
export interface CaPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/**
 * What the tests need: the namespaces, the CA Secrets in the cluster resource namespace, the two CA ClusterIssuers
 * (one with a CA of its own, one with the cluster CA) and the SelfSigned ClusterIssuer.
 */
export async function createCertManagerFixtures(kc: KubeConfig, ca: CaPair, clusterCa: CaPair): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (const name of [CLUSTER_RESOURCE_NAMESPACE, MANUAL_APPROVAL_NAMESPACE]) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
  for (const [name, pair] of [
    [CA_CLUSTER_ISSUER, ca],
    [CLUSTER_CA_CLUSTER_ISSUER, clusterCa],
  ] as const) {
    await core.createNamespacedSecret({ namespace: CLUSTER_RESOURCE_NAMESPACE, body: caSecret(name, pair) });
  }
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const [name, spec] of [
    [CA_CLUSTER_ISSUER, { ca: { secretName: CA_CLUSTER_ISSUER } }],
    [CLUSTER_CA_CLUSTER_ISSUER, { ca: { secretName: CLUSTER_CA_CLUSTER_ISSUER } }],
    [SELF_SIGNED_CLUSTER_ISSUER, { selfSigned: {} }],
  ] as const) {
    await custom.createClusterCustomObject({
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'clusterissuers',
      body: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name }, spec },
    });
  }
}

/** A kubernetes.io/tls Secret holding a CA key pair, as a CA issuer reads it. */
export function caSecret(name: string, ca: CaPair) {
  return {
    metadata: { name },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(ca.certPem).toString('base64'),
      'tls.key': Buffer.from(ca.keyPem).toString('base64'),
    },
  };
}

/** Waits until every ClusterIssuer the setup made says Ready=True (the issuers controller checked its Secret). */
export async function waitForClusterIssuers(kc: KubeConfig, timeoutMs: number): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const name of [CA_CLUSTER_ISSUER, CLUSTER_CA_CLUSTER_ISSUER, SELF_SIGNED_CLUSTER_ISSUER]) {
    await until(`ClusterIssuer ${name} was not Ready`, timeoutMs, async () => {
      const issuer = (await custom.getClusterCustomObject({
        group: 'cert-manager.io',
        version: 'v1',
        plural: 'clusterissuers',
        name,
      })) as { status?: { conditions?: { type: string; status: string }[] } };
      return issuer.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    });
  }
}
