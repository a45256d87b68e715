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

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A key for a wrapper module's build: changes whenever its files, its pins or its version stamps change. */
export function wrapperBuildKey(dir: string, pins: unknown): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(pins));
  for (const file of listFiles(dir)) {
    hash.update(file.slice(dir.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** A key for the control plane's build cache: changes whenever the wrapper module, its pins or the stamps change. */
export function buildKey(): string {
  return wrapperBuildKey(moduleDir, CONTROL_PLANE_VERSIONS);
}

/** Where built binaries are cached (git-ignored). CDKTF_CSR_CACHE_DIR overrides it. */
export function cacheRoot(): string {
  return process.env.CDKTF_CSR_CACHE_DIR ?? join(projectRoot, '.cache');
}

/** The Go binary: $GO, else /usr/local/go/bin/go, else `go` on PATH. */
export function goBinary(): string {
  const candidates = [process.env.GO, '/usr/local/go/bin/go'].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(c)) ?? 'go';
}

/** Runs a command, logging its output line by line; rejects with the output's tail when it fails. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
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

/** A Go wrapper module of this project (a small main of its own over upstream modules) and what its build makes. */
export interface GoWrapperBuild {
  /** What is built, for the log, e.g. "cert-manager's controllers v1.21.2". */
  readonly description: string;
  /** The module's folder. */
  readonly moduleDir: string;
  /** The folder under {@link cacheRoot} that holds one build per key, e.g. 'controlplane'. */
  readonly cacheName: string;
  /** Values besides the module's files that change the build (pinned versions, stamps). */
  readonly pins: unknown;
  /** The files (paths relative to the build folder) the build makes; it counts as done when all are there. */
  readonly outputs: readonly string[];
  /** -ldflags. @default '-s -w' */
  readonly ldflags?: string;
  /** Puts more files into the build folder before it is published (e.g. files taken from a module). */
  readonly addFiles?: (dir: string, env: NodeJS.ProcessEnv) => Promise<void>;
}

/**
 * Returns the folder of a wrapper module's build, building it first when the cache has none for the current key.
 * The build goes to a staging folder that is renamed into place when complete, so an interrupted build is never
 * taken for a finished one. Progress goes to `log`, with a line every minute while Go works.
 */
export async function ensureGoWrapperBuild(
  build: GoWrapperBuild,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const binDir = join(cacheRoot(), build.cacheName, wrapperBuildKey(build.moduleDir, build.pins));
  const complete = (dir: string) => build.outputs.every((name) => existsSync(join(dir, name)));
  if (complete(binDir)) return binDir;

  log(
    `building ${build.description} from Go modules (a cold build takes minutes on 2 cores; later runs reuse ${binDir})`,
  );
  const started = Date.now();
  const staging = `${binDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' };
  const ticker = setInterval(() => {
    log(`  still building ${build.description} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 60_000);
  try {
    await run(
      goBinary(),
      ['build', '-trimpath', '-ldflags', build.ldflags ?? '-s -w', '-o', `${staging}/`, './cmd/...'],
      build.moduleDir,
      env,
      log,
    );
    await build.addFiles?.(staging, env);
  } finally {
    clearInterval(ticker);
  }
  if (!complete(staging)) throw new Error(`go build finished but ${staging} lacks one of ${build.outputs.join(', ')}`);
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
  log(`built ${build.description} in ${Math.round((Date.now() - started) / 1000)} s into ${binDir}`);
  return binDir;
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
  const versions = CONTROL_PLANE_VERSIONS;
  const versionPackage = 'k8s.io/component-base/version';
  const [major, minor] = versions.kubernetes.replace(/^v/, '').split('.');
  const dir = await ensureGoWrapperBuild(
    {
      description: `kube-apiserver, kube-controller-manager ${versions.kubernetes} and etcd ${versions.etcd}`,
      moduleDir,
      cacheName: 'controlplane',
      pins: versions,
      outputs: Object.values(BINARY_NAMES),
      ldflags: [
        '-s',
        '-w',
        `-X ${versionPackage}.gitVersion=${versions.kubernetes}`,
        `-X ${versionPackage}.gitMajor=${major}`,
        `-X ${versionPackage}.gitMinor=${minor}`,
        `-X ${versionPackage}.gitTreeState=clean`,
      ].join(' '),
    },
    log,
  );
  return binariesIn(dir);
}
