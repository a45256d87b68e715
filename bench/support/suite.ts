import type { SuiteResult } from './results.js';

/** What every suite gets from bench/run.ts. */
export interface SuiteContext {
  /** `--quick`: fewer repetitions and smaller counts, for a smoke run. */
  readonly quick: boolean;
  /** The repository root (where package.json is). */
  readonly repoRoot: string;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** A benchmark suite. */
export interface Suite {
  /** The name used on the command line and in the results file. */
  readonly name: string;
  readonly title: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}
