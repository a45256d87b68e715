/** Summary statistics of one set of samples (all values in the sample set's unit). */
export interface Summary {
  /** Number of samples. */
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Median, interpolated (see {@link percentile}). */
  readonly p50: number;
  /** 95th percentile, interpolated (see {@link percentile}). */
  readonly p95: number;
  /** Sample standard deviation (n - 1); 0 for fewer than two samples. */
  readonly stdev: number;
  /** Sum of the samples. */
  readonly sum: number;
}

/**
 * The p-th percentile (0 <= p <= 100) of `samples`, with linear interpolation between the closest ranks (the
 * method numpy and R call "linear" / type 7): p0 is the minimum, p100 the maximum, p50 of an even count the mean of
 * the two middle values. The input is not modified.
 *
 * @throws RangeError for an empty sample set, a non-finite sample or p outside [0, 100]
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of an empty sample set is undefined: take a sample first');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside [0, 100]`);
  if (samples.some((s) => !Number.isFinite(s))) {
    throw new RangeError(
      `samples must be finite numbers, got ${samples.filter((s) => !Number.isFinite(s)).join(', ')}`,
    );
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const lo = sorted[lower];
  const hi = sorted[upper];
  return lo + (hi - lo) * (rank - lower);
}

/**
 * Summarizes a sample set.
 *
 * @throws RangeError for an empty sample set or non-finite samples
 */
export function summarize(samples: readonly number[]): Summary {
  const p50 = percentile(samples, 50);
  const n = samples.length;
  const sum = samples.reduce((a, b) => a + b, 0);
  const mean = sum / n;
  const variance = n < 2 ? 0 : samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return {
    n,
    min: Math.min(...samples),
    max: Math.max(...samples),
    mean,
    p50,
    p95: percentile(samples, 95),
    stdev: Math.sqrt(variance),
    sum,
  };
}

/** `a / b`, or undefined when either is missing or b is 0 (a ratio that cannot be computed is shown as "n/a"). */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return undefined;
  return a / b;
}

/** Rounds to `digits` decimals, to keep raw samples in the results file readable. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
