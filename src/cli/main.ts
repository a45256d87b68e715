#!/usr/bin/env node
/**
 * `kube-csr`: Kubernetes CertificateSigningRequests from the command line, on the same PKI, spec rules and runtime
 * as the cdktf constructs.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { approveCommand } from './commands/approve.js';
import { csrCommand } from './commands/csr.js';
import { denyCommand } from './commands/deny.js';
import { gcCommand } from './commands/gc.js';
import { getCommand } from './commands/get.js';
import { inspectCommand } from './commands/inspect.js';
import { issueCommand } from './commands/issue.js';
import { providerCommand } from './commands/provider.js';
import type { CliContext, Command } from './command.js';
import { CsrRuntimeError } from '../runtime/errors.js';
import { CliError, debugTextOf, exitCodeOf, messageOf, UsageError } from './errors.js';
import { EXIT_CODES, EXIT_CODES_HELP } from './exit-codes.js';

export { EXIT_CODES } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';

/** Every command, in the order `kube-csr --help` lists them. */
export const COMMANDS: readonly Command[] = [
  issueCommand,
  csrCommand,
  inspectCommand,
  approveCommand,
  denyCommand,
  getCommand,
  gcCommand,
  providerCommand,
];

/** The package version, from package.json (two folders up from both src/cli and lib/cli). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `kube-csr --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `kube-csr ${version()}: Kubernetes CertificateSigningRequests from the command line

Usage:
  kube-csr <command> [flags]
  kube-csr <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Flags:
  -h, --help      show help (also after any command)
  --version       print the version

Cluster commands (issue, approve, deny, get, gc) find the cluster like kubectl: --kubeconfig FILE, else
$KUBECONFIG, else ~/.kube/config, else the in-cluster service account; --context NAME picks a context.
Results go to stdout (one JSON document with --json); progress, warnings and errors go to stderr.

${EXIT_CODES_HELP}

Environment:
  KUBECONFIG       kubeconfig file(s), as for kubectl
  KUBE_CSR_DEBUG   1 to print stack traces with errors
  NO_COLOR         any value to print no colours

Example:
  kube-csr issue --user jane --group developers --approve --role view --namespace dev
`;
}

/** The process's streams, environment and Ctrl-C signal, for {@link runCli}. */
export interface RunOptions {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. @default - never aborted */
  readonly signal?: AbortSignal;
}

function usageHint(command: Command | undefined): string {
  return command
    ? `usage: ${command.usage}\nRun 'kube-csr ${command.name} --help' for all flags and examples.\n`
    : "usage: kube-csr <command> [flags]\nRun 'kube-csr --help' for the commands.\n";
}

/** Runs `kube-csr` with `argv` (without node and the script); resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const stderrIsTTY = stderr.isTTY === true;
  const signal = options.signal ?? new AbortController().signal;
  const ctx: CliContext = {
    stdout,
    stderr,
    stdin: options.stdin ?? process.stdin,
    stderrIsTTY,
    color: stderrIsTTY && env.NO_COLOR === undefined,
    signal,
  };
  const [first, ...rest] = argv;
  if (first === undefined) {
    stderr.write(`kube-csr: no command given\n${usageHint(undefined)}`);
    return EXIT_CODES.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    stdout.write(topic ? topic.help : mainHelp());
    return EXIT_CODES.ok;
  }
  if (first === '--version' || first === 'version') {
    stdout.write(`${version()}\n`);
    return EXIT_CODES.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  try {
    if (!command) {
      throw new UsageError(
        first.startsWith('-') ? `unknown flag ${first} (flags go after the command)` : `unknown command "${first}"`,
      );
    }
    return await command.run(rest, ctx);
  } catch (error) {
    const code = exitCodeOf(error, signal.aborted);
    stderr.write(
      `kube-csr: ${code === EXIT_CODES.interrupted ? interruptedMessage(error, signal) : messageOf(error)}\n`,
    );
    if (error instanceof UsageError) {
      stderr.write(usageHint(COMMANDS.find((c) => c.name === error.command) ?? command));
    }
    if (env.KUBE_CSR_DEBUG === '1' || env.KUBE_CSR_DEBUG === 'true') stderr.write(`${debugTextOf(error)}\n`);
    return code;
  }
}

/** Why the command stopped after Ctrl-C, and what became of its CertificateSigningRequest. */
function interruptedMessage(error: unknown, signal: AbortSignal): string {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
  if (!CsrRuntimeError.isCsrRuntimeError(error) || !error.csrName) return reason;
  return error.cleanupError
    ? `${reason}; could not delete CertificateSigningRequest ${error.csrName}: ${messageOf(error.cleanupError)}`
    : `${reason}; deleted CertificateSigningRequest ${error.csrName}`;
}

/** The command named by argv, to decide how Ctrl-C is handled. */
function commandOf(argv: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.name === argv[0]);
}

function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.write('', () => resolve())) stream.once('drain', () => resolve());
  });
}

/** The process entry point: signals, exit code. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const controller = new AbortController();
  const command = commandOf(argv);
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1 && command?.abortable && !argv.some((a) => a === '-h' || a === '--help')) {
      // The command cleans up (the runtime deletes the CertificateSigningRequest), then exits with 130.
      controller.abort(new CliError(`interrupted by ${name}`, { exitCode: EXIT_CODES.interrupted }));
      return;
    }
    process.stderr.write(`\nkube-csr: interrupted by ${name}\n`);
    process.exit(EXIT_CODES.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(argv, { signal: controller.signal });
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(controller.signal.aborted && code !== EXIT_CODES.ok ? EXIT_CODES.interrupted : code);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
