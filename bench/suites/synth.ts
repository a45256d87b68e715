import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importPki } from '../support/library.js';
import { mustSucceed, runTimed } from '../support/process.js';
import { sampleSet, type SampleSet, type SuiteResult } from '../support/results.js';
import { ratio, summarize } from '../support/stats.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import { parseSynthWorkerReport, type SynthKind, type SynthWorkerReport } from '../support/synth-protocol.js';
import { formatMiB, formatMs, formatRatio, rowColumns, type Table } from '../support/table.js';

const COUNTS = [1, 100, 1000] as const;

/** Runs per (kind, count), full and quick. */
function runsFor(count: number, quick: boolean): number {
  if (quick) return 1;
  return count >= 1000 ? 3 : 5;
}

/** The modules whose load cost is compared, each imported alone by a fresh `node --import <specifier>`. */
interface ImportTarget {
  readonly key: string;
  readonly label: string;
  /** undefined: bare node, nothing imported. */
  readonly specifier?: (repoRoot: string) => string;
}

const IMPORT_TARGETS: readonly ImportTarget[] = [
  { key: 'node', label: 'bare node (nothing imported)' },
  {
    key: 'library-root',
    label: 'cdktf-kubernetes-csr (lib/index.js)',
    specifier: (root) => pathToFileURL(join(root, 'lib/index.js')).href,
  },
  {
    key: 'library-constructs',
    label: 'cdktf-kubernetes-csr constructs (lib/constructs/index.js)',
    specifier: (root) => pathToFileURL(join(root, 'lib/constructs/index.js')).href,
  },
  {
    key: 'library-runtime',
    label: 'cdktf-kubernetes-csr runtime (lib/runtime/index.js)',
    specifier: (root) => pathToFileURL(join(root, 'lib/runtime/index.js')).href,
  },
  { key: 'cdktf', label: 'cdktf (root)', specifier: () => 'cdktf' },
  {
    key: 'provider-deep',
    label: '@cdktf/provider-kubernetes/lib/certificate-signing-request-v1',
    specifier: () => '@cdktf/provider-kubernetes/lib/certificate-signing-request-v1/index.js',
  },
  { key: 'provider-root', label: '@cdktf/provider-kubernetes (root)', specifier: () => '@cdktf/provider-kubernetes' },
];

/**
 * What a probe process runs after its --import: time since process start, and peak RSS of its own address space
 * (VmHWM; getrusage maxRSS, which on Linux starts at the parent's RSS, only where /proc is missing).
 */
const PROBE = [
  'const t = performance.now();',
  'let peakKb, source = "VmHWM";',
  "try { peakKb = Number(/^VmHWM:\\s+(\\d+) kB$/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); }",
  'catch { peakKb = process.resourceUsage().maxRSS; source = "maxRSS"; }',
  'process.stdout.write(JSON.stringify({ t, peakKb, source }));',
].join(' ');

interface Collected {
  readonly reports: SynthWorkerReport[];
  readonly wallMs: number[];
}

/** The samples recorded for each synthesis kind and count, in this order: from each worker report, or the wall time. */
const SYNTH_METRICS: readonly {
  readonly what: string;
  readonly label: string;
  readonly unit: 'ms' | 'bytes';
  readonly value: ((report: SynthWorkerReport) => number) | 'wall';
}[] = [
  { what: 'importMs', label: 'imports', unit: 'ms', value: (r) => r.importMs },
  { what: 'constructMs', label: 'construct tree', unit: 'ms', value: (r) => r.constructMs },
  { what: 'synthMs', label: 'App.synth()', unit: 'ms', value: (r) => r.synthMs },
  { what: 'buildMs', label: 'construct tree + App.synth()', unit: 'ms', value: (r) => r.constructMs + r.synthMs },
  { what: 'processWallMs', label: 'process wall time, spawn to exit', unit: 'ms', value: 'wall' },
  { what: 'peakRssBytes', label: 'peak RSS', unit: 'bytes', value: (r) => r.peakRssBytes },
  { what: 'heapUsedBytes', label: 'heap used at the end', unit: 'bytes', value: (r) => r.heapUsedBytes },
  { what: 'outputBytes', label: 'cdk.tf.json size', unit: 'bytes', value: (r) => r.outputBytes },
];

function key(kind: SynthKind, count: number): string {
  return `${kind}/${count}`;
}

async function runWorker(context: SuiteContext, kind: SynthKind, count: number, csrFile: string) {
  const run = mustSucceed(
    await runTimed(process.execPath, ['--import', 'tsx', 'bench/synth-worker.ts', kind, String(count), csrFile], {
      cwd: context.repoRoot,
    }),
    `synth-worker ${kind} ${count}`,
  );
  return { report: parseSynthWorkerReport(run.stdout), wallMs: run.wallMs };
}

function p50(values: readonly number[]): number {
  return summarize(values).p50;
}

async function synthesis(
  context: SuiteContext,
  csrFile: string,
  samples: SampleSet[],
  peakSources: Set<string>,
): Promise<Table> {
  const collected = new Map<string, Collected>();
  const plan: { kind: SynthKind; count: number; runs: number }[] = [
    { kind: 'empty', count: 0, runs: context.quick ? 1 : 5 },
  ];
  for (const count of COUNTS) {
    for (const kind of ['ephemeral', 'managed'] as const)
      plan.push({ kind, count, runs: runsFor(count, context.quick) });
  }
  // Interleave: run 1 of every configuration, then run 2 of every configuration, ... so drift hits all alike.
  const maxRuns = Math.max(...plan.map((p) => p.runs));
  for (let run = 0; run < maxRuns; run++) {
    for (const { kind, count, runs } of plan) {
      if (run >= runs) continue;
      const { report, wallMs } = await runWorker(context, kind, count, csrFile);
      const entry = collected.get(key(kind, count)) ?? { reports: [], wallMs: [] };
      entry.reports.push(report);
      peakSources.add(report.peakRssSource);
      entry.wallMs.push(wallMs);
      collected.set(key(kind, count), entry);
      context.log(
        `  synth ${kind} x${count} run ${run + 1}/${runs}: build ${formatMs(report.constructMs + report.synthMs)} ms, ` +
          `peak RSS ${formatMiB(report.peakRssBytes)} MiB`,
      );
    }
  }

  const rows: string[][] = [];
  const get = (kind: SynthKind, count: number): Collected => {
    const entry = collected.get(key(kind, count));
    if (!entry) throw new Error(`no synthesis samples for ${kind} x${count}`);
    return entry;
  };
  const record = (kind: SynthKind, count: number) => {
    const { reports, wallMs } = get(kind, count);
    const params = { kind, count };
    const id = `synth/${kind}/${count}`;
    for (const metric of SYNTH_METRICS) {
      const values = metric.value === 'wall' ? wallMs : reports.map(metric.value);
      samples.push(
        sampleSet(`${id}/${metric.what}`, `${metric.label} (${kind} x${count})`, metric.unit, params, values),
      );
    }
  };
  record('empty', 0);
  const empty = get('empty', 0);
  const emptyRss = p50(empty.reports.map((r) => r.peakRssBytes));
  const row = (kind: SynthKind, count: number, label: string, against?: Collected) => {
    const { reports, wallMs } = get(kind, count);
    const build = p50(reports.map((r) => r.constructMs + r.synthMs));
    const rss = p50(reports.map((r) => r.peakRssBytes));
    const refBuild = against ? p50(against.reports.map((r) => r.constructMs + r.synthMs)) : undefined;
    const refRss = against ? p50(against.reports.map((r) => r.peakRssBytes)) : undefined;
    rows.push([
      label,
      String(count),
      String(reports.length),
      formatMs(p50(reports.map((r) => r.constructMs))),
      formatMs(p50(reports.map((r) => r.synthMs))),
      formatMs(build),
      count > 0 ? formatMs(build / count) : '-',
      formatMs(p50(wallMs)),
      formatMiB(rss),
      formatMiB(rss - emptyRss),
      against ? formatRatio(ratio(build, refBuild)) : '-',
      against ? formatRatio(ratio(rss, refRss)) : '-',
    ]);
  };
  row('empty', 0, 'empty stack (provider only)');
  for (const count of COUNTS) {
    record('ephemeral', count);
    record('managed', count);
    row('ephemeral', count, 'ephemeral (this library)', get('managed', count));
    row('managed', count, 'managed CertificateSigningRequestV1');
  }
  return {
    title: 'Synthesis: N CSR constructs in one stack, App.synth() (fresh process per run)',
    columns: rowColumns(
      'construct',
      'N',
      'runs',
      'tree ms',
      'synth ms',
      'tree+synth ms',
      'ms / construct',
      'process ms',
      'peak RSS MiB',
      'RSS over empty MiB',
      'time ÷ managed',
      'RSS ÷ managed',
    ),
    rows,
    footnotes: [
      'Medians. Each run is a fresh `node --import tsx bench/synth-worker.ts <kind> <N>` that imports cdktf, the ' +
        'provider construct and the CSR construct (the built lib/ for the ephemeral one; deep import ' +
        '@cdktf/provider-kubernetes/lib/certificate-signing-request-v1 for the managed one), then builds App + ' +
        'TerraformStack + KubernetesProvider + N constructs (same PEM request, distinct names) and runs App.synth() ' +
        'with validations into a temporary folder.',
      '"tree ms" is constructing the N constructs (the ephemeral construct validates its spec, parsing the PEM ' +
        'request, at construction; the managed one validates nothing); "synth ms" is App.synth() incl. validations ' +
        'and writing cdk.tf.json; "process ms" is spawn to exit, node + tsx start-up and imports included.',
      'Peak RSS is the VmHWM of the worker (/proc/self/status; getrusage maxRSS is not used because on Linux a child ' +
        "inherits its parent's RSS at spawn as its starting maxRSS); it includes node and the tsx loader (the empty-stack row is that " +
        'fixed cost). Ratios compare the ephemeral construct with the managed one at the same N.',
    ],
  };
}

/** Total size of the files under `dir`, in bytes. */
function treeBytes(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
  } catch {
    return 0;
  }
}

interface ImportSample {
  readonly source: string;
  readonly sinceStartMs: number;
  readonly peakRssBytes: number;
  readonly wallMs: number;
}

async function importProbe(context: SuiteContext, target: ImportTarget): Promise<ImportSample> {
  const args = target.specifier ? [`--import=${target.specifier(context.repoRoot)}`, '-e', PROBE] : ['-e', PROBE];
  const run = mustSucceed(
    await runTimed(process.execPath, args, { cwd: context.repoRoot }),
    `import of ${target.label}`,
  );
  const parsed = JSON.parse(run.stdout) as { t: number; peakKb: number; source: string };
  return { sinceStartMs: parsed.t, peakRssBytes: parsed.peakKb * 1024, wallMs: run.wallMs, source: parsed.source };
}

async function importCost(context: SuiteContext, samples: SampleSet[], peakSources: Set<string>): Promise<Table> {
  const runs = context.quick ? 2 : 7;
  const collected = new Map<string, ImportSample[]>();
  for (let run = 0; run < runs; run++) {
    for (const target of IMPORT_TARGETS) {
      const sample = await importProbe(context, target);
      peakSources.add(sample.source);
      collected.set(target.key, [...(collected.get(target.key) ?? []), sample]);
    }
  }
  const of = (k: string): ImportSample[] => collected.get(k) ?? [];
  const baseTime = p50(of('node').map((s) => s.sinceStartMs));
  const baseRss = p50(of('node').map((s) => s.peakRssBytes));
  const libraryNet = p50(of('library-root').map((s) => s.sinceStartMs)) - baseTime;
  const rows = IMPORT_TARGETS.map((target) => {
    const list = of(target.key);
    const params = { module: target.key };
    samples.push(
      sampleSet(
        `synth/import/${target.key}/sinceStartMs`,
        `start-up + import: ${target.label}`,
        'ms',
        params,
        list.map((s) => s.sinceStartMs),
      ),
      sampleSet(
        `synth/import/${target.key}/processWallMs`,
        `process wall time: ${target.label}`,
        'ms',
        params,
        list.map((s) => s.wallMs),
      ),
      sampleSet(
        `synth/import/${target.key}/peakRssBytes`,
        `peak RSS: ${target.label}`,
        'bytes',
        params,
        list.map((s) => s.peakRssBytes),
      ),
    );
    const gross = p50(list.map((s) => s.sinceStartMs));
    const rss = p50(list.map((s) => s.peakRssBytes));
    const net = gross - baseTime;
    return [
      target.label,
      String(list.length),
      formatMs(gross),
      target.specifier ? formatMs(net) : '-',
      formatMiB(rss),
      target.specifier ? formatMiB(rss - baseRss) : '-',
      target.specifier ? formatRatio(ratio(net, libraryNet)) : '-',
    ];
  });
  return {
    title: 'Loading the library vs the prebuilt provider (fresh `node --import <module>`, no tsx)',
    columns: rowColumns(
      'module',
      'runs',
      'start-up+import ms',
      'import ms',
      'peak RSS MiB',
      'RSS over node MiB',
      '÷ library root',
    ),
    rows,
    footnotes: [
      'Medians over fresh processes `node --import=<module> -e <probe>`; the probe prints performance.now() (ms since ' +
        'the process started) and its peak RSS (VmHWM). "import ms" subtracts the bare-node median.',
      'lib/index.js is the package root as built from src/index.ts at the time of the run; it loads only what that ' +
        'file re-exports. The provider root loads every generated resource of the provider (its package holds ' +
        `${formatMiB(treeBytes(join(context.repoRoot, 'node_modules/@cdktf/provider-kubernetes')))} MiB of files here).`,
    ],
  };
}

/** Suite 2: synthesis cost of the ephemeral construct vs the managed one, and the cost of loading each library. */
export const synthSuite: Suite = {
  name: 'synth',
  title: 'Synthesis and load cost',
  async run(context: SuiteContext): Promise<SuiteResult> {
    const startedAt = new Date();
    const started = performance.now();
    const pki = await importPki(context.repoRoot);
    const dir = mkdtempSync(join(tmpdir(), 'kube-csr-bench-synth-csr-'));
    try {
      const key = await pki.generateKey('ecdsa-p256');
      const csrFile = join(dir, 'request.csr');
      writeFileSync(
        csrFile,
        pki.createCertificateRequest({ privateKey: key.privateKey, commonName: 'bench', organizations: ['bench'] }),
      );
      const samples: SampleSet[] = [];
      const peakSources = new Set<string>();
      context.log('synth: constructs and App.synth() in fresh processes');
      const synthTable = await synthesis(context, csrFile, samples, peakSources);
      context.log('synth: module load cost in fresh processes');
      const importTable = await importCost(context, samples, peakSources);
      return {
        name: 'synth',
        title: this.title,
        startedAt: startedAt.toISOString(),
        durationMs: performance.now() - started,
        tables: [synthTable, importTable],
        samples,
        notes: [
          `node ${process.version}; worker processes run with the tsx loader, import probes without it`,
          `peak RSS sources: ${[...peakSources].join(', ')}`,
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
