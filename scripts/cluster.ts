// npm run cluster -- up|down|status|env [--name NAME] [--with cert-manager [--without-approver]]: a local control
// plane that outlives the command.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../dev/cluster/binaries.js';
import { isAlive, LocalCluster, terminate, type ClusterState } from '../dev/cluster/local-cluster.js';

const USAGE = `usage: npm run cluster -- <up|down|status|env> [--name NAME] [--with cert-manager [--without-approver]]

  up       build the binaries if needed, start etcd, kube-apiserver and kube-controller-manager on loopback
           --with cert-manager: also build and run cert-manager's controllers, with its CRDs, CA ClusterIssuers
           kube-csr-test-ca (a CA of its own) and kube-csr-test-cluster-ca (the cluster CA: its client
           certificates authenticate) and a SelfSigned one (kube-csr-test-selfsigned); the approver approves every
           CertificateRequest except in namespace kube-csr-manual-approval (--without-approver: none)
  down     stop every process the cluster started and remove its folder
  status   say what runs
  env      print KUBECONFIG=<admin kubeconfig> (use: export "$(npm run -s cluster -- env)")

Several clusters may run at once: give each a --name (default: default).`;

function stateFile(name: string): string {
  return join(cacheRoot(), 'clusters', `${name}.json`);
}

function readState(name: string): ClusterState | undefined {
  const file = stateFile(name);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const nameIndex = rest.indexOf('--name');
  const name = nameIndex >= 0 ? rest[nameIndex + 1] : 'default';
  const withIndex = rest.indexOf('--with');
  const addOn = withIndex >= 0 ? rest[withIndex + 1] : undefined;
  if (withIndex >= 0 && addOn !== 'cert-manager') {
    process.stderr.write(`--with takes cert-manager (the only add-on), not ${JSON.stringify(addOn ?? '')}\n${USAGE}\n`);
    return 2;
  }
  const withoutApprover = rest.includes('--without-approver');
  if (withoutApprover && addOn !== 'cert-manager') {
    process.stderr.write(`--without-approver goes with --with cert-manager\n${USAGE}\n`);
    return 2;
  }
  if (!name || !/^[a-z0-9-]+$/.test(name)) {
    process.stderr.write(`--name must be lowercase letters, digits and '-'\n${USAGE}\n`);
    return 2;
  }
  switch (command) {
    case 'up': {
      const existing = readState(name);
      if (existing && Object.values(existing.pids).some(isAlive)) {
        process.stderr.write(`cluster ${name} is already up at ${existing.server}\n`);
        process.stdout.write(`KUBECONFIG=${existing.kubeconfig}\n`);
        return 0;
      }
      const cluster = await LocalCluster.start({
        name,
        detached: true,
        ...(addOn === 'cert-manager' ? { certManager: { approver: !withoutApprover } } : {}),
      });
      mkdirSync(join(cacheRoot(), 'clusters'), { recursive: true });
      writeFileSync(stateFile(name), JSON.stringify(cluster.state(), null, 2));
      const certManager = cluster.certManager;
      if (certManager) {
        process.stderr.write(
          `cert-manager: ClusterIssuers ${certManager.clusterIssuer} (CA certificate ${certManager.caFile}), ` +
            `${certManager.clusterCaIssuer}, ${certManager.selfSignedClusterIssuer}; manual approval in namespace ` +
            `${certManager.manualApprovalNamespace}\n`,
        );
      }
      process.stdout.write(`KUBECONFIG=${cluster.kubeconfig}\n`);
      return 0;
    }
    case 'down': {
      const state = readState(name);
      if (!state) {
        process.stderr.write(`cluster ${name} is not up\n`);
        return 0;
      }
      for (const component of ['cert-manager', 'kube-controller-manager', 'kube-apiserver', 'etcd'] as const) {
        await terminate(state.pids[component]);
      }
      rmSync(state.dir, { recursive: true, force: true });
      rmSync(stateFile(name), { force: true });
      process.stderr.write(`cluster ${name} stopped\n`);
      return 0;
    }
    case 'status': {
      const names = existsSync(join(cacheRoot(), 'clusters'))
        ? readdirSync(join(cacheRoot(), 'clusters')).map((file) => file.replace(/\.json$/, ''))
        : [];
      if (names.length === 0) process.stdout.write('no cluster is up\n');
      for (const each of names) {
        const state = readState(each);
        if (!state) continue;
        const parts = Object.entries(state.pids).map(
          ([c, pid]) => `${c} pid ${pid} ${isAlive(pid) ? 'running' : 'GONE'}`,
        );
        process.stdout.write(`${each}: ${state.server}\n  ${parts.join('\n  ')}\n  KUBECONFIG=${state.kubeconfig}\n`);
      }
      return 0;
    }
    case 'env': {
      const state = readState(name);
      if (!state) {
        process.stderr.write(`cluster ${name} is not up: run npm run cluster -- up\n`);
        return 1;
      }
      process.stdout.write(`KUBECONFIG=${state.kubeconfig}\n`);
      return 0;
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`${command ? `unknown command ${command}\n` : ''}${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
