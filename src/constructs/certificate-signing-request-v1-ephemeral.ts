import { Annotations, Token } from 'cdktf';
import type { IResolvable } from 'cdktf';
import type { Construct } from 'constructs';
import { assertValidCsrSpec } from '../spec/index.js';
import { TerraformEphemeralResource } from './ephemeral-resource.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';
import type { JsonObject } from './cdktf-internals.js';

/** Terraform `metadata` block of the ephemeral `kubernetes_certificate_signing_request_v1`. */
export interface KubernetesCertificateSigningRequestV1EphemeralMetadata {
  /**
   * Terraform `metadata.name`: name of the CertificateSigningRequest object (a DNS-1123 subdomain). The provider
   * creates the object under this fixed name on every open and deletes it afterwards; it fails if the name exists.
   */
  readonly name: string;
}

/** Terraform `spec` block of the ephemeral `kubernetes_certificate_signing_request_v1`. */
export interface KubernetesCertificateSigningRequestV1EphemeralSpec {
  /** Terraform `spec.request`: the PEM "CERTIFICATE REQUEST" (PKCS#10) text. */
  readonly request: string;
  /**
   * Terraform `spec.signer_name`: the signer, a qualified name such as `kubernetes.io/kube-apiserver-client`.
   */
  readonly signerName: string;
  /**
   * Terraform `spec.expiration_seconds`: requested validity, 600 to 2147483647 seconds; the signer may shorten it.
   * @default - the signer's default duration (kube-controller-manager --cluster-signing-duration)
   */
  readonly expirationSeconds?: number;
  /**
   * Terraform `spec.usages`: key usages, e.g. `["client auth"]`. certificates.k8s.io/v1 requires at least one.
   * @default - none (the API server then rejects the request, so set it)
   */
  readonly usages?: string[];
}

/** Configuration of {@link KubernetesCertificateSigningRequestV1Ephemeral}. */
export interface KubernetesCertificateSigningRequestV1EphemeralConfig extends TerraformEphemeralMetaArguments {
  /** Terraform `metadata` block. */
  readonly metadata: KubernetesCertificateSigningRequestV1EphemeralMetadata;
  /** Terraform `spec` block. */
  readonly spec: KubernetesCertificateSigningRequestV1EphemeralSpec;
  /**
   * Terraform `auto_approve`: let the provider approve the request before waiting for the certificate.
   * Always written out explicitly, because the Go provider also approves when the attribute is null.
   * With `false`, someone else must approve within about 6 minutes or opening fails.
   * @default true
   */
  readonly autoApprove?: boolean | IResolvable;
}

/** Same configuration under the name CDK Terrain's generated binding uses. */
export type EphemeralKubernetesCertificateSigningRequestV1Config = KubernetesCertificateSigningRequestV1EphemeralConfig;

/**
 * The ephemeral `kubernetes_certificate_signing_request_v1` of the hashicorp/kubernetes provider (>= 2.34.0), with
 * exactly the schema the provider implements: `metadata { name }`, `spec { request, signer_name,
 * expiration_seconds, usages }`, `auto_approve`, and the read-only `certificate`.
 *
 * Opening it creates a CertificateSigningRequest, approves it (unless `autoApprove` is false), waits for the
 * certificate and deletes the object. The certificate is an ephemeral value: use it in provider blocks, write-only
 * arguments (kubernetes_secret_v1 `data_wo`), locals or other ephemeral resources, never in outputs or ordinary
 * resource arguments (synthesis reports such uses).
 *
 * The spec is validated at construction with the rules of `src/spec` (values that are tokens are skipped).
 */
export class KubernetesCertificateSigningRequestV1Ephemeral extends TerraformEphemeralResource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubernetes_certificate_signing_request_v1';

  private readonly config: KubernetesCertificateSigningRequestV1EphemeralConfig;

  public constructor(scope: Construct, id: string, config: KubernetesCertificateSigningRequestV1EphemeralConfig) {
    super(scope, id, {
      terraformResourceType: KubernetesCertificateSigningRequestV1Ephemeral.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'kubernetes', providerVersionConstraint: '>= 2.34.0' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    this.config = config;
    const warnings = assertValidCsrSpec(
      {
        name: config.metadata.name,
        request: config.spec.request,
        signerName: config.spec.signerName,
        expirationSeconds: config.spec.expirationSeconds,
        usages: config.spec.usages,
      },
      { isUnresolved: (v) => Token.isUnresolved(v), subject: `'${this.node.path}'` },
    );
    for (const warning of warnings) {
      Annotations.of(this).addWarning(warning.message);
    }
  }

  /** Terraform `certificate`: the issued PEM certificate chain (a token; an ephemeral value). */
  public get certificate(): string {
    return this.getStringAttribute('certificate');
  }

  /** The `metadata.name` given. */
  public get name(): string {
    return this.config.metadata.name;
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

  protected override synthesizeAttributes(): JsonObject {
    const { metadata, spec } = this.config;
    return {
      metadata: { name: metadata.name },
      spec: {
        request: spec.request,
        signer_name: spec.signerName,
        expiration_seconds: spec.expirationSeconds,
        usages: spec.usages,
      },
      auto_approve: this.autoApprove,
    };
  }

  protected override synthesizeHclAttributes(): JsonObject {
    const { metadata, spec } = this.config;
    const simple = (value: unknown, storageClassType: string): JsonObject | undefined =>
      value === undefined ? undefined : { value, isBlock: false, type: 'simple', storageClassType };
    const dropUndefined = (o: Record<string, JsonObject | undefined>): JsonObject =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    return dropUndefined({
      metadata: {
        value: dropUndefined({ name: simple(metadata.name, 'string') }),
        isBlock: true,
        type: 'struct',
        storageClassType: 'KubernetesCertificateSigningRequestV1EphemeralMetadata',
      },
      spec: {
        value: dropUndefined({
          request: simple(spec.request, 'string'),
          signer_name: simple(spec.signerName, 'string'),
          expiration_seconds: simple(spec.expirationSeconds, 'number'),
          usages:
            spec.usages === undefined
              ? undefined
              : { value: spec.usages, isBlock: false, type: 'list', storageClassType: 'stringList' },
        }),
        isBlock: true,
        type: 'struct',
        storageClassType: 'KubernetesCertificateSigningRequestV1EphemeralSpec',
      },
      auto_approve: simple(this.autoApprove, 'boolean'),
    });
  }
}

/** The same construct under the class name CDK Terrain's generated binding uses. */
export const EphemeralKubernetesCertificateSigningRequestV1 = KubernetesCertificateSigningRequestV1Ephemeral;
/** Instance type of {@link EphemeralKubernetesCertificateSigningRequestV1}. */
export type EphemeralKubernetesCertificateSigningRequestV1 = KubernetesCertificateSigningRequestV1Ephemeral;
