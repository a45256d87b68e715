/**
 * Whether `x[symbol]` names the very `metadata` and `spec` objects `x` holds: what a validated value's brand records.
 * @internal
 */
export function isBrandedFor(x: unknown, symbol: symbol): boolean {
  if (x === null || typeof x !== 'object') return false;
  const brand = (x as Record<symbol, unknown>)[symbol];
  if (brand === null || typeof brand !== 'object') return false;
  const held = x as { metadata?: unknown; spec?: unknown };
  const validated = brand as { metadata?: unknown; spec?: unknown };
  return validated.spec === held.spec && validated.metadata === held.metadata;
}
