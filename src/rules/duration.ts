/**
 * Go duration strings (`time.ParseDuration`), the format of cert-manager's `spec.duration` and of Terraform-style
 * timeouts such as "5m": a sequence of decimal numbers, each with an optional fraction and a unit (`ns`, `us`, `µs`,
 * `ms`, `s`, `m`, `h`), with an optional sign, e.g. "24h", "1h30m", "1.5h", "90m". "0" alone is zero.
 */

const UNIT_NANOSECONDS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  // Not Go's: accepted only where a syntax lists it (kube-csr's flags, e.g. --older-than 30d).
  d: 86_400e9,
};

/** The units a Go duration string may use, for messages. */
export const GO_DURATION_UNITS: readonly string[] = ['ns', 'us', 'ms', 's', 'm', 'h'];

/** The largest duration Go represents: 2^63-1 nanoseconds (about 292 years), as the nearest double. */
export const MAX_GO_DURATION_NANOSECONDS = 2 ** 63 - 1;

const GO_NUMBER = /^(\d*)(?:\.(\d*))?/;
const PLAIN_NUMBER = /^(\d+)(?:\.(\d+))?/;
const UNIT = /^[^\d.]*/;

/** Which durations {@link parseGoDuration} accepts. */
export interface DurationSyntax {
  /**
   * The units accepted, e.g. `['ms', 's', 'm', 'h']`; "µs" and "μs" count as "us".
   * @default - every Go unit (`GO_DURATION_UNITS`)
   */
  readonly units?: readonly string[];
  /**
   * `'go'`: Go's `time.ParseDuration` (a sign, a bare "0", ".5h" and "1.h", at most about 292 years).
   * `'plain'`: the stricter form of Terraform-style timeouts: only digits, with digits on both sides of a '.', no
   * sign, no bare "0", surrounding spaces ignored.
   * @default 'go'
   */
  readonly numbers?: 'go' | 'plain';
}

/**
 * Parses a Go duration string into milliseconds (fractional for sub-millisecond parts), as Go's
 * `time.ParseDuration` does, or in the narrower `syntax` given. Returns a problem (a lowercase fragment) instead when
 * the text is not such a duration.
 */
export function parseGoDuration(
  text: string,
  syntax: DurationSyntax = {},
): { readonly ms: number } | { readonly problem: string } {
  const go = (syntax.numbers ?? 'go') === 'go';
  const allowed = (unit: string): boolean =>
    (syntax.units ?? GO_DURATION_UNITS).includes(unit === 'µs' || unit === 'μs' ? 'us' : unit);
  let rest = go ? text : text.trim();
  let sign = 1;
  if (go && (rest.startsWith('-') || rest.startsWith('+'))) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (go && rest === '0') return { ms: 0 };
  if (rest === '') return { problem: 'is not a duration (it is empty)' };
  let nanoseconds = 0;
  while (rest !== '') {
    const [number = '', integer = '', fraction = ''] = (go ? GO_NUMBER : PLAIN_NUMBER).exec(rest) ?? [];
    if (integer === '' && fraction === '') {
      return { problem: `is not a Go duration: expected a number at ${JSON.stringify(rest)}` };
    }
    rest = rest.slice(number.length);
    const [unit = ''] = UNIT.exec(rest) ?? [];
    if (unit === '') {
      return { problem: `is missing a unit after ${JSON.stringify(number)}` };
    }
    const factor = UNIT_NANOSECONDS[unit];
    if (factor === undefined || !allowed(unit)) {
      return { problem: `has the unknown unit ${JSON.stringify(unit)}` };
    }
    nanoseconds += Number(`${integer || '0'}.${fraction}0`) * factor;
    rest = rest.slice(unit.length);
  }
  if (go && nanoseconds > MAX_GO_DURATION_NANOSECONDS) {
    return { problem: 'is longer than Go can represent (about 292 years)' };
  }
  return { ms: (sign * nanoseconds) / 1e6 };
}

/** A short Go duration string for a number of milliseconds, e.g. 5400000 -> "1h30m0s" as Go prints it. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let seconds = Math.abs(ms) / 1000;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const secondsText = `${Number(seconds.toFixed(9))}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${sign}${minutes}m${secondsText}`;
  return `${sign}${secondsText}`;
}
