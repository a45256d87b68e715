import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const apiDir = join(root, 'api');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types?: string }>;
};

/** The entry points with types, and the report each one has: `.` is api/index.api.md, `./pki` is api/pki.api.md. */
const entries = Object.entries(packageJson.exports)
  .filter(([, target]) => typeof target === 'object' && typeof target.types === 'string')
  .map(([subpath]) => ({
    subpath,
    specifier: subpath === '.' ? packageJson.name : `${packageJson.name}/${subpath.slice(2)}`,
    report: join(apiDir, `${subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-')}.api.md`),
  }));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the API reports (api/*.api.md, written by npm run api, compared by npm run lint)', () => {
  it('lists the six entry points of package.json (the positive control of the checks below)', () => {
    assert.deepEqual(
      entries.map((entry) => entry.subpath),
      ['.', './runtime', './pki', './rules', './constructs', './provider'],
    );
  });

  for (const entry of entries) {
    it(`has a committed report for "${entry.subpath}" that names every value ${entry.specifier} exports`, async () => {
      // GIVEN the committed report of the entry point
      assert.ok(existsSync(entry.report), `${entry.report} exists: run npm run api and commit api/`);
      const report = readFileSync(entry.report, 'utf8');
      assert.match(report, new RegExp(`^## API Report File for "${escapeRegExp(packageJson.name)}"`));
      // WHEN the built entry point is imported as a user would
      const values = Object.keys((await import(entry.specifier)) as Record<string, unknown>);
      assert.ok(values.length > 0, `${entry.specifier} exports something`);
      // THEN every value it exports is declared in the report (types have no runtime trace to compare)
      const missing = values.filter(
        (name) =>
          !new RegExp(
            `^export (?:declare )?(?:abstract )?(?:class|function|const|let|enum) ${escapeRegExp(name)}\\b`,
            'm',
          ).test(report),
      );
      assert.deepEqual(missing, [], `exported by ${entry.specifier} but not in its report: run npm run api`);
    });
  }

  it('has no report without an entry point', () => {
    const expected = new Set(entries.map((entry) => entry.report));
    const reports = readdirSync(apiDir)
      .filter((file) => file.endsWith('.api.md'))
      .map((file) => join(apiDir, file));
    assert.deepEqual(
      reports.filter((report) => !expected.has(report)),
      [],
    );
  });
});
