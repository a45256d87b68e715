/**
 * Schemas as data: what a provider, data source or ephemeral type accepts, written once and turned into the
 * protocol's Schema message and into the attribute list that decoding and result building walk.
 */

/** A cty type in its JSON notation: "string", "number", "bool", ["list","string"], ["map",["list","string"]]. */
export type CtyType = 'string' | 'number' | 'bool' | readonly ['list' | 'set' | 'map', CtyType];

/** One attribute. Exactly one of required / optional / computed-only describes who sets it. */
export interface AttributeSchema {
  /** The attribute's cty type. */
  readonly type: CtyType;
  /** What the attribute means, as Terraform's documentation shows it. */
  readonly description: string;
  /** The configuration must set it. @default false */
  readonly required?: boolean;
  /** The configuration may set it. @default false */
  readonly optional?: boolean;
  /** The provider sets it (alone, or when the configuration leaves it unset if also optional). @default false */
  readonly computed?: boolean;
  /** Terraform hides the value in its output. @default false */
  readonly sensitive?: boolean;
}

/** A nested block: `single` (one object or null) is all the types served here use. */
export interface NestedBlockSchema {
  /** How many objects the block holds: one, or null. */
  readonly nesting: 'single';
  /** The block's own schema. */
  readonly block: BlockSchema;
}

/** A block: attributes and nested blocks by name. */
export interface BlockSchema {
  /** What the block (or the whole type) is for, as Terraform's documentation shows it. */
  readonly description: string;
  /** The attributes, by Terraform name. */
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  /** The nested blocks, by Terraform name. @default - none */
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
