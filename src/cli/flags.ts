import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KEY_TYPES, type KeyType } from '../pki/index.js';
import { parseGoDuration, type DurationSyntax } from '../rules/index.js';
import { UsageError } from './errors.js';

/** One flag, as node:util parseArgs takes it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** May be given more than once; the values are collected in order. @default false */
  readonly multiple?: boolean;
  /** One-letter alias. @default - none */
  readonly short?: string;
}

/** The flags of a command, by long name. */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The parsed values of `O`: strings or booleans, arrays for `multiple`, undefined when not given. */
export type FlagValues<O extends FlagSpecs> = {
  readonly [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? O[K]['multiple'] extends true
      ? boolean[]
      : boolean
    : O[K]['multiple'] extends true
      ? string[]
      : string;
};

/** Flags every command takes. */
export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

/** Flags of every command that talks to a cluster, as kubectl has them. */
export const CLUSTER_FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const satisfies FlagSpecs;

/** The help text of {@link CLUSTER_FLAGS}. */
export const CLUSTER_FLAGS_HELP = `Cluster flags (as kubectl):
  --kubeconfig FILE   kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)
  --context NAME      kubeconfig context to use (default: its current-context)`;

/** The `--json` flag. */
export const JSON_FLAG = {
  json: { type: 'boolean' },
} as const satisfies FlagSpecs;

/** Whether argv asks for help (`-h`/`--help` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

function reword(error: unknown, flags: FlagSpecs): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = quoted.split('=')[0] ?? quoted;
      return `unknown flag ${flag}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = quoted.split(/[ =]/)[0] ?? quoted;
      const name = flag.replace(/^-+/, '');
      const spec = flags[name] ?? Object.entries(flags).find(([, f]) => f.short === name)?.[1];
      return spec?.type === 'boolean' ? `flag ${flag} takes no value` : `flag ${flag} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}`;
    default:
      return text;
  }
}

/**
 * Parses a command's argv with node:util parseArgs (strict). Wrong input becomes a {@link UsageError} naming the flag.
 * A string flag given an empty value is refused too (parseArgs itself refuses `--user --approve`).
 */
export function parseFlags<O extends FlagSpecs>(
  command: string,
  argv: readonly string[],
  flags: O,
  positionals: { readonly min: number; readonly max: number; readonly names: string },
): { values: FlagValues<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    const options: ParseArgsConfig['options'] = flags;
    parsed = parseArgs({ args: [...argv], options, allowPositionals: positionals.max > 0, strict: true });
  } catch (error) {
    throw new UsageError(reword(error, flags), command, error);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof item !== 'string') continue;
      if (item.trim() === '') throw new UsageError(`flag --${name} needs a non-empty value`, command);
    }
  }
  if (parsed.positionals.length < positionals.min) {
    throw new UsageError(`missing argument ${positionals.names}`, command);
  }
  if (parsed.positionals.length > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max);
    throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, command);
  }
  return { values: parsed.values as FlagValues<O>, positionals: parsed.positionals };
}

/** The value of a required flag, or a usage error naming it. */
export function required(command: string, flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`missing required flag --${flag}`, command);
  return value;
}

/** The flags' durations: digits with units ms, s, m, h and d, run together ("1h30m"). */
const FLAG_DURATION: DurationSyntax = { units: ['ms', 's', 'm', 'h', 'd'], numbers: 'plain' };

/** Formats milliseconds the way durations are given: `10m`, `1h30m`, `90s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let rest = Math.round(ms / 1000);
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}

/** Limits of {@link parseDuration}. */
export interface DurationLimits {
  /** Smallest value allowed, in ms. @default 1 */
  readonly minMs?: number;
  /** Largest value allowed, in ms. @default - no limit */
  readonly maxMs?: number;
  /** Why the minimum, for the message, e.g. `the API's minimum for spec.expirationSeconds`. @default - none */
  readonly minReason?: string;
}

/**
 * Parses a duration like `90s`, `2m`, `1h`, `24h`, `1h30m`, `30d` or `500ms` into milliseconds. The error names the
 * flag, the value received and what is allowed.
 */
export function parseDuration(command: string, flag: string, text: string, limits: DurationLimits = {}): number {
  const minMs = limits.minMs ?? 1;
  const allowed =
    `a duration such as 90s, 2m, 1h or 24h (units ms, s, m, h, d) of at least ${formatDuration(minMs)}` +
    (limits.minReason ? ` (${limits.minReason})` : '') +
    (limits.maxMs === undefined ? '' : ` and at most ${formatDuration(limits.maxMs)}`);
  const fail = (problem: string) =>
    new UsageError(`invalid value ${JSON.stringify(text)} for --${flag}: ${problem}; allowed: ${allowed}`, command);
  const parsed = parseGoDuration(text, FLAG_DURATION);
  if (!('ms' in parsed)) {
    throw fail(/^\d+(\.\d+)?$/.test(text.trim()) ? 'a number needs a unit' : 'not a duration');
  }
  const ms = Math.round(parsed.ms);
  if (ms < minMs) throw fail('too short');
  if (limits.maxMs !== undefined && ms > limits.maxMs) throw fail('too long');
  return ms;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses an RFC 3339 time such as `2026-11-29T10:00:00Z` (the form of metadata.creationTimestamp). The error names
 * the flag, the value received and what is allowed.
 */
export function parseTime(command: string, flag: string, text: string): Date {
  const trimmed = text.trim();
  const time = RFC3339.test(trimmed) ? new Date(trimmed) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new UsageError(
      `invalid value ${JSON.stringify(text)} for --${flag}: not an RFC 3339 time; allowed: a time such as ` +
        '2026-11-29T10:00:00Z or 2026-11-29T11:00:00+01:00 (date, T, time, and Z or an offset)',
      command,
    );
  }
  return time;
}

/** The --key-type value, checked against the key types the PKI layer generates. */
export function parseKeyType(command: string, value: string | undefined, fallback: KeyType): KeyType {
  if (value === undefined) return fallback;
  if (!(KEY_TYPES as readonly string[]).includes(value)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(value)} for --key-type: use one of ${KEY_TYPES.join(', ')}`,
      command,
    );
  }
  return value as KeyType;
}

/** The text of the key types for help. */
export const KEY_TYPES_HELP = KEY_TYPES.join(', ');
