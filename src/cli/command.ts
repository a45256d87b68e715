import { UsageError } from './errors.js';
import { COMMON_FLAGS, parseFlags, wantsHelp, type FlagSpecs, type FlagValues } from './flags.js';
import { EXIT_CODES } from './exit-codes.js';
import type { OutputStreams } from './output.js';

/** What a command runs with: the process's streams and environment, and the Ctrl-C signal. */
export interface CliContext extends OutputStreams {
  readonly stdin: NodeJS.ReadableStream;
  /** Aborted on SIGINT/SIGTERM for commands that are `abortable`. */
  readonly signal: AbortSignal;
}

/** A command as main.ts dispatches it. */
export interface Command {
  /** The word after `kube-csr`. */
  readonly name: string;
  /** One line for `kube-csr --help`. */
  readonly summary: string;
  /** The usage line, printed with usage errors. */
  readonly usage: string;
  /** Full help: usage, description, flags, examples. */
  readonly help: string;
  /** Whether Ctrl-C aborts it through `signal` (it cleans up) rather than ending the process at once. */
  readonly abortable: boolean;
  /** The long names of every flag it takes (for the help-text test). */
  readonly flagNames: readonly string[];
  /** Runs it; resolves with the exit code, or rejects with an error main.ts reports. */
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
}

/** How a command is defined: its flags as data, and a typed run function. */
export interface CommandDefinition<O extends FlagSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Help text after the usage line: description, flags, examples. */
  readonly details: string;
  readonly flags: O;
  /** Positional arguments. @default none */
  readonly positionals?: { readonly min: number; readonly max: number; readonly names: string };
  /** @default false */
  readonly abortable?: boolean;
  run(
    args: { readonly values: FlagValues<O & typeof COMMON_FLAGS>; readonly positionals: readonly string[] },
    ctx: CliContext,
  ): Promise<number>;
}

/** Builds a {@link Command}: `-h`/`--help` prints the help, flags are parsed with node:util parseArgs. */
export function defineCommand<O extends FlagSpecs>(definition: CommandDefinition<O>): Command {
  const flags = { ...definition.flags, ...COMMON_FLAGS };
  const help = `Usage:\n  ${definition.usage}\n\n${definition.details.trim()}\n`;
  return {
    name: definition.name,
    summary: definition.summary,
    usage: definition.usage,
    help,
    abortable: definition.abortable ?? false,
    flagNames: Object.keys(flags),
    async run(argv, ctx) {
      if (wantsHelp(argv)) {
        ctx.stdout.write(help);
        return EXIT_CODES.ok;
      }
      const parsed = parseFlags(definition.name, argv, flags, definition.positionals ?? { min: 0, max: 0, names: '' });
      return definition.run(parsed, ctx);
    },
  };
}

/** A usage error of `command`. */
export function usageError(command: string, message: string): UsageError {
  return new UsageError(message, command);
}
