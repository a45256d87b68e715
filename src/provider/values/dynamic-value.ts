import { decode, encode, ExtData } from '@msgpack/msgpack';

/**
 * A value Terraform does not know yet (e.g. computed by another resource during plan). On the wire it is a msgpack
 * extension (type 0, or 12 for a refined unknown); any extension is read as unknown.
 */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** A decoded Terraform value: null, a primitive, a list, an object, or {@link UNKNOWN}. */
export type TerraformValue =
  | null
  | string
  | number
  | boolean
  | typeof UNKNOWN
  | readonly TerraformValue[]
  | { readonly [name: string]: TerraformValue };

/** An object value (a block or the whole configuration), attribute name to value. */
export type TerraformObject = { readonly [name: string]: TerraformValue };

/** The protocol's DynamicValue: msgpack, or JSON for some older calls. */
export interface DynamicValue {
  readonly msgpack?: Uint8Array;
  readonly json?: Uint8Array;
}

function fromWire(value: unknown): TerraformValue {
  if (value instanceof ExtData) return UNKNOWN;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromWire);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromWire(v)]));
  }
  return null;
}

function toWire(value: TerraformValue | undefined): unknown {
  if (value === UNKNOWN) return new ExtData(0, Uint8Array.of(0));
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return (value as readonly TerraformValue[]).map(toWire);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

/** Decodes a DynamicValue into plain values; extensions become {@link UNKNOWN}. An absent value is null. */
export function decodeDynamicValue(value: DynamicValue | null | undefined): TerraformValue {
  if (value?.msgpack && value.msgpack.length > 0) return fromWire(decode(value.msgpack));
  if (value?.json && value.json.length > 0) return fromWire(JSON.parse(Buffer.from(value.json).toString('utf8')));
  return null;
}

/** Encodes a value as a msgpack DynamicValue; {@link UNKNOWN} becomes Terraform's own unknown extension. */
export function encodeDynamicValue(value: TerraformValue): DynamicValue {
  return { msgpack: encode(toWire(value)) };
}

/** True when the value, or anything inside it, is unknown. */
export function containsUnknown(value: TerraformValue): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v: TerraformValue) => containsUnknown(v));
}
