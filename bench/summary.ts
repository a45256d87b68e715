// Prints the README summary table of a results file:  tsx bench/summary.ts [bench/results/<date>.json]
// (default: the newest full run in bench/results).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headlineTable } from './support/headline.js';
import { validateResultsFile, type ResultsFile } from './support/results.js';
import { formatTable } from './support/table.js';

const resultsDir = join(resolve(dirname(fileURLToPath(import.meta.url))), 'results');
const newest = readdirSync(resultsDir)
  .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
  .sort()
  .pop();
const file = process.argv[2] ?? (newest ? join(resultsDir, newest) : undefined);
if (!file) {
  process.stderr.write('no full results file in bench/results: run `npm run bench` first, or name a file\n');
  process.exit(1);
}
const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
const problems = validateResultsFile(parsed);
if (problems.length > 0) {
  process.stderr.write(`${file} does not match the results-file schema:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(formatTable(headlineTable(parsed as ResultsFile)));
