/**
 * The wait schedule of the Go provider's ephemeral kubernetes_certificate_signing_request_v1 (hashicorp/kubernetes,
 * internal/framework/provider/certificatesv1): `retry.OnError(wait.Backoff{Steps: 10, Duration: 5s, Factor: 1.5,
 * Jitter: 0.1}, ...)` around a Get that succeeds when the object has an Approved condition and a certificate.
 * apimachinery checks first, then sleeps `Step()` between checks (never after the last one); `Step()` returns the
 * current duration plus `rand * jitter * duration` (jitter only lengthens), then multiplies the duration by the factor.
 * This is a model of the documented algorithm for the benchmark, not the provider.
 */
export interface Backoff {
  /** Number of checks. */
  readonly steps: number;
  /** First sleep before jitter, in ms. */
  readonly durationMs: number;
  readonly factor: number;
  /** Up to this fraction of the duration is added at random. */
  readonly jitter: number;
}

/** The provider's backoff (see the module comment). */
export const GO_PROVIDER_BACKOFF: Backoff = { steps: 10, durationMs: 5000, factor: 1.5, jitter: 0.1 };

/**
 * The sleeps between the checks of `backoff`, in ms: `steps - 1` values, the i-th being
 * `durationMs * factor^i * (1 + random() * jitter)`.
 *
 * @param random - a source of numbers in [0, 1); pass a seeded one ({@link mulberry32}) to reproduce a run
 */
export function backoffSleepsMs(backoff: Backoff = GO_PROVIDER_BACKOFF, random: () => number = Math.random): number[] {
  const sleeps: number[] = [];
  let duration = backoff.durationMs;
  for (let i = 0; i < backoff.steps - 1; i++) {
    const r = random();
    if (!(r >= 0 && r < 1)) throw new RangeError(`random() returned ${r}, expected a number in [0, 1)`);
    sleeps.push(duration + (backoff.jitter > 0 ? r * backoff.jitter * duration : 0));
    duration *= backoff.factor;
  }
  return sleeps;
}

/** A small seeded PRNG (mulberry32) returning numbers in [0, 1), so the modelled jitter is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
