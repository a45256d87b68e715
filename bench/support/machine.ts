import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, version } from 'node:os';
import { join } from 'node:path';
import { CONTROL_PLANE_VERSIONS } from '../../dev/cluster/versions.js';
import type { MachineDescription } from './results.js';
import { versionOf } from './process.js';

/** The packages whose versions are recorded with the results. */
const PACKAGES = ['cdktf', 'constructs', '@cdktf/provider-kubernetes', '@kubernetes/client-node', 'node-forge', 'tsx'];

function packageVersion(repoRoot: string, name: string): string {
  try {
    const json = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return json.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** The go binary: $GO, else the one on PATH, else /usr/local/go/bin/go. */
export function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  const onPath = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (!onPath.error && onPath.status === 0) return 'go';
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/** Describes the machine and toolchain a run happens on. */
export function describeMachine(repoRoot: string): MachineDescription {
  const cpuList = cpus();
  const components: Record<string, string> = {};
  for (const name of PACKAGES) components[name] = packageVersion(repoRoot, name);
  components['kube-apiserver / kube-controller-manager'] = CONTROL_PLANE_VERSIONS.kubernetes;
  components.etcd = CONTROL_PLANE_VERSIONS.etcd;
  return {
    cpuModel: cpuList[0]?.model.trim() || 'unknown',
    cores: cpuList.length,
    availableParallelism: availableParallelism(),
    memoryBytes: totalmem(),
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    kernelVersion: version(),
    node: process.version,
    nodeOpenssl: process.versions.openssl ?? 'unknown',
    openssl: versionOf('openssl', ['version']),
    go: versionOf(goBinary(), ['version']),
    kubectl: existsSync('/usr/bin/kubectl')
      ? versionOf('/usr/bin/kubectl', ['version', '--client']).replace(/^Client Version:\s*/, '')
      : 'not found',
    components,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** The commit checked out, and whether the work tree has changes (other people's included). */
export function gitState(repoRoot: string): { commit: string; dirty: boolean } {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' });
  return {
    commit: head.status === 0 ? head.stdout.trim() : 'unknown',
    dirty: status.status === 0 ? status.stdout.trim() !== '' : true,
  };
}
