import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CertificatesV1Api } from '@kubernetes/client-node';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';

/** The built CLI: the tests run what `npm run build` produced, as users run it. */
export const CLI = fileURLToPath(new URL('../../lib/cli/main.js', import.meta.url));

/** What a finished `kube-csr` process left. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli} and {@link startCli}. */
export interface CliOptions {
  /** Extra environment; KUBECONFIG is the shared test cluster's admin kubeconfig unless set here. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Written to stdin, then stdin is closed. @default - stdin closed at once */
  readonly input?: string | Buffer;
  /** Kill the process after this long: a guard against a hung process, far beyond any run's length. @default 120000 */
  readonly timeoutMs?: number;
}

/** A running `kube-csr` process. */
export interface StartedCli {
  readonly child: ChildProcess;
  /** Resolves when stderr so far matches `pattern`, with the match (rejects after `timeoutMs`, default 60 s). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  readonly done: Promise<CliRun>;
}

// Text that must never appear in the CLI's output: PEM private keys, and their base64 (as in client-key-data).
const KEY_MARKERS = [
  /PRIVATE KEY/,
  /LS0tLS1CRUdJTiBQUklWQVRF/,
  /LS0tLS1CRUdJTiBFQyBQUklWQVRF/,
  /LS0tLS1CRUdJTiBSU0EgUFJJVkFURS/,
];

/** Fails when stdout or stderr of a run carries private key text. */
export function assertNoKeyMaterial(run: CliRun, keyPems: readonly string[] = []): void {
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    for (const marker of KEY_MARKERS) assert.doesNotMatch(text, marker, `${stream} shows private key text`);
    for (const pem of keyPems) {
      const body = pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
      for (const line of body) assert.ok(!text.includes(line), `${stream} shows a line of a private key`);
      assert.ok(
        !text.includes(Buffer.from(pem).toString('base64').slice(0, 60)),
        `${stream} shows a base64 private key`,
      );
    }
  }
}

/** Starts `node lib/cli/main.js ...args`. Every run is checked for key material when it ends. */
export function startCli(args: readonly string[], options: CliOptions = {}): StartedCli {
  if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` first (npm test does)`);
  const ownKubeconfig = options.env !== undefined && 'KUBECONFIG' in options.env;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KUBE_CSR_DEBUG;
  if (!ownKubeconfig) env.KUBECONFIG = sharedKubeconfigPath();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  child.stdin.end(options.input ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      for (const listener of listeners) listener();
      const run = { code, signal, stdout, stderr };
      try {
        assertNoKeyMaterial(run);
        resolve(run);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  const waitForStderr = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      let finished = false;
      const check = () => {
        const match = pattern.exec(stderr);
        if (finished) return;
        if (match) {
          finished = true;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          finished = true;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`kube-csr exited before stderr matched ${pattern}; stderr:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finished = true;
        listeners.delete(check);
        reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { child, waitForStderr, done };
}

/** Runs `node lib/cli/main.js ...args` to the end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/** Formats a run for assertion messages. */
export function show(run: CliRun): string {
  return `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

/** A marker unique to this test process; every name a test creates contains it. */
export const RUN_ID = randomBytes(3).toString('hex');

/** A name unique to this run, e.g. `cli-3fa9c1-deny`: users, namespaces, roles and CSRs of one test. */
export function uniqueName(label: string): string {
  return `cli-${RUN_ID}-${label}`;
}

/** The admin client of the shared cluster's CSRs. */
export function adminCertificatesApi(): CertificatesV1Api {
  return sharedKubeConfig().makeApiClient(CertificatesV1Api);
}

/** Names of the CertificateSigningRequests on the cluster that contain `marker`. */
export async function csrNamesContaining(marker: string): Promise<string[]> {
  const list = await adminCertificatesApi().listCertificateSigningRequest();
  return list.items.map((csr) => csr.metadata?.name ?? '').filter((name) => name.includes(marker));
}

/**
 * Re-reads a CertificateSigningRequest until its signer has issued the certificate (kube-controller-manager signs
 * an approved request in milliseconds; this gives up only after a minute).
 */
export async function waitUntilIssued(name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await adminCertificatesApi().readCertificateSigningRequest({ name })).status?.certificate) {
    if (Date.now() > deadline) throw new Error(`CertificateSigningRequest ${name} was not issued within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fails when a CertificateSigningRequest of this test run is still on the cluster. */
export async function assertNoCsrLeft(marker = `cli-${RUN_ID}-`): Promise<void> {
  assert.deepEqual(await csrNamesContaining(marker), [], 'a CertificateSigningRequest of this test is left over');
}

/** A temporary folder, removed by `dispose`. */
export function scratchDir(): { readonly dir: string; path(...parts: string[]): string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-csr-cli-'));
  return { dir, path: (...parts) => join(dir, ...parts), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The first line of stderr, and checks that an error run printed no stack trace. */
export function errorLine(run: CliRun): string {
  assert.doesNotMatch(run.stderr, /^\s+at /m, `stack trace on stderr:\n${run.stderr}`);
  const line = run.stderr.split('\n').find((l) => l.startsWith('kube-csr: ')) ?? '';
  assert.ok(line, `no "kube-csr: ..." line on stderr:\n${run.stderr}`);
  return line;
}
