// The pure helpers of the benchmark (bench/support): statistics, table formatting, the results-file schema, the command
// line and the modelled Go provider schedule. No timing is asserted anywhere.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from '../../bench/support/args.js';
import { headlineTable } from '../../bench/support/headline.js';
import { backoffSleepsMs, GO_PROVIDER_BACKOFF, mulberry32 } from '../../bench/support/go-provider-schedule.js';
import {
  localDate,
  RESULTS_SCHEMA_VERSION,
  resultsFileName,
  sampleSet,
  validateResultsFile,
  type ResultsFile,
} from '../../bench/support/results.js';
import { percentile, ratio, round, summarize } from '../../bench/support/stats.js';
import { parseSynthWorkerReport, parseVmHwmBytes, peakRss } from '../../bench/support/synth-protocol.js';
import { escapeCell, formatMiB, formatMs, formatRatio, formatTable } from '../../bench/support/table.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUITES = ['open', 'synth', 'pki'] as const;

describe('percentile', () => {
  const table: { samples: number[]; p: number; expected: number }[] = [
    { samples: [7], p: 50, expected: 7 },
    { samples: [7], p: 95, expected: 7 },
    { samples: [1, 2, 3, 4], p: 50, expected: 2.5 },
    { samples: [4, 1, 3, 2], p: 50, expected: 2.5 },
    { samples: [1, 2, 3, 4, 5], p: 50, expected: 3 },
    { samples: [10, 20], p: 0, expected: 10 },
    { samples: [10, 20], p: 100, expected: 20 },
    { samples: [10, 20], p: 25, expected: 12.5 },
    { samples: Array.from({ length: 20 }, (_, i) => i + 1), p: 95, expected: 19.05 },
    { samples: Array.from({ length: 100 }, (_, i) => i), p: 95, expected: 94.05 },
  ];
  for (const { samples, p, expected } of table) {
    it(`GIVEN [${samples.length > 6 ? `${samples.length} values` : samples.join(', ')}] WHEN p${p} THEN ${expected}`, () => {
      assert.ok(Math.abs(percentile(samples, p) - expected) < 1e-9, `got ${percentile(samples, p)}`);
    });
  }

  it('GIVEN unsorted samples WHEN a percentile is taken THEN the input is left unsorted', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    assert.deepEqual(samples, [3, 1, 2]);
  });

  it('fails when the sample set is empty', () => {
    assert.throws(() => percentile([], 50), /empty sample set/);
  });

  it('fails when p is outside [0, 100]', () => {
    assert.throws(() => percentile([1], 101), /outside \[0, 100\]/);
    assert.throws(() => percentile([1], -1), /outside \[0, 100\]/);
    assert.throws(() => percentile([1], Number.NaN), /outside \[0, 100\]/);
  });

  it('fails when a sample is not finite', () => {
    assert.throws(() => percentile([1, Number.NaN], 50), /finite/);
    assert.throws(() => percentile([1, Number.POSITIVE_INFINITY], 50), /finite/);
  });
});

describe('summarize', () => {
  it('GIVEN 2, 4, 4, 4, 5, 5, 7, 9 WHEN summarized THEN every statistic matches a hand computation', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(s.n, 8);
    assert.equal(s.min, 2);
    assert.equal(s.max, 9);
    assert.equal(s.sum, 40);
    assert.equal(s.mean, 5);
    assert.equal(s.p50, 4.5);
    assert.ok(Math.abs(s.p95 - 8.3) < 1e-9);
    assert.ok(Math.abs(s.stdev - Math.sqrt(32 / 7)) < 1e-12);
  });

  it('GIVEN one sample WHEN summarized THEN the deviation is 0', () => {
    assert.deepEqual(summarize([3]), { n: 1, min: 3, max: 3, mean: 3, p50: 3, p95: 3, stdev: 0, sum: 3 });
  });

  it('GIVEN ratios that cannot be computed WHEN asked THEN undefined', () => {
    assert.equal(ratio(6, 3), 2);
    assert.equal(ratio(1, 0), undefined);
    assert.equal(ratio(undefined, 2), undefined);
    assert.equal(ratio(2, undefined), undefined);
    assert.equal(ratio(Number.NaN, 2), undefined);
  });

  it('GIVEN a value WHEN rounded THEN it keeps the requested decimals', () => {
    assert.equal(round(1.23456), 1.235);
    assert.equal(round(1.23456, 1), 1.2);
  });
});

describe('formatTable', () => {
  it('GIVEN columns, rows and footnotes WHEN formatted THEN a padded markdown table with a numbered list of notes', () => {
    const text = formatTable({
      title: 'Demo',
      columns: [{ header: 'method' }, { header: 'p50 ms', align: 'right' }, { header: 'ratio', align: 'right' }],
      rows: [
        ['floor', '4.21', '1.00×'],
        ['this library', '42.1', '10.0×'],
      ],
      footnotes: ['first note', 'second note'],
    });
    assert.equal(
      text,
      [
        '### Demo',
        '',
        '| method       | p50 ms | ratio |',
        '| :----------- | -----: | ----: |',
        '| floor        |   4.21 | 1.00× |',
        '| this library |   42.1 | 10.0× |',
        '',
        '1. first note',
        '2. second note',
        '',
      ].join('\n'),
    );
  });

  it('GIVEN a table WHEN formatted THEN every line of the grid has the same width in code points', () => {
    const text = formatTable({
      title: 't',
      columns: [{ header: 'a' }, { header: 'µs', align: 'right' }],
      rows: [
        ['x', '1×'],
        ['longer cell', '12345'],
      ],
    });
    const grid = text.split('\n').filter((line) => line.startsWith('|'));
    assert.equal(grid.length, 4);
    assert.equal(new Set(grid.map((line) => [...line].length)).size, 1);
  });

  it('GIVEN a cell with a pipe or a line break WHEN formatted THEN the table structure survives', () => {
    assert.equal(escapeCell('a|b\nc'), 'a\\|b c');
    const text = formatTable({ title: 't', columns: [{ header: 'h' }], rows: [['a|b']] });
    assert.match(text, /\| a\\\|b \|/);
  });

  it('fails when a row does not have one cell per column', () => {
    assert.throws(
      () => formatTable({ title: 'Bad', columns: [{ header: 'a' }, { header: 'b' }], rows: [['only one']] }),
      /row 0 of table "Bad" has 1 cells but the table has 2 columns/,
    );
  });

  it('GIVEN durations, ratios and sizes WHEN formatted THEN about three significant digits, n/a when missing', () => {
    assert.deepEqual(
      [0.04213, 4.213, 42.13, 421.3, 4213].map((v) => formatMs(v)),
      ['0.042', '4.21', '42.1', '421', '4213'],
    );
    assert.equal(formatMs(undefined), 'n/a');
    assert.equal(formatMs(Number.NaN), 'n/a');
    assert.deepEqual([0.04481, 0.5, 1.234, 12.34, 123.4].map(formatRatio), [
      '0.045×',
      '0.50×',
      '1.23×',
      '12.3×',
      '123×',
    ]);
    assert.equal(formatRatio(undefined), 'n/a');
    assert.equal(formatMiB(1024 * 1024 * 1.25), '1.3');
    assert.equal(formatMiB(undefined), 'n/a');
  });
});

function validFile(): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    package: { name: 'cdktf-kubernetes-csr', version: '0.1.0' },
    generatedAt: '2026-01-02T03:04:05.000Z',
    date: '2026-01-02',
    mode: 'quick',
    suites: ['pki'],
    command: 'tsx bench/run.ts pki --quick',
    git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      availableParallelism: 2,
      memoryBytes: 2 ** 34,
      platform: 'linux',
      arch: 'x64',
      kernel: '6.0.0',
      kernelVersion: '#1 SMP',
      node: 'v20.20.2',
      nodeOpenssl: '3.0.19',
      openssl: 'OpenSSL 3.0.19',
      go: 'go version go1.26.8 linux/amd64',
      kubectl: 'v1.32.4',
      components: { cdktf: '0.21.0' },
      loadAverageAtStart: [0.5, 0.4, 0.3],
    },
    results: [
      {
        name: 'pki',
        title: 'PKI',
        startedAt: '2026-01-02T03:00:00.000Z',
        durationMs: 1234,
        tables: [{ title: 'T', columns: [{ header: 'a' }, { header: 'b', align: 'right' }], rows: [['x', '1']] }],
        samples: [
          sampleSet('pki/generate/ed25519/library', 'ed25519', 'ms', { keyType: 'ed25519' }, [0.41234, 0.5, 0.45]),
        ],
        notes: [],
      },
    ],
  };
}

/** A deep, mutable copy of the valid file (as JSON.parse would give it). */
function mutable(): Record<string, unknown> & { results: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(validFile())) as Record<string, unknown> & { results: Record<string, unknown>[] };
}

describe('the results file', () => {
  it('GIVEN raw samples WHEN a sample set is built THEN they are rounded and the summary is theirs', () => {
    const set = sampleSet('a/b', 'label', 'ms', {}, [1.00049, 2.5, 3]);
    assert.deepEqual(set.raw, [1, 2.5, 3]);
    assert.deepEqual(set.summary, summarize([1, 2.5, 3]));
  });

  it('GIVEN a complete file WHEN validated THEN there is no problem', () => {
    assert.deepEqual(validateResultsFile(JSON.parse(JSON.stringify(validFile()))), []);
  });

  it('fails when a summary does not match its raw samples', () => {
    const file = mutable();
    const samples = file.results[0]?.samples as { summary: { p50: number } }[];
    samples[0].summary.p50 = 99;
    assert.deepEqual(validateResultsFile(file), [
      'results[0].samples[0].summary.p50 is 99 but the raw samples give 0.45',
    ]);
  });

  it('fails when two sample sets share an id', () => {
    const file = mutable();
    const samples = file.results[0]?.samples as unknown[];
    samples.push(samples[0]);
    assert.deepEqual(validateResultsFile(file), [
      'results[0].samples[1].id "pki/generate/ed25519/library" is used twice',
    ]);
  });

  it('fails when a table row has the wrong number of cells', () => {
    const file = mutable();
    const tables = file.results[0]?.tables as { rows: string[][] }[];
    tables[0].rows.push(['only one']);
    assert.deepEqual(validateResultsFile(file), ['results[0].tables[0].rows[1] must hold 2 strings']);
  });

  it('fails when the machine description lacks a field', () => {
    const file = mutable();
    delete (file.machine as Record<string, unknown>).kernel;
    (file.machine as Record<string, unknown>).cores = 0;
    assert.deepEqual(validateResultsFile(file), [
      'machine.kernel must be a non-empty string',
      'machine.cores must be a positive number',
    ]);
  });

  it('fails when the schema version, date or mode is wrong', () => {
    const file = mutable();
    file.schemaVersion = 2;
    file.date = '02/01/2026';
    file.mode = 'slow';
    assert.deepEqual(validateResultsFile(file), [
      'schemaVersion is 2, expected 1',
      'date must be YYYY-MM-DD',
      'mode must be "full" or "quick"',
    ]);
  });

  it('fails when the suites list and the results disagree', () => {
    const file = mutable();
    file.suites = ['pki', 'open'];
    assert.deepEqual(validateResultsFile(file), ['suites lists 2 suites but results holds 1']);
  });

  it('fails when the value is not an object', () => {
    assert.deepEqual(validateResultsFile([]), ['the results file is not a JSON object']);
  });

  it('GIVEN the committed results files WHEN validated THEN each matches the schema and the name of its run', () => {
    const dir = join(repoRoot, 'bench', 'results');
    const files = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f));
    for (const name of files) {
      const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ResultsFile;
      assert.deepEqual(validateResultsFile(parsed), [], name);
      assert.equal(parsed.mode, 'full', `${name} is named like a full run`);
      assert.equal(`${parsed.date}.json`, name);
      assert.deepEqual([...parsed.suites].sort(), [...SUITES].sort(), `${name} holds every suite`);
    }
  });

  it('GIVEN full, partial and quick runs WHEN named THEN only the full run of every suite gets the bare date', () => {
    const all = [...SUITES];
    assert.equal(resultsFileName('2026-01-02', { quick: false, suites: all, allSuites: all }), '2026-01-02.json');
    assert.equal(resultsFileName('2026-01-02', { quick: true, suites: all, allSuites: all }), '2026-01-02.quick.json');
    assert.equal(
      resultsFileName('2026-01-02', { quick: false, suites: ['pki'], allSuites: all }),
      '2026-01-02.pki.json',
    );
    assert.equal(
      resultsFileName('2026-01-02', { quick: true, suites: ['open', 'pki'], allSuites: all }),
      '2026-01-02.open+pki.quick.json',
    );
  });

  it('GIVEN a date WHEN formatted THEN YYYY-MM-DD in local time', () => {
    assert.equal(localDate(new Date(2026, 0, 2, 23, 59)), '2026-01-02');
  });
});

describe('parseBenchArgs', () => {
  it('GIVEN no argument WHEN parsed THEN every suite, full, written', () => {
    assert.deepEqual(parseBenchArgs([], SUITES), {
      suites: ['open', 'synth', 'pki'],
      quick: false,
      write: true,
      help: false,
    });
  });

  it('GIVEN suites in any order, twice, with options WHEN parsed THEN the canonical order, once each', () => {
    assert.deepEqual(parseBenchArgs(['pki', '--quick', 'open', 'pki', '--out', 'x.json'], SUITES), {
      suites: ['open', 'pki'],
      quick: true,
      write: true,
      help: false,
      out: 'x.json',
    });
    assert.equal(parseBenchArgs(['--out=y.json', '--no-write'], SUITES).out, 'y.json');
    assert.equal(parseBenchArgs(['--no-write'], SUITES).write, false);
  });

  it('fails when a suite or an option is unknown, or --out has no file', () => {
    assert.throws(() => parseBenchArgs(['pkix'], SUITES), /unknown suite "pkix": choose from open, synth, pki/);
    assert.throws(() => parseBenchArgs(['--fast'], SUITES), /unknown option "--fast"/);
    assert.throws(() => parseBenchArgs(['--out'], SUITES), /--out needs a file name/);
  });
});

describe("the Go provider's modelled wait schedule", () => {
  it('GIVEN no jitter WHEN the sleeps are listed THEN 9 sleeps of 5 s x 1.5^n, about 374 s in all', () => {
    const sleeps = backoffSleepsMs(GO_PROVIDER_BACKOFF, () => 0);
    assert.equal(sleeps.length, GO_PROVIDER_BACKOFF.steps - 1);
    sleeps.forEach((ms, n) => assert.ok(Math.abs(ms - 5000 * 1.5 ** n) < 1e-6, `sleep ${n} is ${ms}`));
    const total = sleeps.reduce((a, b) => a + b, 0);
    assert.equal(Math.round(total / 1000), 374);
  });

  it('GIVEN the largest jitter WHEN the sleeps are listed THEN each is lengthened by less than 10%, never shortened', () => {
    const none = backoffSleepsMs(GO_PROVIDER_BACKOFF, () => 0);
    const most = backoffSleepsMs(GO_PROVIDER_BACKOFF, () => 0.999999);
    most.forEach((ms, n) => {
      const base = none[n] ?? 0;
      assert.ok(ms >= base && ms < base * 1.1, `sleep ${n}: ${ms} vs ${base}`);
    });
  });

  it('GIVEN a seed WHEN the PRNG runs twice THEN the same numbers, all in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      first,
      Array.from({ length: 1000 }, () => b()),
    );
    assert.ok(first.every((x) => x >= 0 && x < 1));
    assert.ok(new Set(first).size > 990);
  });

  it('fails when the random source leaves [0, 1)', () => {
    assert.throws(() => backoffSleepsMs(GO_PROVIDER_BACKOFF, () => 1), /expected a number in \[0, 1\)/);
  });
});

describe('parseSynthWorkerReport', () => {
  const report = {
    kind: 'ephemeral',
    count: 2,
    blocks: 2,
    importMs: 1,
    constructMs: 2,
    synthMs: 3,
    workerMs: 6,
    sinceProcessStartMs: 9,
    peakRssBytes: 100,
    peakRssSource: 'VmHWM',
    rssBytes: 90,
    heapUsedBytes: 50,
    outputBytes: 10,
  };

  it('GIVEN stdout with noise before the report WHEN parsed THEN the report', () => {
    assert.deepEqual(parseSynthWorkerReport(`warning: something\n${JSON.stringify(report)}\n`), report);
  });

  it('fails when the peak RSS source is unknown', () => {
    assert.throws(
      () => parseSynthWorkerReport(JSON.stringify({ ...report, peakRssSource: 'guess' })),
      /missing peakRssSource/,
    );
  });

  it('fails when the report is missing or incomplete', () => {
    assert.throws(() => parseSynthWorkerReport('nothing here'), /printed no JSON report/);
    assert.throws(
      () => parseSynthWorkerReport(JSON.stringify({ ...report, synthMs: undefined })),
      /report is incomplete \(missing synthMs\)/,
    );
  });
});

describe('peak RSS', () => {
  const status = ['Name:\tnode', 'VmPeak:\t 1234567 kB', 'VmHWM:\t   40432 kB', 'VmRSS:\t   40000 kB', ''].join('\n');

  it('GIVEN a /proc status text WHEN parsed THEN VmHWM in bytes', () => {
    assert.equal(parseVmHwmBytes(status), 40432 * 1024);
  });

  it('GIVEN a text without VmHWM WHEN parsed THEN undefined', () => {
    assert.equal(parseVmHwmBytes('Name:\tnode\nVmRSS:\t 1 kB\n'), undefined);
  });

  it('GIVEN a status text WHEN the peak is asked THEN it comes from VmHWM', () => {
    assert.deepEqual(
      peakRss(() => status),
      { bytes: 40432 * 1024, source: 'VmHWM' },
    );
  });

  it('GIVEN no /proc WHEN the peak is asked THEN it falls back to getrusage maxRSS', () => {
    const peak = peakRss(() => {
      throw new Error('ENOENT');
    });
    assert.equal(peak.source, 'maxRSS');
    assert.ok(peak.bytes > 0);
  });
});

describe('headlineTable', () => {
  function fileWith(samples: ResultsFile['results'][number]['samples']): ResultsFile {
    const base = validFile();
    return { ...base, results: [{ ...base.results[0], samples }] };
  }

  it('GIVEN both sides of a comparison WHEN the table is built THEN one row with this ÷ that', () => {
    const table = headlineTable(
      fileWith([
        sampleSet('pki/generate/ed25519/library', 'x', 'ms', {}, [0.5, 0.5]),
        sampleSet('pki/generate/ed25519/openssl', 'x', 'ms', {}, [10, 10]),
      ]),
    );
    assert.deepEqual(table.rows, [
      ['Ed25519 key + CSR, p50', '0.500 ms', '`openssl req -newkey` (per process)', '10.0 ms', '0.050×'],
    ]);
  });

  it('GIVEN import samples WHEN the table is built THEN the bare-node start-up is subtracted from both sides', () => {
    const table = headlineTable(
      fileWith([
        sampleSet('synth/import/node/sinceStartMs', 'x', 'ms', {}, [50]),
        sampleSet('synth/import/library-root/sinceStartMs', 'x', 'ms', {}, [150]),
        sampleSet('synth/import/provider-root/sinceStartMs', 'x', 'ms', {}, [450]),
      ]),
    );
    assert.deepEqual(table.rows, [
      ['import the package root, net of node start-up', '100 ms', '@cdktf/provider-kubernetes root', '400 ms', '0.25×'],
    ]);
  });

  it('GIVEN one side missing WHEN the table is built THEN the comparison is left out', () => {
    const table = headlineTable(fileWith([sampleSet('pki/generate/ed25519/library', 'x', 'ms', {}, [0.5])]));
    assert.deepEqual(table.rows, []);
  });

  it('GIVEN the committed full runs WHEN the table is built THEN every comparison has a row', () => {
    const dir = join(repoRoot, 'bench', 'results');
    for (const name of readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))) {
      const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ResultsFile;
      const table = headlineTable(file);
      // 13 comparisons, plus 3 for the real Go provider when its binary was supplied to that run, plus 2 for
      // cert-manager when the run had its rows (runs before 2026-11-29 did not)
      const has = (prefix: string) => file.results.some((suite) => suite.samples.some((s) => s.id.startsWith(prefix)));
      const expected = 13 + (has('open/go-provider/') ? 3 : 0) + (has('open/cert-manager/') ? 2 : 0);
      assert.equal(table.rows.length, expected, name);
      assert.doesNotThrow(() => formatTable(table));
    }
  });
});
