import type { DescriptorField, DescriptorNamespace, DescriptorNode } from './descriptor.js';

// Protocol Buffers' wire format for the scalar types the plugin protocol uses (varints and length-delimited
// fields), driven by the descriptor generated from the .proto files. Written for the provider's start-up path: a
// general protobuf library costs more to load than the provider spends on everything else before its handshake.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const VARINT_TYPES = new Set(['int64', 'uint64', 'int32', 'uint32', 'bool']);

/** A message type resolved from the descriptor, with its fields by number and by name. */
export interface MessageType {
  readonly fullName: string;
  readonly fields: readonly ResolvedField[];
  readonly byNumber: ReadonlyMap<number, ResolvedField>;
}

interface ResolvedField {
  readonly name: string;
  readonly id: number;
  readonly repeated: boolean;
  /** An `optional` field: when absent it stays absent instead of taking its default. */
  readonly optional?: boolean;
  /** 'string' | 'bytes' | 'int64' | ... | 'enum' | 'message' | 'map' */
  readonly kind: string;
  readonly message?: () => MessageType;
  readonly mapValue?: ResolvedField;
}

/** Looks up types in a descriptor the way protobuf resolves names: from the scope outwards. */
export class Registry {
  private readonly types = new Map<string, MessageType>();

  public constructor(private readonly root: DescriptorNamespace) {}

  private node(path: readonly string[]): DescriptorNode | undefined {
    let node: DescriptorNamespace | undefined = this.root;
    for (const part of path) node = node?.nested?.[part];
    return node;
  }

  /** The full name of `name` as seen from the namespace `scope` (e.g. ['tfplugin6', 'Schema']). */
  private resolveName(name: string, scope: readonly string[]): readonly string[] {
    const parts = name.split('.');
    for (let depth = scope.length; depth >= 0; depth--) {
      const candidate = [...scope.slice(0, depth), ...parts];
      if (this.node(candidate)) return candidate;
    }
    throw new Error(`the protocol descriptor has no type ${name} (seen from ${scope.join('.')})`);
  }

  /** A message type by full name, e.g. `tfplugin6.GetProviderSchema.Response`. */
  public message(fullName: string): MessageType {
    const cached = this.types.get(fullName);
    if (cached) return cached;
    const path = fullName.split('.');
    const node = this.node(path);
    if (!node?.fields) throw new Error(`the protocol descriptor has no message ${fullName}`);
    const fields = Object.entries(node.fields).map(([name, field]) => this.field(name, field, path));
    const type: MessageType = { fullName, fields, byNumber: new Map(fields.map((f) => [f.id, f])) };
    this.types.set(fullName, type);
    return type;
  }

  /** The full name of a service's method types. */
  public methodTypes(
    serviceName: string,
    method: string,
    scope: readonly string[],
  ): { request: string; response: string } {
    const service = this.node(serviceName.split('.'));
    const m = service?.methods?.[method];
    if (!m) throw new Error(`the protocol descriptor has no method ${serviceName}/${method}`);
    return {
      request: this.resolveName(m.requestType, scope).join('.'),
      response: this.resolveName(m.responseType, scope).join('.'),
    };
  }

  private field(name: string, field: DescriptorField, scope: readonly string[]): ResolvedField {
    const scalar = (type: string): Pick<ResolvedField, 'kind' | 'message'> => {
      if (VARINT_TYPES.has(type) || type === 'string' || type === 'bytes') return { kind: type };
      const resolved = this.resolveName(type, scope);
      const node = this.node(resolved);
      if (node?.values) return { kind: 'enum' };
      return { kind: 'message', message: () => this.message(resolved.join('.')) };
    };
    if (field.keyType) {
      return {
        name,
        id: field.id,
        repeated: false,
        kind: 'map',
        mapValue: { name: 'value', id: 2, repeated: false, ...scalar(field.type) },
      };
    }
    return {
      name,
      id: field.id,
      repeated: field.rule === 'repeated',
      optional: field.options?.proto3_optional === true,
      ...scalar(field.type),
    };
  }
}

class Writer {
  private readonly chunks: Buffer[] = [];

  public varint(value: bigint | number): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.chunks.push(Buffer.from(bytes));
  }

  public tag(id: number, wireType: number): void {
    this.varint((id << 3) | wireType);
  }

  public bytes(data: Buffer): void {
    this.varint(data.length);
    this.chunks.push(data);
  }

  public finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function isDefault(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === 0 ||
    value === false ||
    value === '' ||
    (value instanceof Uint8Array && value.length === 0)
  );
}

function writeValue(writer: Writer, field: ResolvedField, value: unknown): void {
  switch (field.kind) {
    case 'string':
      writer.tag(field.id, LENGTH_DELIMITED);
      writer.bytes(Buffer.from(String(value), 'utf8'));
      return;
    case 'bytes':
      writer.tag(field.id, LENGTH_DELIMITED);
      writer.bytes(Buffer.from(value as Uint8Array));
      return;
    case 'bool':
      writer.tag(field.id, VARINT);
      writer.varint(value ? 1 : 0);
      return;
    case 'message':
      writer.tag(field.id, LENGTH_DELIMITED);
      writer.bytes(encodeMessage(field.message!(), value as Record<string, unknown>));
      return;
    default: // integers and enums
      writer.tag(field.id, VARINT);
      writer.varint(value as number | bigint);
  }
}

/** Encodes a plain object as the message `type`; fields left out, null or at their proto3 default are not written. */
export function encodeMessage(type: MessageType, value: Readonly<Record<string, unknown>>): Buffer {
  const writer = new Writer();
  for (const field of type.fields) {
    const fieldValue = value[field.name];
    if (field.kind === 'map') {
      for (const [key, entry] of Object.entries((fieldValue ?? {}) as Record<string, unknown>)) {
        const inner = new Writer();
        inner.tag(1, LENGTH_DELIMITED);
        inner.bytes(Buffer.from(key, 'utf8'));
        writeValue(inner, field.mapValue!, entry);
        writer.tag(field.id, LENGTH_DELIMITED);
        writer.bytes(inner.finish());
      }
    } else if (field.repeated) {
      for (const item of (fieldValue ?? []) as unknown[]) writeValue(writer, field, item);
    } else if (field.kind === 'message' ? fieldValue !== undefined && fieldValue !== null : !isDefault(fieldValue)) {
      writeValue(writer, field, fieldValue);
    }
  }
  return writer.finish();
}

class Reader {
  public offset = 0;
  public constructor(private readonly buffer: Buffer) {}

  public get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  public varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.offset >= this.buffer.length) throw new Error('truncated protobuf varint');
      const byte = this.buffer[this.offset++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('protobuf varint longer than 10 bytes');
    }
  }

  public bytes(): Buffer {
    const length = Number(this.varint());
    const end = this.offset + length;
    if (end > this.buffer.length) throw new Error('truncated protobuf field');
    const out = this.buffer.subarray(this.offset, end);
    this.offset = end;
    return out;
  }

  public skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === LENGTH_DELIMITED) this.bytes();
    else if (wireType === FIXED64) this.offset += 8;
    else if (wireType === FIXED32) this.offset += 4;
    else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
}

function readValue(reader: Reader, field: ResolvedField, wireType: number): unknown {
  switch (field.kind) {
    case 'string':
      return reader.bytes().toString('utf8');
    case 'bytes':
      return Buffer.from(reader.bytes());
    case 'message':
      return decodeMessage(field.message!(), reader.bytes());
    case 'bool':
      return reader.varint() !== 0n;
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
    case 'int32':
    case 'enum':
      return Number(BigInt.asIntN(32, reader.varint()));
    default:
      if (wireType !== VARINT) throw new Error(`field ${field.name}: unexpected wire type ${wireType}`);
      return Number(reader.varint());
  }
}

/** proto3's value of a field that is not on the wire; messages and `optional` fields have none (absent). */
function defaultOf(field: ResolvedField): unknown {
  if (field.repeated) return [];
  if (field.kind === 'map') return {};
  if (field.optional || field.kind === 'message') return undefined;
  if (field.kind === 'string') return '';
  if (field.kind === 'bytes') return Buffer.alloc(0);
  if (field.kind === 'bool') return false;
  return 0;
}

/**
 * Decodes the message `type` into a plain object keyed by the .proto field names, with proto3's defaults for fields
 * not on the wire (messages and `optional` fields stay absent). Repeated fields become arrays, maps objects, and
 * unknown fields are skipped (as protobuf does).
 */
export function decodeMessage(type: MessageType, data: Buffer): Record<string, unknown> {
  const reader = new Reader(data);
  const out: Record<string, unknown> = {};
  for (const field of type.fields) {
    const value = defaultOf(field);
    if (value !== undefined) out[field.name] = value;
  }
  while (!reader.done) {
    const tag = Number(reader.varint());
    const id = tag >>> 3;
    const wireType = tag & 7;
    const field = type.byNumber.get(id);
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    if (field.kind === 'map') {
      const entry = new Reader(reader.bytes());
      let key = '';
      let value: unknown;
      while (!entry.done) {
        const entryTag = Number(entry.varint());
        if (entryTag >>> 3 === 1) key = entry.bytes().toString('utf8');
        else if (entryTag >>> 3 === 2) value = readValue(entry, field.mapValue!, entryTag & 7);
        else entry.skip(entryTag & 7);
      }
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[key] = value;
    } else if (field.repeated) {
      ((out[field.name] ??= []) as unknown[]).push(readValue(reader, field, wireType));
    } else {
      out[field.name] = readValue(reader, field, wireType);
    }
  }
  return out;
}
