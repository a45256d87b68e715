import type { TerraformStack } from 'cdktf';
import { deepMerge, renderEphemeralBlock, resolveIn } from './cdktf-internals.js';
import type { JsonObject } from './cdktf-internals.js';
import {
  EphemeralProviderPresenceValidation,
  EphemeralValueUsageValidation,
  ephemeralResourcesOf,
} from './validations.js';

const STACK_SUPPORT_SYMBOL = Symbol.for('cdktf-kubernetes-csr/EphemeralStackSupport');

/** What cdktf's HCL renderer of a stack returns, with the ephemeral blocks added to it. */
export interface HclOutput {
  /** The stack as HCL text. */
  hcl: string;
  /** The stack's metadata block (cdktf's `//` key), as JSON. */
  metadata: JsonObject;
}

/**
 * Renders the `ephemeral` blocks of a stack as HCL. cdktf 0.21's TerraformStack.toHclTerraform only renders the
 * top-level keys it knows (resource, data, provider, ...) and silently drops `ephemeral`; this closes that gap.
 */
export function renderEphemeralHcl(stack: TerraformStack): HclOutput {
  const blocks: string[] = [];
  const metadata: JsonObject = {};
  for (const element of ephemeralResourcesOf(stack)) {
    const fragment = resolveIn(stack, element.toHclTerraform()) as { ephemeral?: JsonObject };
    if (!fragment.ephemeral) {
      throw new Error(
        `cannot render '${element.terraformResourceType}.${element.friendlyUniqueId}' as HCL: its toHclTerraform() returned no "ephemeral" key`,
      );
    }
    for (const [type, byName] of Object.entries(fragment.ephemeral)) {
      for (const [name, attributes] of Object.entries(byName as JsonObject)) {
        const rendered = renderEphemeralBlock({ [type]: { [name]: attributes } });
        blocks.push(rendered.hcl);
        deepMerge(metadata, rendered.metadata);
      }
    }
  }
  return { hcl: blocks.map((b) => `\n${b}`).join('\n'), metadata };
}

/**
 * Makes a stack ready for ephemeral resources, once per stack:
 * - adds the tree-wide validations (provider presence, ephemeral value usage);
 * - wraps this stack instance's toHclTerraform so that HCL synthesis (SYNTH_HCL_OUTPUT=true, App hclOutput,
 *   Testing.synthHcl) emits `ephemeral` blocks instead of dropping them. Only this stack object is touched.
 */
export function installEphemeralStackSupport(stack: TerraformStack): void {
  if (STACK_SUPPORT_SYMBOL in stack) return;
  Object.defineProperty(stack, STACK_SUPPORT_SYMBOL, { value: true });
  stack.node.addValidation(new EphemeralProviderPresenceValidation(stack));
  stack.node.addValidation(new EphemeralValueUsageValidation(stack));

  const original = stack.toHclTerraform.bind(stack) as () => HclOutput;
  Object.defineProperty(stack, 'toHclTerraform', {
    configurable: true,
    writable: true,
    value: (): HclOutput => {
      const base = original();
      const extra = renderEphemeralHcl(stack);
      return {
        hcl: `${base.hcl}${extra.hcl}`,
        metadata: deepMerge(base.metadata, extra.metadata),
      };
    },
  });
}
