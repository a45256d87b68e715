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
  /**
   * Path of the PEM private key file for `tls.key`; Terraform reads it with `file()` at plan/apply time. Set this or
   * `privateKeyPem`.
   * @default - none
   */
  readonly keyFile?: string;
  /**
   * The PEM private key for `tls.key` as an ephemeral value, e.g. the `privateKeyPem` of a {@link KubeCsrCertificate}
   * (a reference, never PEM text). Set this or `keyFile`.
   * @default - none
   */
  readonly privateKeyPem?: string;
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

/** What the key of a TLS secret may be, as data: the field, the value, what is allowed and the fix. */
const KEY_RULES: readonly {
  readonly when: (p: TlsSecretV1Props) => boolean;
  readonly message: (p: TlsSecretV1Props) => string;
}[] = [
  {
    when: (p) => (p.keyFile === undefined) === (p.privateKeyPem === undefined),
    message: (p) =>
      `${p.keyFile === undefined ? 'neither keyFile nor privateKeyPem is set' : 'keyFile and privateKeyPem are both set'}; ` +
      'allowed: exactly one, the path of a key file or an ephemeral key; fix: set keyFile for a local file, or ' +
      'privateKeyPem for an in-memory key (e.g. KubeCsrCertificate.privateKeyPem)',
  },
  {
    when: (p) => p.keyFile?.includes('-----BEGIN') === true,
    message: () => 'keyFile must be a path to a key file, not PEM text; never put key material in the configuration',
  },
  {
    when: (p) => p.privateKeyPem !== undefined && !Token.isUnresolved(p.privateKeyPem),
    message: () =>
      'privateKeyPem must be an ephemeral reference (e.g. KubeCsrCertificate.privateKeyPem), not literal text: ' +
      'literal text would be written into cdktf.out; fix: pass the reference, or keyFile for a local file',
  },
];

/**
 * A `kubernetes_secret_v1` of type `kubernetes.io/tls` whose `tls.crt`/`tls.key` go through the write-only
 * `data_wo` argument (with `data_wo_revision`), so the (ephemeral) certificate and the key never land in Terraform
 * state or plan, and the key never enters the synthesized configuration (it is an ephemeral reference, or
 * `file("<keyFile>")`).
 *
 * Needs hashicorp/kubernetes >= 2.36.0 (data_wo) and Terraform >= 1.11 (write-only arguments).
 */
export class TlsSecretV1 extends Construct {
  /** The underlying secret (construct id `Resource`). */
  public readonly secret: SecretV1;

  public constructor(scope: Construct, id: string, props: TlsSecretV1Props) {
    super(scope, id);
    const problems = KEY_RULES.filter((rule) => rule.when(props)).map((rule) => rule.message(props));
    if (problems.length > 0) {
      throw new Error(`TlsSecretV1 '${this.node.path}': ${problems.join('; ')}`);
    }
    const revision = props.revision ?? 1;
    if (!Token.isUnresolved(revision) && (!Number.isInteger(revision) || revision < 1)) {
      throw new Error(
        `TlsSecretV1 '${this.node.path}': revision must be an integer >= 1 (data_wo_revision), received ${revision}; start at 1 and increment it to push new data`,
      );
    }
    const dataWo: Record<string, string> = {
      'tls.crt': props.certificate,
      'tls.key': props.keyFile !== undefined ? Fn.file(props.keyFile) : (props.privateKeyPem ?? ''),
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
