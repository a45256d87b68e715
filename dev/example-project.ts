import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TerraformBinary } from './toolchain/terraform.js';
import type { ProviderMirror } from './toolchain/provider-mirror.js';

const root = resolve(import.meta.dirname, '..');

/** One example app set up in its own folder, driven by the real cdktf CLI. */
export interface ExampleProject {
  readonly dir: string;
  readonly outdir: string;
  /**
   * Runs `cdktf <args>` there; resolves with the exit code and the output. Asynchronous on purpose: a signer or
   * approver running in the test process must keep working while Terraform waits.
   */
  cdktf(args: readonly string[], extraEnv?: Record<string, string>): Promise<{ status: number | null; output: string }>;
  /**
   * Starts `cdktf <args>` in a process group of its own, as a terminal would run it, so a test can send the group
   * a Ctrl-C (`process.kill(-child.pid, 'SIGINT')`). `finished` resolves like {@link cdktf}.
   */
  start(
    args: readonly string[],
    extraEnv?: Record<string, string>,
  ): { readonly child: ChildProcess; readonly finished: Promise<{ status: number | null; output: string }> };
}

/**
 * Writes a cdktf.json in `dir` for examples/<example>/main.ts and returns a runner for the real cdktf CLI, with
 * Terraform (or OpenTofu) and the provider mirror wired in through the environment, so `init` never contacts a
 * registry.
 */
export function exampleProject(
  example: string,
  dir: string,
  terraform: TerraformBinary,
  mirror: ProviderMirror,
  env: Record<string, string>,
): ExampleProject {
  return appProject(join(root, 'examples', example, 'main.ts'), dir, terraform, mirror, env);
}

/** Same as {@link exampleProject} for any cdktf app file of this repository (e.g. one a test keeps beside it). */
export function appProject(
  appFile: string,
  dir: string,
  terraform: TerraformBinary,
  mirror: ProviderMirror,
  env: Record<string, string>,
): ExampleProject {
  mkdirSync(dir, { recursive: true });
  const outdir = join(dir, 'cdktf.out');
  writeFileSync(
    join(dir, 'cdktf.json'),
    JSON.stringify({
      language: 'typescript',
      app: `${join(root, 'node_modules/.bin/tsx')} ${appFile}`,
      output: outdir,
      sendCrashReports: 'false',
    }),
  );
  const start = (args: readonly string[], extraEnv: Record<string, string> = {}) => {
    const child = spawn(join(root, 'node_modules/.bin/cdktf'), args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        ...env,
        ...extraEnv,
        CI: '1',
        CHECKPOINT_DISABLE: '1',
        TERRAFORM_BINARY_NAME: terraform.path,
        ...mirror.env,
        TF_CLI_CONFIG_FILE: mirror.cliConfigFile,
        TF_IN_AUTOMATION: '1',
      },
    });
    const finished = new Promise<{ status: number | null; output: string }>((resolvePromise, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGTERM'), 600_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolvePromise({ status, output });
      });
    });
    return { child, finished };
  };
  return {
    dir,
    outdir,
    cdktf: (args, extraEnv) => start(args, extraEnv).finished,
    start,
  };
}

/** Every file under `dir` (recursively), for secret scans of cdktf.out, state files and the .terraform folder. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => statSync(file).size < 8 * 1024 * 1024 && !file.includes('/providers/'));
}

/** The files among `files` whose text contains `needle`. */
export function filesContaining(files: readonly string[], needle: string): string[] {
  return files.filter((file) => readFileSync(file, 'latin1').includes(needle));
}

/** One audit event of the API server, as much as the tests read. */
export interface AuditEvent {
  readonly verb: string;
  readonly user: { readonly username: string; readonly groups?: string[] };
  readonly objectRef?: { readonly resource?: string; readonly name?: string; readonly namespace?: string };
  readonly responseStatus?: { readonly code?: number };
}

/** The audit events in the API server's JSON-lines audit log. */
export function auditEvents(auditLog: string): AuditEvent[] {
  return readFileSync(auditLog, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AuditEvent);
}

/**
 * Resolves once every request the API server answered before this call is in its audit log. The API server writes
 * an event after the response (stage ResponseComplete), so a test that reads the log right after a command may miss
 * the last events: this makes a marker request of its own (a ConfigMap create and delete, which the policy records)
 * and waits for the marker's events. Bounded by `attempts` polls 100 ms apart, far more than the write takes.
 */
export async function auditLogSettled(admin: KubeConfig, auditLog: string, attempts = 600): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  const name = `audit-marker-${randomBytes(4).toString('hex')}`;
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } });
  await core.deleteNamespacedConfigMap({ namespace: 'default', name });
  for (let i = 0; i < attempts; i++) {
    const marked = auditEvents(auditLog).some(
      (event) => event.verb === 'delete' && event.objectRef?.resource === 'configmaps' && event.objectRef.name === name,
    );
    if (marked) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the audit log ${auditLog} never recorded the marker ConfigMap ${name}`);
}
