// The public API reports: one api/<entry>.api.md per "exports" entry of package.json, written by API Extractor from
// declarations compiled into .cache/api-report (lib/ is left alone, so `npm run lint` needs no prior build).
//   npx tsx scripts/api-report.ts          write the reports (npm run api)
//   npx tsx scripts/api-report.ts --check  fail when the public surface differs from them (npm run api:check, in lint)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { ConsoleMessageId, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import type { ExtractorMessage, IConfigFile } from '@microsoft/api-extractor';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
/** The committed reports. */
export const API_DIR = join(root, 'api');
// Inside the project, so that the declarations resolve cdktf, constructs and @types/node from its node_modules, and
// not under node_modules, where API Extractor would take our own modules for a dependency's.
const cacheDir = join(root, '.cache', 'api-report');
const declarationDir = join(cacheDir, 'lib');

/** One entry point of the package: its "exports" subpath, its report name and its declaration file under lib/. */
export interface ApiEntryPoint {
  readonly subpath: string;
  readonly name: string;
  readonly types: string;
}

/** The entry points of package.json's "exports" that have types: `.` is reported as `index`, `./pki` as `pki`. */
export function apiEntryPoints(packageJson: { exports: Record<string, unknown> }): ApiEntryPoint[] {
  return Object.entries(packageJson.exports).flatMap(([subpath, target]) => {
    const types = typeof target === 'object' && target !== null ? (target as { types?: unknown }).types : undefined;
    if (typeof types !== 'string') {
      return [];
    }
    const name = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replaceAll('/', '-');
    return [{ subpath, name, types }];
  });
}

/** The declarations of src/, as `npm run build` would emit them, but into the cache folder. */
function compileDeclarations(): void {
  rmSync(declarationDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      ...['-p', 'tsconfig.json', '--declaration', '--emitDeclarationOnly', '--incremental', 'false'],
      ...['--outDir', declarationDir, '--sourceMap', 'false'],
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

/** API Extractor's configuration for one entry point. */
function configFor(entry: ApiEntryPoint): IConfigFile {
  const declarations = join(declarationDir, relative('lib', entry.types));
  return {
    projectFolder: root,
    mainEntryPointFilePath: declarations,
    newlineKind: 'lf',
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          skipLibCheck: true,
        },
        files: [declarations],
      },
    },
    apiReport: {
      enabled: true,
      reportFileName: entry.name,
      reportFolder: API_DIR,
      reportTempFolder: join(cacheDir, 'reports'),
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
        // The package has no release stages (@alpha, @beta); everything exported is public.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // A type that a public signature uses but the entry point does not export (e.g. a subclass hook's argument,
        // a type of another layer): listed in the report, where a reviewer sees it, rather than failing the build.
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
        // STYLE.md: TSDoc on every export.
        'ae-undocumented': { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
      },
      tsdocMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
        // Prose such as "Terraform >= 1.10": this project's doc comments hold no HTML for a `>` to be mistaken for.
        'tsdoc-escape-greater-than': { logLevel: ExtractorLogLevel.None },
      },
    },
  };
}

/** Drops API Extractor's notices that say nothing about our code: the compiler it bundles, "copy the file". */
function quietConsoleMessages(message: ExtractorMessage): void {
  const quiet: string[] = [ConsoleMessageId.Preamble, ConsoleMessageId.ApiReportNotCopied];
  if (quiet.includes(message.messageId)) {
    message.handled = true;
  }
}

/** Writes (or, with `check`, compares) every report; true when all are up to date and nothing was reported. */
export function runApiReports(check: boolean): boolean {
  const packageJsonFullPath = join(root, 'package.json');
  const entries = apiEntryPoints(
    JSON.parse(readFileSync(packageJsonFullPath, 'utf8')) as { exports: Record<string, unknown> },
  );
  compileDeclarations();
  mkdirSync(API_DIR, { recursive: true });
  const changed: string[] = [];
  let ok = true;
  for (const entry of entries) {
    const config = ExtractorConfig.prepare({
      configObject: configFor(entry),
      configObjectFullPath: join(root, 'api-extractor.json'),
      packageJsonFullPath,
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      // In a check, the diff says what changed; the message below says what to do (not API Extractor's "copy the
      // file" advice).
      printApiReportDiff: check,
      messageCallback: quietConsoleMessages,
    });
    if (result.apiReportChanged) {
      changed.push(relative(root, config.reportFilePath));
    }
    ok &&= result.succeeded;
  }
  const expected = new Set(entries.map((entry) => `${entry.name}.api.md`));
  const stale = readdirSync(API_DIR).filter((file) => file.endsWith('.api.md') && !expected.has(file));
  if (check && (changed.length > 0 || stale.length > 0)) {
    process.stderr.write(
      `the public API differs from the committed report (${[...changed, ...stale.map((file) => `api/${file}`)].join(', ')}):\n` +
        'run `npm run api`, review the change in api/ and commit it with the code\n',
    );
    return false;
  }
  for (const file of check ? [] : stale) {
    rmSync(join(API_DIR, file));
  }
  if (ok) {
    process.stdout.write(`api: ${entries.length} reports ${check ? 'match the public API' : 'written to api/'}\n`);
  } else {
    process.stderr.write('api: fix the messages above (every export and its members need a TSDoc comment)\n');
  }
  return ok;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = runApiReports(process.argv.includes('--check')) ? 0 : 1;
}
