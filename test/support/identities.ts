import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthorizationV1Api, CertificatesV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createCertificateRequest, generateKey } from '../../src/pki/index.js';
import { MANAGED_BY_LABEL } from '../../src/runtime/index.js';
import { openCertificateSigningRequest } from '../../src/runtime/index.js';

/** A short random suffix, so that tests sharing one cluster never collide on names. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A fresh ECDSA key and a PEM request for `commonName` in `organizations`. */
export async function clientRequest(
  commonName: string,
  organizations: readonly string[] = [],
): Promise<{ request: string; privateKeyPem: string }> {
  const key = await generateKey('ecdsa-p256');
  return {
    request: createCertificateRequest({ privateKey: key.privateKey, commonName, organizations }),
    privateKeyPem: key.privateKeyPem,
  };
}

/**
 * Issues a client certificate for `user` through the admin kubeconfig and writes a kubeconfig for that user
 * (same server and CA) into `dir`. Returns the file's path.
 */
export async function userKubeconfig(adminKubeconfig: string, user: string, dir: string): Promise<string> {
  const { request, privateKeyPem } = await clientRequest(user);
  const issued = await openCertificateSigningRequest(
    { spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } },
    { kubeconfig: adminKubeconfig, timeoutMs: 30_000 },
  );
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [
      {
        name: user,
        certData: Buffer.from(issued.certificate).toString('base64'),
        keyData: Buffer.from(privateKeyPem).toString('base64'),
      },
    ],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  const file = join(dir, `${user}.kubeconfig`);
  writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

/** An RBAC rule, as a ClusterRole or Role holds it. */
export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** How long to wait for RBAC to take effect before giving up: far more than it ever takes, even on a busy machine. */
const RBAC_PROPAGATION_LIMIT_MS = 60_000;

/**
 * Resolves once the API server's authorizer lets `user` do every verb of `rules` (on every resource and resource
 * name, in `namespace` when given), as a SubjectAccessReview made by the admin sees it. RBAC objects reach the
 * authorizer through an informer, so a request made right after creating a binding may still be refused: tests wait
 * for the grant to apply instead of racing it. Fails after a minute, naming what is still refused.
 */
export async function waitUntilAllowed(
  adminKc: KubeConfig,
  user: string,
  rules: readonly RbacRule[],
  namespace?: string,
): Promise<void> {
  const authz = adminKc.makeApiClient(AuthorizationV1Api);
  const checks = rules.flatMap((rule) =>
    rule.apiGroups.flatMap((group) =>
      rule.resources.flatMap((resource) =>
        rule.verbs.flatMap((verb) =>
          (rule.resourceNames ?? [undefined]).map((name) => ({ group, resource, verb, name, namespace })),
        ),
      ),
    ),
  );
  const deadline = Date.now() + RBAC_PROPAGATION_LIMIT_MS;
  for (const check of checks) {
    for (;;) {
      const review = await authz.createSubjectAccessReview({
        body: { spec: { user, resourceAttributes: check } },
      });
      if (review.status?.allowed) break;
      if (Date.now() > deadline) {
        throw new Error(`RBAC still refuses ${user} ${JSON.stringify(check)} after ${RBAC_PROPAGATION_LIMIT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Grants `user` a ClusterRole with the given rules (cluster-wide) and resolves once the authorizer applies it;
 * returns a function that removes both.
 */
export async function grantClusterRole(
  adminKc: KubeConfig,
  user: string,
  rules: RbacRule[],
  name = `test-${user}`,
): Promise<() => Promise<void>> {
  const rbac = adminKc.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({ body: { metadata: { name }, rules } });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  });
  await waitUntilAllowed(adminKc, user, rules);
  return async () => {
    await rbac.deleteClusterRoleBinding({ name });
    await rbac.deleteClusterRole({ name });
  };
}

/** Names of CertificateSigningRequests in the cluster whose name starts with `prefix`. */
export async function csrNamesWithPrefix(kc: KubeConfig, prefix: string): Promise<string[]> {
  const list = await kc.makeApiClient(CertificatesV1Api).listCertificateSigningRequest();
  return list.items.map((csr) => csr.metadata?.name ?? '').filter((name) => name.startsWith(prefix));
}

/** Names of this library's CertificateSigningRequests (by label) whose name starts with `prefix`. */
export async function managedCsrNames(kc: KubeConfig, prefix: string): Promise<string[]> {
  const list = await kc
    .makeApiClient(CertificatesV1Api)
    .listCertificateSigningRequest({ labelSelector: MANAGED_BY_LABEL });
  return list.items.map((csr) => csr.metadata?.name ?? '').filter((name) => name.startsWith(prefix));
}
