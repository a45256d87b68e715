/**
 * Schemas as data: what a provider, data source or ephemeral type accepts, written once and turned into the
 * protocol's Schema message and into the attribute list that decoding and result building walk.
 */

/** A cty type in its JSON notation: "string", "number", "bool", ["list","string"], ["map",["list","string"]]. */
export type CtyType = 'string' | 'number' | 'bool' | readonly ['list' | 'set' | 'map', CtyType];

/** One attribute. Exactly one of required / optional / computed-only describes who sets it. */
export interface AttributeSchema {
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

/** A nested block: `single` (one object or null) is all the types served here use. */
export interface NestedBlockSchema {
  readonly nesting: 'single';
  readonly block: BlockSchema;
}

/** A block: attributes and nested blocks by name. */
export interface BlockSchema {
  readonly description: string;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, NestedBlockSchema>>;
}

/** The protocol's Schema message, as the codec (protocol/codec.ts) writes it. */
export interface SchemaMessage {
  readonly version: number;
  readonly block: BlockMessage;
}

interface BlockMessage {
  readonly version: number;
  readonly description: string;
  readonly description_kind: number;
  readonly attributes: readonly object[];
  readonly block_types: readonly object[];
}

const NESTING = { single: 1 } as const;

function blockMessage(block: BlockSchema): BlockMessage {
  return {
    version: 0,
    description: block.description,
    description_kind: 0,
    attributes: Object.entries(block.attributes).map(([name, attribute]) => ({
      name,
      type: Buffer.from(JSON.stringify(attribute.type)),
      description: attribute.description,
      description_kind: 0,
      required: attribute.required ?? false,
      optional: attribute.optional ?? false,
      computed: attribute.computed ?? false,
      sensitive: attribute.sensitive ?? false,
    })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, nested]) => ({
      type_name: name,
      block: blockMessage(nested.block),
      nesting: NESTING[nested.nesting],
    })),
  };
}

/** The protocol message for a schema. */
export function schemaMessage(block: BlockSchema): SchemaMessage {
  return { version: 0, block: blockMessage(block) };
}
