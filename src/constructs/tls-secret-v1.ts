import { Fn, Token } from 'cdktf';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1/index.js';
import { Construct } from 'constructs';

/** Terraform `metadata` of {@link TlsSecretV1}. */
export interface TlsSecretV1Metadata {
  /** Terraform `metadata.name`. */
  readonly name: string;
  /**
   * Terraform `metadata.namespace`.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Terraform `metadata.labels`.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Terraform `metadata.annotations`.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** Properties of {@link TlsSecretV1}. */
export interface TlsSecretV1Props {
  /** Terraform `metadata` block of the secret. */
  readonly metadata: TlsSecretV1Metadata;
  /** PEM certificate (chain) for `tls.crt`, typically an ephemeral `certificate` token. */
  readonly certificate: string;
  /** Path of the PEM private key file for `tls.key`; Terraform reads it with `file()` at plan/apply time. */
  readonly keyFile: string;
  /**
   * PEM CA bundle for `ca.crt`.
   * @default - no ca.crt entry
   */
  readonly caCertificate?: string;
  /**
   * Terraform `data_wo_revision` (>= 1). Write-only data is only sent when the secret is created or when this number
   * changes: bump it to push a renewed certificate.
   * @default 1
   */
  readonly revision?: number;
  /**
   * Terraform `provider` of the secret.
   * @default - the stack's default kubernetes provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Terraform `depends_on`.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `kubernetes_secret_v1` of type `kubernetes.io/tls` whose `tls.crt`/`tls.key` go through the write-only
 * `data_wo` argument (with `data_wo_revision`), so the (ephemeral) certificate and the key never land in Terraform
 * state or plan, and the key never enters the synthesized configuration (it is `file("<keyFile>")`).
 *
 * Needs hashicorp/kubernetes >= 2.36.0 (data_wo) and Terraform >= 1.11 (write-only arguments).
 */
export class TlsSecretV1 extends Construct {
  /** The underlying secret (construct id `Resource`). */
  public readonly secret: SecretV1;

  public constructor(scope: Construct, id: string, props: TlsSecretV1Props) {
    super(scope, id);
    if (props.keyFile.includes('-----BEGIN')) {
      throw new Error(
        `TlsSecretV1 '${this.node.path}': keyFile must be a path to a key file, not PEM text; never put key material in the configuration`,
      );
    }
    const revision = props.revision ?? 1;
    if (!Token.isUnresolved(revision) && (!Number.isInteger(revision) || revision < 1)) {
      throw new Error(
        `TlsSecretV1 '${this.node.path}': revision must be an integer >= 1 (data_wo_revision), received ${revision}; start at 1 and increment it to push new data`,
      );
    }
    const dataWo: Record<string, string> = {
      'tls.crt': props.certificate,
      'tls.key': Fn.file(props.keyFile),
    };
    if (props.caCertificate !== undefined) {
      dataWo['ca.crt'] = props.caCertificate;
    }
    this.secret = new SecretV1(this, 'Resource', {
      metadata: {
        name: props.metadata.name,
        namespace: props.metadata.namespace,
        labels: props.metadata.labels,
        annotations: props.metadata.annotations,
      },
      type: 'kubernetes.io/tls',
      dataWo,
      dataWoRevision: revision,
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }
}
