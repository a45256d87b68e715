import type { JsonObject } from './cdktf-internals.js';

/** One attribute for cdktf's HCL renderer; undefined when not set. */
export type HclAttribute = JsonObject | undefined;

/** A simple (string, number, boolean) attribute for cdktf's HCL renderer; undefined when the value is. */
export function hclSimple(value: unknown, storageClassType: 'string' | 'number' | 'boolean'): HclAttribute {
  return value === undefined ? undefined : { value, isBlock: false, type: 'simple', storageClassType };
}

/** A list of strings for cdktf's HCL renderer; undefined when the value is. */
export function hclStringList(value: readonly string[] | undefined): HclAttribute {
  return value === undefined ? undefined : { value, isBlock: false, type: 'list', storageClassType: 'stringList' };
}

/** A nested block (`metadata { ... }`) for cdktf's HCL renderer; `storageClassType` names its props type. */
export function hclBlock(value: JsonObject, storageClassType: string): JsonObject {
  return { value, isBlock: true, type: 'struct', storageClassType };
}

/** The attributes that are set. */
export function definedOnly(attributes: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}
