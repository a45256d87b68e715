import { round, summarize, type Summary } from './stats.js';
import type { Table } from './table.js';

/** Version of the results-file layout; bump it when a field changes meaning. */
export const RESULTS_SCHEMA_VERSION = 1;

/** The units samples are recorded in. */
export const SAMPLE_UNITS = ['ms', 'bytes', 'count'] as const;
/** A unit of a {@link SampleSet}. */
export type SampleUnit = (typeof SAMPLE_UNITS)[number];

/** One measured quantity: its raw samples and their summary. */
export interface SampleSet {
  /** Unique within the file, `<suite>/<what>/<params>`, e.g. `open/runtime/10/latency`. */
  readonly id: string;
  /** Human description. */
  readonly label: string;
  readonly unit: SampleUnit;
  /** What was varied, e.g. `{ count: 10, method: 'runtime' }`. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Summary of `raw`. */
  readonly summary: Summary;
  /** Every sample, in the order taken (rounded to 3 decimals). */
  readonly raw: readonly number[];
}

/** What one suite produced. */
export interface SuiteResult {
  /** Suite name as given on the command line: `open`, `synth`, `pki`. */
  readonly name: string;
  readonly title: string;
  /** ISO timestamp. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The tables as printed. */
  readonly tables: readonly Table[];
  readonly samples: readonly SampleSet[];
  /** Things worth knowing when reading the numbers (skipped rows, tool versions, caveats). */
  readonly notes: readonly string[];
}

/** The machine a run happened on. */
export interface MachineDescription {
  readonly cpuModel: string;
  /** Logical CPUs (os.cpus().length). */
  readonly cores: number;
  /** os.availableParallelism(). */
  readonly availableParallelism: number;
  readonly memoryBytes: number;
  readonly platform: string;
  readonly arch: string;
  /** os.release(), e.g. `6.8.0-45-generic`. */
  readonly kernel: string;
  /** os.version(): the kernel build string. */
  readonly kernelVersion: string;
  /** process.version. */
  readonly node: string;
  /** The OpenSSL Node links (process.versions.openssl). */
  readonly nodeOpenssl: string;
  /** `openssl version` of the CLI, or `not found`. */
  readonly openssl: string;
  /** `go version`, or `not found`. */
  readonly go: string;
  /** `kubectl version --client`, or `not found`. */
  readonly kubectl: string;
  /** Versions of the packages and of the local control plane that matter to the numbers. */
  readonly components: Readonly<Record<string, string>>;
  /** os.loadavg() when the run started. */
  readonly loadAverageAtStart: readonly number[];
}

/** The layout of bench/results/<date>.json. */
export interface ResultsFile {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly package: { readonly name: string; readonly version: string };
  /** ISO timestamp of the end of the run. */
  readonly generatedAt: string;
  /** Local date of the run, YYYY-MM-DD (the file name). */
  readonly date: string;
  readonly mode: 'full' | 'quick';
  /** The suites run, in order. */
  readonly suites: readonly string[];
  /** The command line, e.g. `tsx bench/run.ts pki --quick`. */
  readonly command: string;
  readonly git: { readonly commit: string; readonly dirty: boolean };
  readonly machine: MachineDescription;
  readonly results: readonly SuiteResult[];
}

/**
 * Builds a {@link SampleSet}: rounds the raw samples to 3 decimals and summarizes the rounded values, so the
 * summary can be recomputed from the file.
 *
 * @throws RangeError for an empty or non-finite sample set
 */
export function sampleSet(
  id: string,
  label: string,
  unit: SampleUnit,
  params: Readonly<Record<string, string | number | boolean>>,
  samples: readonly number[],
): SampleSet {
  const raw = samples.map((s) => round(s));
  return { id, label, unit, params, summary: summarize(raw), raw };
}

/** YYYY-MM-DD of `date` in local time. */
export function localDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/**
 * The file name of a run: `<date>.json` for a full run of every suite (the file to commit); partial or quick runs
 * get a suffix (`<date>.pki.json`, `<date>.quick.json`, `<date>.open+pki.quick.json`) so they never overwrite it.
 */
export function resultsFileName(
  date: string,
  options: { readonly quick: boolean; readonly suites: readonly string[]; readonly allSuites: readonly string[] },
): string {
  const everySuite =
    options.suites.length === options.allSuites.length && options.allSuites.every((s) => options.suites.includes(s));
  const parts = [date];
  if (!everySuite) parts.push(options.suites.join('+'));
  if (options.quick) parts.push('quick');
  return `${parts.join('.')}.json`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SUMMARY_KEYS: readonly (keyof Summary)[] = ['n', 'min', 'max', 'mean', 'p50', 'p95', 'stdev', 'sum'];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

function checkSampleSet(value: unknown, where: string, problems: string[], ids: Set<string>): void {
  if (!isRecord(value)) {
    problems.push(`${where} is not an object`);
    return;
  }
  const { id, label, unit, params, summary, raw } = value;
  if (typeof id !== 'string' || id === '') problems.push(`${where}.id must be a non-empty string`);
  else if (ids.has(id)) problems.push(`${where}.id "${id}" is used twice`);
  else ids.add(id);
  if (typeof label !== 'string') problems.push(`${where}.label must be a string`);
  if (!SAMPLE_UNITS.includes(unit as SampleUnit)) {
    problems.push(`${where}.unit is ${JSON.stringify(unit)}, expected one of ${SAMPLE_UNITS.join(', ')}`);
  }
  if (!isRecord(params) || !Object.values(params).every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
    problems.push(`${where}.params must be an object of strings, numbers and booleans`);
  }
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((r) => typeof r === 'number' && Number.isFinite(r))) {
    problems.push(`${where}.raw must be a non-empty array of finite numbers`);
    return;
  }
  if (!isRecord(summary)) {
    problems.push(`${where}.summary is not an object`);
    return;
  }
  const expected = summarize(raw as number[]);
  for (const key of SUMMARY_KEYS) {
    const got = summary[key];
    if (typeof got !== 'number') problems.push(`${where}.summary.${key} must be a number`);
    else if (!close(got, expected[key])) {
      problems.push(`${where}.summary.${key} is ${got} but the raw samples give ${expected[key]}`);
    }
  }
}

function checkTable(value: unknown, where: string, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push(`${where} is not an object`);
    return;
  }
  if (typeof value.title !== 'string') problems.push(`${where}.title must be a string`);
  const columns = value.columns;
  if (
    !Array.isArray(columns) ||
    columns.length === 0 ||
    !columns.every((c) => isRecord(c) && typeof c.header === 'string')
  ) {
    problems.push(`${where}.columns must be a non-empty array of { header }`);
    return;
  }
  const rows = value.rows;
  if (!Array.isArray(rows)) {
    problems.push(`${where}.rows must be an array`);
    return;
  }
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length || !row.every((c) => typeof c === 'string')) {
      problems.push(`${where}.rows[${i}] must hold ${columns.length} strings`);
    }
  });
}

const MACHINE_STRINGS = [
  'cpuModel',
  'platform',
  'arch',
  'kernel',
  'kernelVersion',
  'node',
  'nodeOpenssl',
  'openssl',
  'go',
  'kubectl',
] as const;

/**
 * Checks that `value` is a {@link ResultsFile}: every field present with its type, one table row cell per column,
 * sample ids unique, and each summary equal to the summary of its raw samples. Returns the problems found (none for
 * a valid file), each naming the field.
 */
export function validateResultsFile(value: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(value)) return ['the results file is not a JSON object'];
  if (value.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    problems.push(`schemaVersion is ${JSON.stringify(value.schemaVersion)}, expected ${RESULTS_SCHEMA_VERSION}`);
  }
  if (!isRecord(value.package) || typeof value.package.name !== 'string' || typeof value.package.version !== 'string') {
    problems.push('package must be { name, version }');
  }
  if (typeof value.generatedAt !== 'string' || Number.isNaN(Date.parse(value.generatedAt))) {
    problems.push('generatedAt must be an ISO timestamp');
  }
  if (typeof value.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.date)) {
    problems.push('date must be YYYY-MM-DD');
  }
  if (value.mode !== 'full' && value.mode !== 'quick') problems.push('mode must be "full" or "quick"');
  if (!Array.isArray(value.suites) || !value.suites.every((s) => typeof s === 'string')) {
    problems.push('suites must be an array of strings');
  }
  if (typeof value.command !== 'string') problems.push('command must be a string');
  if (!isRecord(value.git) || typeof value.git.commit !== 'string' || typeof value.git.dirty !== 'boolean') {
    problems.push('git must be { commit, dirty }');
  }
  const machine = value.machine;
  if (!isRecord(machine)) {
    problems.push('machine is not an object');
  } else {
    for (const key of MACHINE_STRINGS) {
      if (typeof machine[key] !== 'string' || machine[key] === '')
        problems.push(`machine.${key} must be a non-empty string`);
    }
    for (const key of ['cores', 'availableParallelism', 'memoryBytes'] as const) {
      const n = machine[key];
      if (typeof n !== 'number' || !(n > 0)) problems.push(`machine.${key} must be a positive number`);
    }
    if (!isRecord(machine.components)) problems.push('machine.components must be an object');
    if (!Array.isArray(machine.loadAverageAtStart)) problems.push('machine.loadAverageAtStart must be an array');
  }
  if (!Array.isArray(value.results)) {
    problems.push('results must be an array');
    return problems;
  }
  const ids = new Set<string>();
  value.results.forEach((suite, i) => {
    const where = `results[${i}]`;
    if (!isRecord(suite)) {
      problems.push(`${where} is not an object`);
      return;
    }
    if (typeof suite.name !== 'string') problems.push(`${where}.name must be a string`);
    if (typeof suite.title !== 'string') problems.push(`${where}.title must be a string`);
    if (typeof suite.startedAt !== 'string') problems.push(`${where}.startedAt must be a string`);
    if (typeof suite.durationMs !== 'number') problems.push(`${where}.durationMs must be a number`);
    if (!Array.isArray(suite.notes)) problems.push(`${where}.notes must be an array`);
    if (!Array.isArray(suite.tables)) problems.push(`${where}.tables must be an array`);
    else suite.tables.forEach((t, j) => checkTable(t, `${where}.tables[${j}]`, problems));
    if (!Array.isArray(suite.samples)) problems.push(`${where}.samples must be an array`);
    else suite.samples.forEach((s, j) => checkSampleSet(s, `${where}.samples[${j}]`, problems, ids));
  });
  if (Array.isArray(value.suites) && value.suites.length !== value.results.length) {
    problems.push(`suites lists ${value.suites.length} suites but results holds ${value.results.length}`);
  }
  return problems;
}
