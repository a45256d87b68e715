/**
 * The few cdktf internals this library reuses so that ephemeral elements synthesize exactly like cdktf's own
 * data sources and resources (override merging, snake_case meta-arguments, dynamic blocks, HCL rendering).
 *
 * cdktf has no "exports" map, so these files are importable; cdktf 0.21.0 is the final release (the project was
 * archived on 2025-12-10), so the internals cannot move under us. Every use goes through this file.
 */
import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { renderDatasource } from 'cdktf/lib/hcl/render.js';
import {
  deepMerge as cdktfDeepMerge,
  keysToSnakeCase as cdktfKeysToSnakeCase,
  processDynamicAttributes as cdktfProcessDynamicAttributes,
  processDynamicAttributesForHcl as cdktfProcessDynamicAttributesForHcl,
} from 'cdktf/lib/util.js';

/** A JSON-like object as cdktf passes them around. */
export type JsonObject = Record<string, unknown>;

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves every token in `value` the way TerraformStack.toTerraform does. */
export function resolveIn(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, preparing: false, resolver: TOKEN_RESOLVER });
}

/** cdktf's deepMerge: later sources win, `undefined` deletes, arrays concatenate. Mutates and returns `target`. */
export function deepMerge(target: JsonObject, ...sources: JsonObject[]): JsonObject {
  return cdktfDeepMerge(target, ...sources) as JsonObject;
}

/** cdktf's recursive camelCase → snake_case key conversion (tokens untouched). */
export function keysToSnakeCase(value: JsonObject): JsonObject {
  return cdktfKeysToSnakeCase(value) as JsonObject;
}

/** Moves TerraformDynamicBlock attributes under `dynamic`, as cdktf does for resources (JSON flavour). */
export function processDynamicAttributes(attributes: JsonObject): JsonObject {
  return cdktfProcessDynamicAttributes(attributes);
}

/** Same as {@link processDynamicAttributes}, HCL flavour. */
export function processDynamicAttributesForHcl(attributes: JsonObject): JsonObject {
  return cdktfProcessDynamicAttributesForHcl(attributes);
}

/**
 * Renders one `{ <type>: { <name>: attributes } }` fragment as an HCL `ephemeral "<type>" "<name>" { ... }` block.
 * cdktf's data-source renderer produces the identical body; only the block keyword differs.
 */
export function renderEphemeralBlock(fragment: JsonObject): { hcl: string; metadata: JsonObject } {
  const { hcl, metadata } = renderDatasource(fragment);
  if (!hcl.startsWith('data "')) {
    throw new Error(
      'cannot render an ephemeral block as HCL: the cdktf HCL renderer returned an unexpected shape; synthesize JSON instead (unset SYNTH_HCL_OUTPUT / hclOutput)',
    );
  }
  return { hcl: `ephemeral "${hcl.slice('data "'.length)}`, metadata: { ephemeral: metadata.data } };
}
