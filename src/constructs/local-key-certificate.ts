import { Annotations, App, Fn, Token } from 'cdktf';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { createCertificateRequest } from '../pki/index.js';
import type { KeyType } from '../pki/index.js';
import { toDns1123Subdomain } from '../spec/index.js';
import { KubernetesCertificateSigningRequestV1Ephemeral } from './certificate-signing-request-v1-ephemeral.js';
import type { IClientCredentials } from './issued-identity-provider.js';
import { isKubeCsrProvider } from './kubecsr-provider.js';
import { ensureLocalKey } from './local-key.js';

/** Properties shared by {@link ClientCertificate} and {@link ServingCertificate}. */
export interface LocalKeyCertificateProps {
  /**
   * Base name of the CertificateSigningRequest and of the key file. With hashicorp/kubernetes it is the fixed
   * Terraform `metadata.name`; with a {@link KubeCsrProvider} as `provider`, the CSR gets
   * `metadata.generate_name = "<name>-"` instead, so parallel runs of one stack never collide.
   * @default - derived from the subject and the construct path, e.g. `alice-1a2b3c4d`
   */
  readonly name?: string;
  /**
   * Algorithm of the key generated for this certificate (an existing key file must match).
   * @default 'ecdsa-p256'
   */
  readonly keyType?: KeyType;
  /**
   * Key file to use: generated (0600) when missing, reused while it exists. Must be outside the synth output.
   * @default - `<keyDirectory>/<name>.key`
   */
  readonly keyFile?: string;
  /**
   * Directory of generated keys.
   * @default - `.cdktf-kubernetes-csr/keys` under process.cwd()
   */
  readonly keyDirectory?: string;
  /**
   * Terraform `spec.expiration_seconds` (600 to 2147483647).
   * @default - the signer's default duration
   */
  readonly expirationSeconds?: number;
  /**
   * Terraform `auto_approve`.
   * @default true
   */
  readonly autoApprove?: boolean;
  /**
   * Terraform `timeout` (kubecsr only): how long to wait for approval and signature, e.g. `"90s"`.
   * @default - "5m"
   */
  readonly timeout?: string;
  /**
   * Terraform `ca_bundle` (kubecsr only): PEM CA certificates the issued chain must verify against.
   * @default - the chain is not verified against a CA
   */
  readonly caBundle?: string;
  /**
   * Provider that creates (and approves) the CertificateSigningRequest: a KubernetesProvider, or a
   * {@link KubeCsrProvider} (then the CSR uses generate_name, and `timeout`/`caBundle` may be set).
   * @default - the stack's default kubernetes provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Terraform `depends_on` of the ephemeral resource.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** What a subclass decides: the CSR subject, SANs, signer and usages. */
export interface CertificateRequestShape {
  /** Subject common name (CN). */
  readonly commonName: string;
  /** Subject organizations (O). @default - none */
  readonly organizations?: readonly string[];
  /** DNS subjectAltNames. @default - none */
  readonly dnsNames?: readonly string[];
  /** IP subjectAltNames. @default - none */
  readonly ipAddresses?: readonly string[];
  /** Terraform `spec.signer_name`. */
  readonly signerName: string;
  /** Terraform `spec.usages`. */
  readonly usages: readonly string[];
  /** Text the default name is derived from. */
  readonly nameHint: string;
}

function requireKnown(path: string, what: string, values: readonly (string | undefined)[]): void {
  if (values.some((v) => v !== undefined && Token.isUnresolved(v))) {
    throw new Error(
      `${path}: ${what} must be known at synth time (the CSR is created during synthesis), but a token was given; pass a literal value`,
    );
  }
}

function synthOutdir(scope: Construct): string | undefined {
  try {
    return App.of(scope).outdir;
  } catch {
    return undefined;
  }
}

/**
 * Base of the certificates backed by a local key: generates or reuses the key file, creates the CSR at synth time and
 * declares the ephemeral `kubernetes_certificate_signing_request_v1` (construct id `Resource`).
 */
export abstract class LocalKeyCertificate extends Construct implements IClientCredentials {
  /** The ephemeral CertificateSigningRequest. */
  public readonly csr: KubernetesCertificateSigningRequestV1Ephemeral;
  /** Absolute path of the private key file (mode 0600). The key itself never enters the configuration. */
  public readonly keyFile: string;
  /** The PEM CSR sent to Kubernetes (public information). */
  public readonly request: string;
  /**
   * Base name of the CertificateSigningRequest and the key file: the CSR's `metadata.name`, or with kubecsr the
   * prefix of its `metadata.generate_name` (`<name>-`).
   */
  public readonly name: string;

  protected constructor(scope: Construct, id: string, props: LocalKeyCertificateProps, shape: CertificateRequestShape) {
    super(scope, id);
    requireKnown(this.node.path, 'the subject, subjectAltNames and key settings', [
      shape.commonName,
      ...(shape.organizations ?? []),
      ...(shape.dnsNames ?? []),
      ...(shape.ipAddresses ?? []),
      props.name,
      props.keyFile,
      props.keyDirectory,
    ]);
    this.name = props.name ?? `${toDns1123Subdomain(shape.nameHint, 40)}-${this.node.addr.slice(0, 8)}`;
    const outdir = synthOutdir(this);
    const key = ensureLocalKey({
      name: this.name,
      keyType: props.keyType,
      keyFile: props.keyFile,
      keyDirectory: props.keyDirectory,
      forbiddenDirectories: outdir === undefined ? [] : [outdir],
    });
    for (const warning of key.warnings) {
      Annotations.of(this).addWarning(warning);
    }
    this.keyFile = key.keyFile;
    this.request = createCertificateRequest({
      privateKey: key.privateKey,
      commonName: shape.commonName,
      organizations: shape.organizations === undefined ? undefined : [...shape.organizations],
      dnsNames: shape.dnsNames === undefined ? undefined : [...shape.dnsNames],
      ipAddresses: shape.ipAddresses === undefined ? undefined : [...shape.ipAddresses],
    });
    this.csr = new KubernetesCertificateSigningRequestV1Ephemeral(this, 'Resource', {
      metadata: isKubeCsrProvider(props.provider) ? { generateName: `${this.name}-` } : { name: this.name },
      spec: {
        request: this.request,
        signerName: shape.signerName,
        expirationSeconds: props.expirationSeconds,
        usages: [...shape.usages],
      },
      autoApprove: props.autoApprove ?? true,
      timeout: props.timeout,
      caBundle: props.caBundle,
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }

  /** The issued PEM certificate chain: an ephemeral value (a token). */
  public get certificate(): string {
    return this.csr.certificate;
  }

  /** `file("<keyFile>")`: the key for provider `client_key` or secret `tls.key`, read by Terraform. */
  public get keyFileContents(): string {
    return Fn.file(this.keyFile);
  }
}
