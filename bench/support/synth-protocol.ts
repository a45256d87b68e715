/** What bench/synth-worker.ts builds: the ephemeral construct, the managed one, or neither (the fixed cost). */
export const SYNTH_KINDS = ['ephemeral', 'managed', 'empty'] as const;
/** One of {@link SYNTH_KINDS}. */
export type SynthKind = (typeof SYNTH_KINDS)[number];

/** The JSON line bench/synth-worker.ts prints. Times in ms, sizes in bytes. */
export interface SynthWorkerReport {
  readonly kind: SynthKind;
  readonly count: number;
  /** kubernetes_certificate_signing_request_v1 blocks found in the synthesized JSON. */
  readonly blocks: number;
  /** Dynamic imports of cdktf, the provider construct and the CSR construct's module. */
  readonly importMs: number;
  /** App, stack, provider and `count` constructs. */
  readonly constructMs: number;
  /** App.synth(), validations and file output included. */
  readonly synthMs: number;
  /** From the first line of main() to the report. */
  readonly workerMs: number;
  /** performance.now() at the end: since the process started (node and tsx start-up included). */
  readonly sinceProcessStartMs: number;
  /** Peak resident set size of this process's address space (see {@link peakRss}). */
  readonly peakRssBytes: number;
  /** Where {@link SynthWorkerReport.peakRssBytes} comes from. */
  readonly peakRssSource: PeakRssSource;
  /** process.memoryUsage() at the end. */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Size of cdk.tf.json. */
  readonly outputBytes: number;
}

/** Reads the report line from a worker's stdout. @throws Error when there is none or it is not a report */
export function parseSynthWorkerReport(stdout: string): SynthWorkerReport {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the synth worker printed no JSON report: ${JSON.stringify(stdout.slice(0, 500))}`);
  const report = JSON.parse(line) as Partial<SynthWorkerReport>;
  const numbers = [
    'count',
    'blocks',
    'importMs',
    'constructMs',
    'synthMs',
    'workerMs',
    'sinceProcessStartMs',
    'peakRssBytes',
    'rssBytes',
    'heapUsedBytes',
    'outputBytes',
  ] as const;
  const missing = numbers.filter((key) => typeof report[key] !== 'number');
  if (report.peakRssSource !== 'VmHWM' && report.peakRssSource !== 'maxRSS') missing.push('peakRssSource' as never);
  if (!SYNTH_KINDS.includes(report.kind as SynthKind) || missing.length > 0) {
    throw new Error(`the synth worker's report is incomplete (missing ${missing.join(', ') || 'kind'}): ${line}`);
  }
  return report as SynthWorkerReport;
}

/** `VmHWM` of /proc/self/status (Linux), else getrusage `maxRSS`. */
export type PeakRssSource = 'VmHWM' | 'maxRSS';

/**
 * The `VmHWM` line of a /proc/<pid>/status text, in bytes: the peak RSS of the current address space. Unlike
 * getrusage's maxRSS it is not inherited: on Linux a spawned child's maxRSS starts at its parent's RSS at spawn
 * time, which would charge the benchmark runner's own memory to every measured process.
 *
 * @returns undefined when the text has no VmHWM line
 */
export function parseVmHwmBytes(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** The peak RSS of this process: VmHWM where /proc exists, else getrusage maxRSS. */
export function peakRss(readStatus: () => string): { bytes: number; source: PeakRssSource } {
  let status = '';
  try {
    status = readStatus();
  } catch {
    // not Linux: fall through to maxRSS
  }
  const hwm = parseVmHwmBytes(status);
  return hwm === undefined
    ? { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' }
    : { bytes: hwm, source: 'VmHWM' };
}
