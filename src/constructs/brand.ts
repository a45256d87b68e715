import type { TerraformProvider } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Brand of ephemeral resource elements. A registered symbol (not instanceof), so that two copies of this library in
 * one construct tree still recognise each other, as cdktf does with its own elements.
 */
export const TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL = Symbol.for('cdktf-kubernetes-csr/TerraformEphemeralResource');

/** What the stack-level machinery needs to know about an ephemeral resource element. */
export interface EphemeralResourceLike extends IConstruct {
  /** Terraform type, e.g. `kubernetes_certificate_signing_request_v1`. */
  readonly terraformResourceType: string;
  /** Name of the element in the synthesized configuration. */
  readonly friendlyUniqueId: string;
  /** Name of the provider that implements the type, e.g. `kubernetes`. */
  readonly providerName: string;
  /**
   * Other providers that serve the type when the block names them with `provider`, e.g. `kubecsr` (absent in
   * elements from older copies of this library).
   */
  readonly alternativeProviderNames?: readonly string[];
  /** Explicit provider configuration, if any. */
  readonly provider?: TerraformProvider;
  /** Same as TerraformElement.toHclTerraform. */
  toHclTerraform(): unknown;
}

/** True when `x` carries the ephemeral resource brand. */
export function isEphemeralResourceLike(x: unknown): x is EphemeralResourceLike {
  return x !== null && typeof x === 'object' && TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL in x;
}
