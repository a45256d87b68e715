import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROL_PLANE_VERSIONS } from './versions.js';

/** Paths of the three control-plane binaries. */
export interface ControlPlaneBinaries {
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly etcd: string;
}

const BINARY_NAMES = {
  kubeApiserver: 'kube-apiserver',
  kubeControllerManager: 'kube-controller-manager',
  etcd: 'etcd',
};

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), 'controlplane');
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function binariesIn(dir: string): ControlPlaneBinaries {
  return {
    kubeApiserver: join(dir, BINARY_NAMES.kubeApiserver),
    kubeControllerManager: join(dir, BINARY_NAMES.kubeControllerManager),
    etcd: join(dir, BINARY_NAMES.etcd),
  };
}

function allPresent(binaries: ControlPlaneBinaries): boolean {
  return [binaries.kubeApiserver, binaries.kubeControllerManager, binaries.etcd].every((path) => existsSync(path));
}

function goBinary(): string {
  const candidates = [process.env.GO, '/usr/local/go/bin/go'].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(c)) ?? 'go';
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A key for the build cache: changes whenever the wrapper module, its pins or the version stamps change. */
export function buildKey(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(CONTROL_PLANE_VERSIONS));
  for (const file of listFiles(moduleDir)) {
    hash.update(file.slice(moduleDir.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where built binaries are cached (git-ignored). CDKTF_CSR_CACHE_DIR overrides it. */
export function cacheRoot(): string {
  return process.env.CDKTF_CSR_CACHE_DIR ?? join(projectRoot, '.cache');
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void) {
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-8000);
      for (const line of text.split('\n')) if (line.trim()) log(`  go: ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
    });
  });
}

/**
 * Returns the control-plane binaries: from KUBEBUILDER_ASSETS when it names a folder holding all three, else from the
 * build cache, building them from the pinned Go modules first when the cache has no build for the current pins.
 */
export async function ensureControlPlaneBinaries(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ControlPlaneBinaries> {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets) {
    const fromAssets = binariesIn(assets);
    if (allPresent(fromAssets)) return fromAssets;
    log(`KUBEBUILDER_ASSETS=${assets} lacks one of ${Object.values(BINARY_NAMES).join(', ')}; building instead`);
  }
  const binDir = join(cacheRoot(), 'controlplane', buildKey());
  const cached = binariesIn(binDir);
  if (allPresent(cached)) return cached;

  const versions = CONTROL_PLANE_VERSIONS;
  log(
    `building kube-apiserver, kube-controller-manager ${versions.kubernetes} and etcd ${versions.etcd} from Go modules` +
      ' (a cold build takes a long while on 2 cores; later runs reuse the cache)',
  );
  const started = Date.now();
  const staging = `${binDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const versionPackage = 'k8s.io/component-base/version';
  const [major, minor] = versions.kubernetes.replace(/^v/, '').split('.');
  const ldflags = [
    '-s',
    '-w',
    `-X ${versionPackage}.gitVersion=${versions.kubernetes}`,
    `-X ${versionPackage}.gitMajor=${major}`,
    `-X ${versionPackage}.gitMinor=${minor}`,
    `-X ${versionPackage}.gitTreeState=clean`,
  ].join(' ');
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' };
  const ticker = setInterval(() => {
    log(`  still building (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 60_000);
  try {
    await run(
      goBinary(),
      ['build', '-trimpath', '-ldflags', ldflags, '-o', `${staging}/`, './cmd/...'],
      moduleDir,
      env,
      log,
    );
  } finally {
    clearInterval(ticker);
  }
  const built = binariesIn(staging);
  if (!allPresent(built)) throw new Error(`go build finished but ${staging} lacks a binary`);
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
  log(`built the control plane in ${Math.round((Date.now() - started) / 1000)} s into ${binDir}`);
  return cached;
}
