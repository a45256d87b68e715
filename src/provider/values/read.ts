import { UNKNOWN, type TerraformObject, type TerraformValue } from './dynamic-value.js';

/**
 * Typed reads of decoded configuration values. Each returns undefined for null, passes {@link UNKNOWN} through, and
 * trusts the type: Terraform has already converted the value to the schema's type.
 */
export const read = {
  object(value: TerraformValue | undefined): TerraformObject | undefined {
    return value !== null &&
      value !== undefined &&
      value !== UNKNOWN &&
      typeof value === 'object' &&
      !Array.isArray(value)
      ? (value as TerraformObject)
      : undefined;
  },
  string(value: TerraformValue | undefined): string | typeof UNKNOWN | undefined {
    return value === UNKNOWN || typeof value === 'string' ? value : undefined;
  },
  number(value: TerraformValue | undefined): number | typeof UNKNOWN | undefined {
    if (value === UNKNOWN || typeof value === 'number') return value;
    return typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined;
  },
  bool(value: TerraformValue | undefined): boolean | typeof UNKNOWN | undefined {
    return value === UNKNOWN || typeof value === 'boolean' ? value : undefined;
  },
  strings(value: TerraformValue | undefined): (string | typeof UNKNOWN)[] | typeof UNKNOWN | undefined {
    if (value === UNKNOWN) return UNKNOWN;
    return Array.isArray(value)
      ? (value as TerraformValue[]).map((v) =>
          v === UNKNOWN ? UNKNOWN : typeof v === 'string' ? v : JSON.stringify(v),
        )
      : undefined;
  },
};

/** The value itself when known, undefined when null or unknown (for calls where Terraform guarantees known values). */
export function known<T>(value: T | typeof UNKNOWN | undefined): T | undefined {
  return value === UNKNOWN ? undefined : value;
}
