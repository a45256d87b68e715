/**
 * The one model of a cert-manager CertificateRequest (cert-manager.io/v1) that every layer shares: the runtime's
 * config, the provider's reading of its HCL values and the CLI's request are this type, and the construct maps its
 * props onto it; in cert-manager's own camelCase, the Terraform names in the TSDoc.
 */

/** Fields of a CertificateRequest the rules look at, as Kubernetes API paths (also the camelCase prop paths). */
export type CertManagerField =
  | 'metadata.name'
  | 'metadata.generateName'
  | 'metadata.namespace'
  | 'spec.request'
  | 'spec.issuerRef.name'
  | 'spec.issuerRef.kind'
  | 'spec.issuerRef.group'
  | 'spec.duration'
  | 'spec.usages'
  | 'spec.isCA';

/** The Terraform attribute path of each field (`kubecsr_cert_manager_certificate_request`). */
export const CERT_MANAGER_TERRAFORM_FIELD_NAMES: Readonly<Record<CertManagerField, string>> = {
  'metadata.name': 'metadata.name',
  'metadata.generateName': 'metadata.generate_name',
  'metadata.namespace': 'metadata.namespace',
  'spec.request': 'spec.request',
  'spec.issuerRef.name': 'spec.issuer_ref.name',
  'spec.issuerRef.kind': 'spec.issuer_ref.kind',
  'spec.issuerRef.group': 'spec.issuer_ref.group',
  'spec.duration': 'spec.duration',
  'spec.usages': 'spec.usages',
  'spec.isCA': 'spec.is_ca',
};

/** `metadata` of a CertificateRequest: its namespace, and `name` or `generateName`. */
export interface CertManagerRequestMetadata {
  /**
   * metadata.name (Terraform `metadata.name`): a fixed object name, a DNS-1123 subdomain. Open fails while an object
   * of that name exists, and leaves it untouched.
   * @default - generated from `generateName`
   */
  readonly name?: string;
  /**
   * metadata.generateName (Terraform `metadata.generate_name`): a name prefix the API server completes with a random
   * suffix, so that parallel runs never collide.
   * @default - none: the runtime uses "kube-csr-" when `name` is not set either
   */
  readonly generateName?: string;
  /**
   * metadata.namespace (Terraform `metadata.namespace`): where the CertificateRequest is created; an `Issuer` must
   * be in the same namespace.
   */
  readonly namespace: string;
  /**
   * metadata.labels (no Terraform attribute): extra labels of the object; the runtime always adds its managed-by
   * label.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `spec.issuerRef` of a CertificateRequest: the issuer that signs it. */
export interface CertManagerRequestIssuerRef {
  /** spec.issuerRef.name (Terraform `spec.issuer_ref.name`): the Issuer's or ClusterIssuer's name. */
  readonly name: string;
  /**
   * spec.issuerRef.kind (Terraform `spec.issuer_ref.kind`): `Issuer` (in the request's namespace) or `ClusterIssuer`
   * in the cert-manager.io group; an external issuer's own kind otherwise.
   * @default 'Issuer'
   */
  readonly kind?: string;
  /**
   * spec.issuerRef.group (Terraform `spec.issuer_ref.group`): the issuer's API group; another group means an
   * external issuer.
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

/** `spec` of a CertificateRequest, as cert-manager.io/v1 defines it. */
export interface CertManagerRequestSpecFields {
  /**
   * spec.request (Terraform `spec.request`): the PEM "CERTIFICATE REQUEST" (PKCS#10) text, not base64-encoded again
   * (the runtime does that).
   */
  readonly request: string;
  /** spec.issuerRef (Terraform `spec.issuer_ref` block). */
  readonly issuerRef: CertManagerRequestIssuerRef;
  /**
   * spec.duration (Terraform `spec.duration`): requested lifetime, a Go duration of at least "1h" such as "24h"; the
   * issuer may shorten it.
   * @default - the issuer's (90 days for CA and SelfSigned issuers)
   */
  readonly duration?: string;
  /**
   * spec.usages (Terraform `spec.usages`): key usages, e.g. `["digital signature", "key encipherment", "client auth"]`.
   * @default - cert-manager's: digital signature, key encipherment
   */
  readonly usages?: readonly string[];
  /**
   * spec.isCA (Terraform `spec.is_ca`): ask for a CA certificate (cert-manager adds the `cert sign` usage).
   * @default false
   */
  readonly isCA?: boolean;
}

/** A cert-manager CertificateRequest as a client writes it: the object's metadata and spec. */
export interface CertManagerRequestSpec {
  /** Terraform `metadata` block. */
  readonly metadata: CertManagerRequestMetadata;
  /** Terraform `spec` block. */
  readonly spec: CertManagerRequestSpecFields;
}

/**
 * A {@link CertManagerRequestSpec} that may be incomplete, as a configuration is before validation: any field may be
 * absent, or an unresolved value (a cdktf token, a Terraform unknown) the rules skip.
 */
export interface CertManagerRequestSpecDraft {
  /**
   * Terraform `metadata` block.
   * @default - none
   */
  readonly metadata?: Partial<CertManagerRequestMetadata>;
  /**
   * Terraform `spec` block.
   * @default - none
   */
  readonly spec?: Partial<Omit<CertManagerRequestSpecFields, 'issuerRef'>> & {
    /**
     * Terraform `spec.issuer_ref` block.
     * @default - none
     */
    readonly issuerRef?: Partial<CertManagerRequestIssuerRef>;
  };
}
