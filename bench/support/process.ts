import { spawn, spawnSync } from 'node:child_process';

/** The outcome of {@link runTimed}. */
export interface TimedRun {
  /** Wall time from spawn to exit, in ms (process start included). */
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion and measures its wall time from spawn to exit. Never throws for a non-zero exit:
 * callers check `code` (use {@link mustSucceed}).
 */
export function runTimed(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly input?: string } = {},
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Throws with the command's stderr when it failed. */
export function mustSucceed(run: TimedRun, what: string): TimedRun {
  if (run.code !== 0) {
    throw new Error(`${what} exited with code ${String(run.code)}: ${run.stderr.trim().slice(0, 2000)}`);
  }
  return run;
}

/** The first line of a command's output, or `not found` when it cannot be run. */
export function versionOf(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return 'not found';
  return (result.stdout || result.stderr).trim().split('\n')[0]?.trim() || 'not found';
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
