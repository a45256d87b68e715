/** What `tsx bench/run.ts [suite...] [--quick] [--out <file>] [--no-write]` asks for. */
export interface BenchArgs {
  /** Suites to run, in the canonical order; all when none is named. */
  readonly suites: readonly string[];
  readonly quick: boolean;
  /** Where to write the results; undefined = bench/results/<file name of the run>. */
  readonly out?: string;
  /** `--no-write`: print the tables only. */
  readonly write: boolean;
  readonly help: boolean;
}

/** The usage text. */
export function usage(allSuites: readonly string[]): string {
  return [
    'usage: tsx bench/run.ts [suite ...] [--quick] [--out <file>] [--no-write]',
    `  suites: ${allSuites.join(', ')} (default: all, in that order)`,
    '  --quick     fewer rounds and items: a smoke run',
    '  --out FILE  write the results there instead of bench/results/<date>[.<suites>][.quick].json',
    '  --no-write  print the tables only',
  ].join('\n');
}

/**
 * Parses the command line (without `node` and the script). Suites keep the canonical order of `allSuites`
 * whatever order they are named in; a suite named twice runs once.
 *
 * @throws Error naming the unknown suite or option
 */
export function parseBenchArgs(argv: readonly string[], allSuites: readonly string[]): BenchArgs {
  const named = new Set<string>();
  let quick = false;
  let write = true;
  let help = false;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--no-write') write = false;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--out' || arg.startsWith('--out=')) {
      out = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (!out) throw new Error('--out needs a file name');
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${JSON.stringify(arg)}\n${usage(allSuites)}`);
    } else if (allSuites.includes(arg)) {
      named.add(arg);
    } else {
      throw new Error(`unknown suite ${JSON.stringify(arg)}: choose from ${allSuites.join(', ')}`);
    }
  }
  const suites = named.size === 0 ? [...allSuites] : allSuites.filter((s) => named.has(s));
  return { suites, quick, write, help, ...(out === undefined ? {} : { out }) };
}
