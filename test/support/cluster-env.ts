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
