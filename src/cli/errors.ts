import { CsrRuntimeError } from '../runtime/errors.js';
import { CsrSpecError } from '../rules/index.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** Options of {@link CliError}. */
export interface CliErrorOptions {
  /** The exit code. @default EXIT_CODES.failure */
  readonly exitCode?: ExitCode;
  /** The lower-level error. @default - none */
  readonly cause?: unknown;
}

/** A failure the CLI reports as one line `kube-csr: <message>`, exiting with `exitCode`. */
export class CliError extends Error {
  /** The process exit code. */
  public readonly exitCode: ExitCode;

  public constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT_CODES.failure;
  }
}

/** A wrong command line: printed with the command's usage line, exit code 2. Nothing has been done yet. */
export class UsageError extends CliError {
  /** The command whose usage line to print, e.g. `issue`; none for the top level. */
  public readonly command?: string;

  public constructor(message: string, command?: string, cause?: unknown) {
    super(message, { exitCode: EXIT_CODES.usage, cause });
    this.name = 'UsageError';
    this.command = command;
  }
}

/** The exit code an error stands for. `interrupted` is true when SIGINT/SIGTERM aborted the command. */
export function exitCodeOf(error: unknown, interrupted: boolean): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (CsrRuntimeError.isCsrRuntimeError(error)) {
    switch (error.code) {
      case 'denied':
        return EXIT_CODES.denied;
      case 'timeout':
        return EXIT_CODES.timeout;
      case 'aborted':
        return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.failure;
      case 'invalid-spec':
        return EXIT_CODES.usage;
      default:
        return EXIT_CODES.failure;
    }
  }
  if (CsrSpecError.isCsrSpecError(error)) return EXIT_CODES.usage;
  if (interrupted && error instanceof Error && error.name === 'AbortError') return EXIT_CODES.interrupted;
  return EXIT_CODES.failure;
}

/**
 * A runtime error worded with this CLI's own remedy (its flags and commands) in place of the runtime's, which speaks
 * of library options: what happened, the remedy, and the clean-up note when there is one.
 */
export function withRemedy(error: CsrRuntimeError, remedy: string): string {
  return `${error.problem}; ${remedy}${error.cleanupError ? `\nalso: ${error.cleanupError.message}` : ''}`;
}

/** A message on one line: the layers' multi-line messages (spec violations, clean-up notes) joined with "; ". */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^- /, ''))
    .filter((line) => line.length > 0)
    .join('; ')
    .replace(/:;/g, ':');
}

/** The one-line message of any error, without a stack trace. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(String(error));
  let message = error.message || error.name;
  // The runtime says only "HTTP ?" for client-side failures that are neither an API answer nor a network error
  // (e.g. a kubeconfig client-node cannot use); the cause says what happened.
  if (/: HTTP \?$/.test(message) && error.cause instanceof Error && error.cause.message) {
    message += ` (${error.cause.message})`;
  }
  return oneLine(message);
}

/** The stack of an error and of its causes, for KUBE_CSR_DEBUG=1. */
export function debugTextOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
