import { Annotations, Token } from 'cdktf';
import type { IResolvable } from 'cdktf';
import type { Construct } from 'constructs';
import { assertValidCsr } from '../rules/index.js';
import type { CsrMetadata, CsrRequestSpec, CsrSpec } from '../rules/index.js';
import { metaArgumentsOf, TerraformEphemeralResource } from './ephemeral-resource.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';
import type { JsonObject } from './cdktf-internals.js';
import { definedOnly, hclBlock, hclSimple, hclStringList } from './hcl-attributes.js';
import { isKubeCsrProvider } from './kubecsr-provider.js';
import { timeoutProblem } from './timeout-rule.js';

/**
 * Terraform `metadata` block of the ephemeral `kubernetes_certificate_signing_request_v1`: the shared model's metadata
 * without labels. hashicorp/kubernetes requires `name`; `generateName` needs `provider` to be a {@link KubeCsrProvider}.
 * Set exactly one of them.
 */
export type KubernetesCertificateSigningRequestV1EphemeralMetadata = Pick<CsrMetadata, 'name' | 'generateName'>;

/** Terraform `spec` block of the ephemeral `kubernetes_certificate_signing_request_v1`: the shared model's spec. */
export type KubernetesCertificateSigningRequestV1EphemeralSpec = CsrRequestSpec;

/** Configuration of {@link KubernetesCertificateSigningRequestV1Ephemeral}. */
export interface KubernetesCertificateSigningRequestV1EphemeralConfig extends CsrSpec, TerraformEphemeralMetaArguments {
  /** Terraform `metadata` block. */
  readonly metadata: KubernetesCertificateSigningRequestV1EphemeralMetadata;
  /**
   * Terraform `auto_approve`: let the provider approve the request before waiting for the certificate.
   * Always written out explicitly, because the Go provider also approves when the attribute is null.
   * With `false`, someone else must approve within about 6 minutes or opening fails.
   * @default true
   */
  readonly autoApprove?: boolean | IResolvable;
  /**
   * Terraform `timeout` (kubecsr only): how long to wait for approval and signature, e.g. `"90s"` or `"5m"`.
   * Needs `provider` to be a {@link KubeCsrProvider}.
   * @default - "5m"
   */
  readonly timeout?: string;
  /**
   * Terraform `ca_bundle` (kubecsr only): PEM CA certificates the issued chain must verify against (for
   * kube-apiserver-client, the cluster CA), e.g. `Fn.file(path)`. Needs `provider` to be a {@link KubeCsrProvider}.
   * @default - the chain is not verified against a CA
   */
  readonly caBundle?: string;
}

/** Same configuration under the name CDK Terrain's generated binding uses. */
export type EphemeralKubernetesCertificateSigningRequestV1Config = KubernetesCertificateSigningRequestV1EphemeralConfig;

/** What a provider-dependent rule sees. */
interface ProviderRuleContext {
  readonly config: KubernetesCertificateSigningRequestV1EphemeralConfig;
  /** True when `provider` is a kubecsr configuration. */
  readonly kubecsr: boolean;
}

/** The kubecsr extras: arguments hashicorp/kubernetes does not have. */
const KUBECSR_EXTRAS: readonly {
  readonly prop: string;
  readonly terraform: string;
  readonly value: (c: KubernetesCertificateSigningRequestV1EphemeralConfig) => unknown;
}[] = [
  { prop: 'metadata.generateName', terraform: 'metadata.generate_name', value: (c) => c.metadata.generateName },
  { prop: 'timeout', terraform: 'timeout', value: (c) => c.timeout },
  { prop: 'caBundle', terraform: 'ca_bundle', value: (c) => c.caBundle },
];

/**
 * Rules that depend on the provider, or on fields the shared spec rules do not know, as data: each one names the
 * field, what was received, what is allowed and the fix. Values that are tokens count as set but are not checked.
 */
const PROVIDER_RULES: readonly {
  readonly when: (c: ProviderRuleContext) => boolean;
  readonly message: (c: ProviderRuleContext) => string;
}[] = [
  {
    when: ({ config }) => config.metadata.name !== undefined && config.metadata.generateName !== undefined,
    message: ({ config }) =>
      `metadata.name and metadata.generateName are both set (received ${JSON.stringify(config.metadata.name)} and ` +
      `${JSON.stringify(config.metadata.generateName)}); allowed: exactly one of them; fix: keep name (a fixed name, ` +
      'open fails while it is taken) or generateName (a prefix the API server completes)',
  },
  ...KUBECSR_EXTRAS.map((extra) => ({
    when: ({ config, kubecsr }: ProviderRuleContext) => !kubecsr && extra.value(config) !== undefined,
    message: () =>
      `${extra.prop} (terraform: ${extra.terraform}) needs the kubecsr provider: hashicorp/kubernetes has no such ` +
      'argument and would reject the configuration; fix: pass provider: new KubeCsrProvider(...) (installed with ' +
      `\`npx kube-csr provider install\`), or remove ${extra.prop}`,
  })),
  {
    when: ({ config }) => timeoutProblem(config.timeout) !== undefined,
    message: ({ config }) => timeoutProblem(config.timeout) ?? '',
  },
];

/**
 * The ephemeral `kubernetes_certificate_signing_request_v1` of the hashicorp/kubernetes provider (>= 2.34.0), with
 * exactly the schema the provider implements: `metadata { name }`,
 * `spec { request, signer_name, expiration_seconds, usages }`, `auto_approve`, and the read-only `certificate`.
 *
 * The same block is served by kubecsr, this package's own provider, when `provider` is a {@link KubeCsrProvider}
 * (Terraform implies hashicorp/kubernetes from the type name otherwise). Then, and only then, the extras
 * `metadata.generateName`, `timeout` and `caBundle` may be used.
 *
 * Opening it creates a CertificateSigningRequest, approves it (unless `autoApprove` is false), waits for the
 * certificate and deletes the object. The certificate is an ephemeral value: use it in provider blocks, write-only
 * arguments (kubernetes_secret_v1 `data_wo`), locals or other ephemeral resources, never in outputs or ordinary
 * resource arguments (synthesis reports such uses).
 *
 * The spec is validated at construction with the rules of `src/rules` (values that are tokens are skipped), and
 * again at synthesis for the rules that depend on `provider` (which may be changed after construction).
 */
export class KubernetesCertificateSigningRequestV1Ephemeral extends TerraformEphemeralResource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubernetes_certificate_signing_request_v1';

  private readonly config: KubernetesCertificateSigningRequestV1EphemeralConfig;

  public constructor(scope: Construct, id: string, config: KubernetesCertificateSigningRequestV1EphemeralConfig) {
    super(scope, id, {
      terraformResourceType: KubernetesCertificateSigningRequestV1Ephemeral.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'kubernetes', providerVersionConstraint: '>= 2.34.0' },
      alternativeProviderNames: ['kubecsr'],
      ...metaArgumentsOf(config),
    });
    this.config = config;
    this.assertProviderRules();
    const warnings = assertValidCsr(config, {
      isUnresolved: (v) => Token.isUnresolved(v),
      subject: `'${this.node.path}'`,
    });
    for (const warning of warnings) {
      Annotations.of(this).addWarning(warning.message);
    }
  }

  private assertProviderRules(): void {
    const context: ProviderRuleContext = { config: this.config, kubecsr: isKubeCsrProvider(this.provider) };
    const problems = PROVIDER_RULES.filter((rule) => rule.when(context)).map((rule) => rule.message(context));
    if (problems.length > 0) {
      throw new Error(`invalid ephemeral CertificateSigningRequest in '${this.node.path}': ${problems.join('; ')}`);
    }
  }

  /** Terraform `certificate`: the issued PEM certificate chain (a token; an ephemeral value). */
  public get certificate(): string {
    return this.getStringAttribute('certificate');
  }

  /** The `metadata.name` given, if any. */
  public get name(): string | undefined {
    return this.config.metadata.name;
  }

  /** The `metadata.generateName` given, if any (kubecsr only). */
  public get generateName(): string | undefined {
    return this.config.metadata.generateName;
  }

  /** The `spec.signer_name` given. */
  public get signerName(): string {
    return this.config.spec.signerName;
  }

  /** The `spec.request` given (a CSR: public information). */
  public get request(): string {
    return this.config.spec.request;
  }

  /** The `auto_approve` value written out. */
  public get autoApprove(): boolean | IResolvable {
    return this.config.autoApprove ?? true;
  }

  /** The block's attributes in snake_case JSON, as Terraform reads them (see TerraformEphemeralResource). */
  protected override synthesizeAttributes(): JsonObject {
    this.assertProviderRules();
    const { metadata, spec, timeout, caBundle } = this.config;
    return {
      metadata: { name: metadata.name, generate_name: metadata.generateName },
      spec: {
        request: spec.request,
        signer_name: spec.signerName,
        expiration_seconds: spec.expirationSeconds,
        usages: spec.usages,
      },
      auto_approve: this.autoApprove,
      timeout,
      ca_bundle: caBundle,
    };
  }

  /** The block's attributes typed for cdktf's HCL renderer (see TerraformEphemeralResource). */
  protected override synthesizeHclAttributes(): JsonObject {
    this.assertProviderRules();
    const { metadata, spec, timeout, caBundle } = this.config;
    return definedOnly({
      metadata: hclBlock(
        definedOnly({
          name: hclSimple(metadata.name, 'string'),
          generate_name: hclSimple(metadata.generateName, 'string'),
        }),
        'KubernetesCertificateSigningRequestV1EphemeralMetadata',
      ),
      spec: hclBlock(
        definedOnly({
          request: hclSimple(spec.request, 'string'),
          signer_name: hclSimple(spec.signerName, 'string'),
          expiration_seconds: hclSimple(spec.expirationSeconds, 'number'),
          usages: hclStringList(spec.usages),
        }),
        'KubernetesCertificateSigningRequestV1EphemeralSpec',
      ),
      auto_approve: hclSimple(this.autoApprove, 'boolean'),
      timeout: hclSimple(timeout, 'string'),
      ca_bundle: hclSimple(caBundle, 'string'),
    });
  }
}

/** The same construct under the class name CDK Terrain's generated binding uses. */
export const EphemeralKubernetesCertificateSigningRequestV1 = KubernetesCertificateSigningRequestV1Ephemeral;
/** Instance type of the alias `EphemeralKubernetesCertificateSigningRequestV1`. */
export type EphemeralKubernetesCertificateSigningRequestV1 = KubernetesCertificateSigningRequestV1Ephemeral;
