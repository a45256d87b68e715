import { TerraformCount, TerraformElement, Token, dependable, lifecycleToTerraform, ref } from 'cdktf';
import type {
  IInterpolatingParent,
  IResolvable,
  ITerraformDependable,
  ITerraformIterator,
  ITerraformResource,
  TerraformProvider,
  TerraformProviderGeneratorMetadata,
  TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
import { TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL } from './brand.js';
import {
  deepMerge,
  keysToSnakeCase,
  processDynamicAttributes,
  processDynamicAttributesForHcl,
} from './cdktf-internals.js';
import type { JsonObject } from './cdktf-internals.js';
import { installEphemeralStackSupport } from './stack-support.js';

/**
 * Meta-arguments Terraform accepts on an ephemeral block: depends_on, count, for_each, provider, lifecycle.
 * (No provisioners, no connection.)
 */
export interface TerraformEphemeralMetaArguments {
  /**
   * Terraform `depends_on`.
   * @default - no explicit dependencies
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Terraform `count`; mutually exclusive with `forEach`.
   * @default - a single instance
   */
  readonly count?: number | TerraformCount;
  /**
   * Terraform `provider`: the provider configuration to open the resource with.
   * @default - the stack's default (alias-less) provider of the type
   */
  readonly provider?: TerraformProvider;
  /**
   * Terraform `lifecycle` (Terraform only honours precondition/postcondition on ephemeral resources).
   * @default - none
   */
  readonly lifecycle?: TerraformResourceLifecycle;
  /**
   * Terraform `for_each`; mutually exclusive with `count`.
   * @default - a single instance
   */
  readonly forEach?: ITerraformIterator;
}

/**
 * The meta-arguments of a construct's config, and nothing else of it: what a subclass passes on to
 * {@link TerraformEphemeralResource} (or a data source) beside its type.
 */
export function metaArgumentsOf(config: TerraformEphemeralMetaArguments): TerraformEphemeralMetaArguments {
  const { provider, dependsOn, count, lifecycle, forEach } = config;
  return { provider, dependsOn, count, lifecycle, forEach };
}

/** Configuration of {@link TerraformEphemeralResource}. */
export interface TerraformEphemeralResourceConfig extends TerraformEphemeralMetaArguments {
  /** Terraform type, e.g. `kubernetes_certificate_signing_request_v1`. */
  readonly terraformResourceType: string;
  /**
   * Provider metadata; `providerName` names the provider the stack must configure.
   * @default - the provider name is the part of the type before the first '_'
   */
  readonly terraformGeneratorMetadata?: TerraformProviderGeneratorMetadata;
  /**
   * Other providers that serve the same type when the block names them with `provider` (the google-beta
   * precedent), e.g. `['kubecsr']` for kubernetes_certificate_signing_request_v1. Without `provider`, Terraform
   * implies the provider from the type name, so these are never picked by default.
   * @default - none
   */
  readonly alternativeProviderNames?: readonly string[];
}

/**
 * An `ephemeral "<type>" "<name>" {}` block for cdktf 0.21, which has no ephemeral resource support of its own
 * (hashicorp/terraform-cdk#3886). Modelled on cdktf's TerraformDataSource: same meta-arguments handling, overrides,
 * dynamic blocks and references, with the `ephemeral.` address prefix.
 *
 * Subclasses implement `synthesizeAttributes()` (snake_case JSON) and `synthesizeHclAttributes()` (typed HCL attributes).
 * Creating one also makes its stack validate provider presence and ephemeral value usage, and render HCL correctly.
 * Ephemeral resources need Terraform >= 1.10 or OpenTofu >= 1.11.
 */
export class TerraformEphemeralResource
  extends TerraformElement
  implements ITerraformResource, ITerraformDependable, IInterpolatingParent
{
  /** True when `x` is a TerraformEphemeralResource (from any copy of this library). */
  public static isTerraformEphemeralResource(x: unknown): x is TerraformEphemeralResource {
    return x !== null && typeof x === 'object' && TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL in x;
  }

  /** Terraform type, e.g. `kubernetes_certificate_signing_request_v1`. */
  public readonly terraformResourceType: string;
  /** Provider metadata given at construction. */
  public readonly terraformGeneratorMetadata?: TerraformProviderGeneratorMetadata;
  /** Other providers that serve the type when named with `provider`. */
  public readonly alternativeProviderNames: readonly string[];
  /** Terraform `depends_on`, as addresses. */
  public dependsOn?: string[];
  /** Terraform `count`. */
  public count?: number | TerraformCount;
  /** Terraform `provider`. */
  public provider?: TerraformProvider;
  /** Terraform `lifecycle`. */
  public lifecycle?: TerraformResourceLifecycle;
  /** Terraform `for_each`. */
  public forEach?: ITerraformIterator;

  public constructor(scope: Construct, id: string, config: TerraformEphemeralResourceConfig) {
    super(scope, id, `ephemeral.${config.terraformResourceType}`);
    Object.defineProperty(this, TERRAFORM_EPHEMERAL_RESOURCE_SYMBOL, { value: true });
    this.terraformResourceType = config.terraformResourceType;
    this.terraformGeneratorMetadata = config.terraformGeneratorMetadata;
    this.alternativeProviderNames = config.alternativeProviderNames ?? [];
    if (Array.isArray(config.dependsOn)) {
      this.dependsOn = config.dependsOn.map((d) => dependable(d));
    }
    this.count = config.count;
    this.provider = config.provider;
    this.lifecycle = config.lifecycle;
    this.forEach = config.forEach;
    installEphemeralStackSupport(this.cdktfStack);
  }

  /** Name of the provider implementing the type (what the stack must configure). */
  public get providerName(): string {
    return this.terraformGeneratorMetadata?.providerName ?? this.terraformResourceType.split('_')[0] ?? '';
  }

  /** The meta-arguments, camelCase, unresolved. */
  public get terraformMetaArguments(): JsonObject {
    if (this.forEach && this.count !== undefined) {
      throw new Error(
        `forEach and count are both set on the ephemeral resource at '${this.node.path}', but they are mutually exclusive: keep one of them`,
      );
    }
    return {
      dependsOn: this.dependsOn,
      count: TerraformCount.isTerraformCount(this.count) ? this.count.toTerraform() : this.count,
      provider: this.provider?.fqn,
      lifecycle: lifecycleToTerraform(this.lifecycle),
      forEach: this.forEach?._getForEachExpression(),
    };
  }

  /** Snake_case JSON attributes of the block. Subclasses override it. */
  protected synthesizeAttributes(): JsonObject {
    return {};
  }

  /** Typed attributes for cdktf's HCL renderer (`{ value, type, isBlock, storageClassType }`). Subclasses override it. */
  protected synthesizeHclAttributes(): JsonObject {
    return {};
  }

  private get rawOverridesObject(): JsonObject {
    return this.rawOverrides as JsonObject;
  }

  /** The JSON fragment: `{ ephemeral: { <type>: { <name>: {...} } } }`. */
  public override toTerraform(): JsonObject {
    const attributes = deepMerge(
      processDynamicAttributes(this.synthesizeAttributes()),
      keysToSnakeCase(this.terraformMetaArguments),
      this.rawOverridesObject,
    );
    attributes['//'] = this.constructNodeMetadata;
    return { ephemeral: { [this.terraformResourceType]: { [this.friendlyUniqueId]: attributes } } };
  }

  /**
   * The HCL fragment, same shape as {@link TerraformEphemeralResource.toTerraform} with typed attributes; the stack
   * renders it.
   */
  public override toHclTerraform(): JsonObject {
    const meta = this.terraformMetaArguments;
    const hclMeta: JsonObject = {
      // references, not strings: `provider = kubernetes.admin`, `depends_on = [a.b]`
      provider:
        meta.provider === undefined
          ? undefined
          : { value: meta.provider, type: 'simple', storageClassType: 'reference' },
      depends_on:
        this.dependsOn === undefined
          ? undefined
          : { value: `[${this.dependsOn.join(', ')}]`, type: 'simple', storageClassType: 'reference' },
      count: meta.count,
      for_each: meta.forEach,
      lifecycle: meta.lifecycle === undefined ? undefined : keysToSnakeCase(meta.lifecycle as JsonObject),
    };
    const attributes = deepMerge(
      processDynamicAttributesForHcl(this.synthesizeHclAttributes()),
      hclMeta,
      this.rawOverridesObject,
    );
    attributes['//'] = this.constructNodeMetadata;
    return { ephemeral: { [this.terraformResourceType]: { [this.friendlyUniqueId]: attributes } } };
  }

  /** Stack metadata: which attributes were overridden (as cdktf records it for data sources). */
  public override toMetadata(): JsonObject {
    const keys = Object.keys(this.rawOverridesObject);
    return keys.length === 0 ? {} : { overrides: { [`ephemeral.${this.terraformResourceType}`]: keys } };
  }

  /** A reference to `ephemeral.<type>.<name>.<attribute>` (`.*` is inserted with forEach). */
  public interpolationForAttribute(terraformAttribute: string): IResolvable {
    return ref(
      `ephemeral.${this.terraformResourceType}.${this.friendlyUniqueId}${this.forEach ? '.*' : ''}.${terraformAttribute}`,
      this.cdktfStack,
    );
  }

  /** String attribute reference. */
  public getStringAttribute(terraformAttribute: string): string {
    return Token.asString(this.interpolationForAttribute(terraformAttribute));
  }

  /** Number attribute reference. */
  public getNumberAttribute(terraformAttribute: string): number {
    return Token.asNumber(this.interpolationForAttribute(terraformAttribute));
  }

  /** List attribute reference. */
  public getListAttribute(terraformAttribute: string): string[] {
    return Token.asList(this.interpolationForAttribute(terraformAttribute));
  }

  /** Boolean attribute reference. */
  public getBooleanAttribute(terraformAttribute: string): IResolvable {
    return this.interpolationForAttribute(terraformAttribute);
  }

  /** String map attribute reference. */
  public getStringMapAttribute(terraformAttribute: string): Record<string, string> {
    return Token.asStringMap(this.interpolationForAttribute(terraformAttribute));
  }
}
