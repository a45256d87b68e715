// npm run bench: builds the library, then runs the benchmark suites, prints one table per suite and writes
// bench/results/<YYYY-MM-DD>.json (see bench/README.md).
//   tsx bench/run.ts [open|synth|pki ...] [--quick] [--out <file>] [--no-write]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, usage } from './support/args.js';
import { describeMachine, gitState } from './support/machine.js';
import {
  localDate,
  resultsFileName,
  RESULTS_SCHEMA_VERSION,
  validateResultsFile,
  type ResultsFile,
  type SuiteResult,
} from './support/results.js';
import type { Suite } from './support/suite.js';
import { formatTable } from './support/table.js';
import { deploySuite } from './suites/deploy.js';
import { openSuite } from './suites/open.js';
import { pkiSuite } from './suites/pki.js';
import { synthSuite } from './suites/synth.js';

const SUITES: readonly Suite[] = [openSuite, synthSuite, pkiSuite, deploySuite];
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const names = SUITES.map((s) => s.name);
  const args = parseBenchArgs(process.argv.slice(2), names);
  if (args.help) {
    process.stdout.write(`${usage(names)}\n`);
    return 0;
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const machine = describeMachine(repoRoot);
  const git = gitState(repoRoot);
  const started = new Date();
  process.stdout.write(
    `# ${pkg.name} ${pkg.version} benchmarks (${args.quick ? 'quick' : 'full'}): ${args.suites.join(', ')}\n\n` +
      `${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.platform} ` +
      `${machine.kernel}; node ${machine.node} (OpenSSL ${machine.nodeOpenssl}); ${machine.openssl}; ${machine.go}; ` +
      `kubectl ${machine.kubectl}; git ${git.commit.slice(0, 12)}${git.dirty ? ' (work tree has changes)' : ''}\n\n`,
  );

  const results: SuiteResult[] = [];
  for (const suite of SUITES.filter((s) => args.suites.includes(s.name))) {
    log(`== ${suite.name}: ${suite.title}`);
    const suiteResult = await suite.run({ quick: args.quick, repoRoot, log });
    // The machine may be shared: record how busy it was, so noisy numbers can be recognised as such.
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(', ');
    const result = { ...suiteResult, notes: [...suiteResult.notes, `load average (1, 5, 15 min) at the end: ${load}`] };
    results.push(result);
    for (const table of result.tables) process.stdout.write(`${formatTable(table)}\n`);
    for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
    process.stdout.write(`(${suite.name}: ${(result.durationMs / 1000).toFixed(1)} s)\n\n`);
  }

  const file: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    package: { name: pkg.name, version: pkg.version },
    generatedAt: new Date().toISOString(),
    date: localDate(started),
    mode: args.quick ? 'quick' : 'full',
    suites: results.map((r) => r.name),
    command: `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    git,
    machine,
    results,
  };
  const problems = validateResultsFile(JSON.parse(JSON.stringify(file)));
  if (args.write) {
    const out =
      args.out ??
      join(
        repoRoot,
        'bench',
        'results',
        resultsFileName(file.date, { quick: args.quick, suites: file.suites, allSuites: names }),
      );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
    log(`results written to ${out}`);
  }
  if (problems.length > 0) {
    log(`the results do not match the results-file schema:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
