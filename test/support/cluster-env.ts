import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * The kubeconfig of the cluster the test run shares (started by scripts/run-tests.ts, or an existing cluster named by
 * CDKTF_CSR_TEST_KUBECONFIG). Fails loudly when there is none: tests that need a cluster never skip.
 */
export function sharedKubeconfigPath(): string {
  const path = process.env.CDKTF_CSR_TEST_KUBECONFIG;
  if (!path) {
    throw new Error('CDKTF_CSR_TEST_KUBECONFIG is not set: run the tests through `npm test`, which starts a cluster');
  }
  return path;
}

/** A KubeConfig loaded from the shared test cluster's admin kubeconfig. */
export function sharedKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(readFileSync(sharedKubeconfigPath(), 'utf8'));
  return kc;
}

/** What the shared cluster's cert-manager setup made (see dev/cluster/cert-manager.ts). */
export interface SharedCertManager {
  /** The CA ClusterIssuer. */
  readonly clusterIssuer: string;
  /** Its CA certificate (PEM). */
  readonly caPem: string;
  /** A CA ClusterIssuer that signs with the cluster CA: its client certificates authenticate to the cluster. */
  readonly clusterCaIssuer: string;
  /** A SelfSigned ClusterIssuer that fails every request the runtime makes (no private-key Secret annotation). */
  readonly selfSignedClusterIssuer: string;
  /** The namespace whose CertificateRequests cert-manager's approver leaves alone. */
  readonly manualApprovalNamespace: string;
}

/**
 * cert-manager on the shared test cluster (started by scripts/run-tests.ts, or described by the
 * CDKTF_CSR_TEST_CERT_MANAGER variables for an existing cluster). Fails loudly when there is none: the cert-manager
 * tests never skip.
 */
export function sharedCertManager(): SharedCertManager {
  const env = process.env;
  const missing = [
    'CDKTF_CSR_TEST_CERT_MANAGER',
    'CDKTF_CSR_TEST_CLUSTER_ISSUER',
    'CDKTF_CSR_TEST_CLUSTER_ISSUER_CA_FILE',
    'CDKTF_CSR_TEST_CLUSTER_CA_ISSUER',
    'CDKTF_CSR_TEST_SELF_SIGNED_CLUSTER_ISSUER',
    'CDKTF_CSR_TEST_MANUAL_APPROVAL_NAMESPACE',
  ].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not set: run the tests through \`npm test\`, which starts cert-manager with the cluster`,
    );
  }
  return {
    clusterIssuer: env.CDKTF_CSR_TEST_CLUSTER_ISSUER ?? '',
    caPem: readFileSync(env.CDKTF_CSR_TEST_CLUSTER_ISSUER_CA_FILE ?? '', 'utf8'),
    clusterCaIssuer: env.CDKTF_CSR_TEST_CLUSTER_CA_ISSUER ?? '',
    selfSignedClusterIssuer: env.CDKTF_CSR_TEST_SELF_SIGNED_CLUSTER_ISSUER ?? '',
    manualApprovalNamespace: env.CDKTF_CSR_TEST_MANUAL_APPROVAL_NAMESPACE ?? '',
  };
}
