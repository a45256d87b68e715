// npm test: starts one shared local control plane with cert-manager's controllers, runs every test file with node's
// test runner, stops the cluster. CDKTF_CSR_TEST_KUBECONFIG=<file> points the tests at an existing cluster instead
// (nothing is started or stopped; the cert-manager tests then need the CDKTF_CSR_TEST_CERT_MANAGER variables below).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCluster } from '../dev/cluster/local-cluster.js';

function testFiles(filters: string[]): string[] {
  const files = readdirSync('test', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return filters.length === 0 ? files : files.filter((file) => filters.some((filter) => file.includes(filter)));
}

async function main(): Promise<number> {
  const files = testFiles(process.argv.slice(2));
  if (files.length === 0) {
    process.stderr.write('no test file matched\n');
    return 1;
  }
  let cluster: LocalCluster | undefined;
  const env = { ...process.env };
  if (!env.CDKTF_CSR_TEST_KUBECONFIG) {
    cluster = await LocalCluster.start({ name: 'npm-test', certManager: { approver: true } });
    env.CDKTF_CSR_TEST_KUBECONFIG = cluster.kubeconfig;
    env.CDKTF_CSR_TEST_CA_FILE = cluster.pki.ca.certFile;
    const certManager = cluster.certManager;
    if (certManager) {
      env.CDKTF_CSR_TEST_CERT_MANAGER = '1';
      env.CDKTF_CSR_TEST_CLUSTER_ISSUER = certManager.clusterIssuer;
      env.CDKTF_CSR_TEST_CLUSTER_ISSUER_CA_FILE = certManager.caFile;
      env.CDKTF_CSR_TEST_CLUSTER_CA_ISSUER = certManager.clusterCaIssuer;
      env.CDKTF_CSR_TEST_SELF_SIGNED_CLUSTER_ISSUER = certManager.selfSignedClusterIssuer;
      env.CDKTF_CSR_TEST_MANUAL_APPROVAL_NAMESPACE = certManager.manualApprovalNamespace;
    }
  }
  const stopCluster = () => cluster?.stop();
  process.once('SIGINT', () => void stopCluster());
  process.once('SIGTERM', () => void stopCluster());
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
        stdio: 'inherit',
        env,
      });
      child.on('close', (exitCode) => resolve(exitCode ?? 1));
    });
    if (code !== 0 && cluster) cluster.printLogs();
    return code;
  } finally {
    await stopCluster();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
