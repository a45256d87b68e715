/**
 * The one model of a CertificateSigningRequest that every layer shares: the construct's props, the runtime's config
 * and the provider's reading of its HCL values are all this type (or extend it), in the Kubernetes API's camelCase.
 */

/** Fields of a CertificateSigningRequest the rules look at, as Kubernetes API paths (also the camelCase prop paths). */
export type CsrField =
  | 'metadata.name'
  | 'metadata.generateName'
  | 'spec.request'
  | 'spec.signerName'
  | 'spec.expirationSeconds'
  | 'spec.usages';

/** The Terraform (HCL/JSON) attribute path of each field. */
export const TERRAFORM_FIELD_NAMES: Readonly<Record<CsrField, string>> = {
  'metadata.name': 'metadata.name',
  'metadata.generateName': 'metadata.generate_name',
  'spec.request': 'spec.request',
  'spec.signerName': 'spec.signer_name',
  'spec.expirationSeconds': 'spec.expiration_seconds',
  'spec.usages': 'spec.usages',
};

/** `metadata` of a CertificateSigningRequest: give `name` or `generateName`. */
export interface CsrMetadata {
  /**
   * metadata.name (Terraform `metadata.name`): the object name, a DNS-1123 subdomain. The object is created under this
   * fixed name on every open and deleted afterwards; open fails while an object of that name exists, and leaves it
   * untouched. hashicorp/kubernetes requires it.
   * @default - generated from `generateName`
   */
  readonly name?: string;
  /**
   * metadata.generateName (Terraform `metadata.generate_name`, kubecsr only): a name prefix the API server completes
   * with a random suffix, so parallel runs and stacks never collide.
   * @default - none
   */
  readonly generateName?: string;
  /**
   * metadata.labels (no Terraform attribute): extra labels of the object.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `spec` of a CertificateSigningRequest, as certificates.k8s.io/v1 defines it. */
export interface CsrRequestSpec {
  /**
   * spec.request (Terraform `spec.request`): the PEM "CERTIFICATE REQUEST" (PKCS#10) text, not base64-encoded again.
   */
  readonly request: string;
  /** spec.signerName (Terraform `spec.signer_name`): a qualified name such as `kubernetes.io/kube-apiserver-client`. */
  readonly signerName: string;
  /**
   * spec.expirationSeconds (Terraform `spec.expiration_seconds`): requested validity, 600 to 2147483647 seconds; the
   * signer may shorten it.
   * @default - the signer's default duration (kube-controller-manager --cluster-signing-duration)
   */
  readonly expirationSeconds?: number;
  /**
   * spec.usages (Terraform `spec.usages`): key usages, e.g. `["client auth"]`. certificates.k8s.io/v1 requires at
   * least one.
   * @default - none (the API server then rejects the request)
   */
  readonly usages?: readonly string[];
}

/** A CertificateSigningRequest as a client writes it: the object's metadata and spec. */
export interface CsrSpec {
  /**
   * Terraform `metadata` block.
   * @default - no name: the caller's default applies (the runtime uses generateName "kube-csr-")
   */
  readonly metadata?: CsrMetadata;
  /** Terraform `spec` block. */
  readonly spec: CsrRequestSpec;
}

/**
 * A {@link CsrSpec} that may be incomplete, as a configuration is before validation: any field may be absent, or an
 * unresolved value (a cdktf token, a Terraform unknown) the rules skip.
 */
export interface CsrSpecDraft {
  /**
   * Terraform `metadata` block.
   * @default - none
   */
  readonly metadata?: CsrMetadata;
  /**
   * Terraform `spec` block.
   * @default - none
   */
  readonly spec?: Partial<CsrRequestSpec>;
}

/** Largest value of spec.expirationSeconds (an int32 in the API). */
export const MAX_EXPIRATION_SECONDS = 2_147_483_647;
/** Smallest value of spec.expirationSeconds the API accepts (10 minutes). */
export const MIN_EXPIRATION_SECONDS = 600;
