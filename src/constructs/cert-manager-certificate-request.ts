import { Annotations, Token } from 'cdktf';
import type { IResolvable } from 'cdktf';
import type { Construct } from 'constructs';
import { assertValidCertManagerRequest, CsrSpecError, parseGoDuration } from '../rules/index.js';
import type { CertManagerRequestSpecDraft, SpecViolation } from '../rules/index.js';
import type { JsonObject } from './cdktf-internals.js';
import { metaArgumentsOf, TerraformEphemeralResource } from './ephemeral-resource.js';
import { definedOnly, hclBlock, hclSimple, hclStringList } from './hcl-attributes.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';

/** Terraform `metadata` block of the ephemeral `kubecsr_cert_manager_certificate_request`. */
export interface CertManagerCertificateRequestMetadata {
  /**
   * Terraform `metadata.name`: a fixed name for the CertificateRequest (a DNS-1123 subdomain); opening fails if an
   * object of that name exists.
   * @default - generated from `generateName`
   */
  readonly name?: string;
  /**
   * Terraform `metadata.generate_name`: a prefix the API server completes with a random suffix, so that parallel
   * plans and applies never collide.
   * @default - the provider's ('kube-csr-')
   */
  readonly generateName?: string;
  /** Terraform `metadata.namespace`: where the CertificateRequest is created; an `Issuer` must be there too. */
  readonly namespace: string;
}

/** Terraform `spec.issuer_ref` block: the issuer that signs the request. */
export interface CertManagerIssuerRef {
  /** Terraform `spec.issuer_ref.name`: the Issuer's or ClusterIssuer's name. */
  readonly name: string;
  /**
   * Terraform `spec.issuer_ref.kind`: `Issuer` (in the request's namespace) or `ClusterIssuer` (CertManagerIssuerKind).
   * @default 'Issuer'
   */
  readonly kind?: string;
  /**
   * Terraform `spec.issuer_ref.group`: the issuer's API group; another group means an external issuer.
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

/** Terraform `spec` block of the ephemeral `kubecsr_cert_manager_certificate_request`. */
export interface CertManagerCertificateRequestSpec {
  /** Terraform `spec.request`: the PEM "CERTIFICATE REQUEST" (PKCS#10) text. */
  readonly request: string;
  /** Terraform `spec.issuer_ref` block. */
  readonly issuerRef: CertManagerIssuerRef;
  /**
   * Terraform `spec.duration`: requested lifetime, a Go duration of at least "1h" (e.g. "24h"); the issuer may
   * shorten it.
   * @default - the issuer's (90 days for CA and SelfSigned issuers)
   */
  readonly duration?: string;
  /**
   * Terraform `spec.usages`: key usages, e.g. `["digital signature", "key encipherment", "client auth"]`.
   * @default - cert-manager's: digital signature, key encipherment
   */
  readonly usages?: string[];
  /**
   * Terraform `spec.is_ca`: ask for a CA certificate (cert-manager adds the `cert sign` usage).
   * @default false
   */
  readonly isCa?: boolean | IResolvable;
}

/** Configuration of {@link CertManagerCertificateRequest}. */
export interface CertManagerCertificateRequestConfig extends TerraformEphemeralMetaArguments {
  /** Terraform `metadata` block. */
  readonly metadata: CertManagerCertificateRequestMetadata;
  /** Terraform `spec` block. */
  readonly spec: CertManagerCertificateRequestSpec;
  /**
   * Terraform `auto_approve`: approve the request through its status `Approved` condition (needs RBAC verb
   * `approve` on `signers` of cert-manager.io for the issuer). Off, cert-manager's approver (or a policy, or a
   * person) must approve it.
   * @default false
   */
  readonly autoApprove?: boolean | IResolvable;
  /**
   * Terraform `timeout`: how long opening waits for approval and issuance, a Go duration such as "5m".
   * @default - the provider's ("5m")
   */
  readonly timeout?: string;
}

/**
 * The ephemeral `kubecsr_cert_manager_certificate_request`, served by this project's own Terraform provider (local
 * name `kubecsr`; configure it with a KubeCsrProvider). Opening it creates a cert-manager CertificateRequest,
 * approves it when `autoApprove` is set, waits until the issuer issues the certificate, checks it against the
 * request's key and deletes the object; `certificate`, `ca` and `notAfter` are ephemeral values.
 *
 * The request is validated at construction with the rules the runtime applies (src/rules/cert-manager.ts); values
 * that are tokens are skipped.
 */
export class CertManagerCertificateRequest extends TerraformEphemeralResource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubecsr_cert_manager_certificate_request';

  private readonly config: CertManagerCertificateRequestConfig;

  public constructor(scope: Construct, id: string, config: CertManagerCertificateRequestConfig) {
    super(scope, id, {
      terraformResourceType: CertManagerCertificateRequest.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'kubecsr' },
      ...metaArgumentsOf(config),
    });
    this.config = config;
    const subject = `'${this.node.path}'`;
    const isUnresolved = (value: unknown) => Token.isUnresolved(value);
    const warnings = assertValidCertManagerRequest(certManagerRequestOf(config), { isUnresolved, subject });
    for (const warning of warnings) Annotations.of(this).addWarning(warning.message);
    if (config.timeout !== undefined && !isUnresolved(config.timeout)) {
      const problem = timeoutProblem(config.timeout);
      if (problem) {
        throw new CsrSpecError([problem], { subject, kind: 'cert-manager CertificateRequest' });
      }
    }
  }

  /** Terraform `certificate`: the issued PEM chain, leaf first (a token; an ephemeral value). */
  public get certificate(): string {
    return this.getStringAttribute('certificate');
  }

  /** Terraform `ca`: the issuer's CA certificate (PEM) as cert-manager reports it in status.ca (a token). */
  public get ca(): string {
    return this.getStringAttribute('ca');
  }

  /** Terraform `not_after`: the end of the certificate's validity, RFC 3339 (a token). */
  public get notAfter(): string {
    return this.getStringAttribute('not_after');
  }

  /** The `metadata.namespace` given. */
  public get namespace(): string {
    return this.config.metadata.namespace;
  }

  /** The `spec.issuer_ref` given. */
  public get issuerRef(): CertManagerIssuerRef {
    return this.config.spec.issuerRef;
  }

  /** The `spec.request` given (a CSR: public information). */
  public get request(): string {
    return this.config.spec.request;
  }

  /** The block's attributes in snake_case JSON, as Terraform reads them (see TerraformEphemeralResource). */
  protected override synthesizeAttributes(): JsonObject {
    const { metadata, spec } = this.config;
    return {
      metadata: { name: metadata.name, generate_name: metadata.generateName, namespace: metadata.namespace },
      spec: {
        request: spec.request,
        issuer_ref: { name: spec.issuerRef.name, kind: spec.issuerRef.kind, group: spec.issuerRef.group },
        duration: spec.duration,
        usages: spec.usages,
        is_ca: spec.isCa,
      },
      auto_approve: this.config.autoApprove,
      timeout: this.config.timeout,
    };
  }

  /** The block's attributes typed for cdktf's HCL renderer (see TerraformEphemeralResource). */
  protected override synthesizeHclAttributes(): JsonObject {
    const { metadata, spec } = this.config;
    return definedOnly({
      metadata: hclBlock(
        definedOnly({
          name: hclSimple(metadata.name, 'string'),
          generate_name: hclSimple(metadata.generateName, 'string'),
          namespace: hclSimple(metadata.namespace, 'string'),
        }),
        'CertManagerCertificateRequestMetadata',
      ),
      spec: hclBlock(
        definedOnly({
          request: hclSimple(spec.request, 'string'),
          issuer_ref: hclBlock(
            definedOnly({
              name: hclSimple(spec.issuerRef.name, 'string'),
              kind: hclSimple(spec.issuerRef.kind, 'string'),
              group: hclSimple(spec.issuerRef.group, 'string'),
            }),
            'CertManagerIssuerRef',
          ),
          duration: hclSimple(spec.duration, 'string'),
          usages: hclStringList(spec.usages),
          is_ca: hclSimple(spec.isCa, 'boolean'),
        }),
        'CertManagerCertificateRequestSpec',
      ),
      auto_approve: hclSimple(this.config.autoApprove, 'boolean'),
      timeout: hclSimple(this.config.timeout, 'string'),
    });
  }
}

/** The props as the shared model; values that are tokens pass through, for the rules to skip. */
function certManagerRequestOf({ metadata, spec }: CertManagerCertificateRequestConfig): CertManagerRequestSpecDraft {
  const { isCa, ...fields } = spec;
  // A token passes through as it is: isUnresolved recognises it and the rules that need it are skipped.
  return { metadata, spec: { ...fields, isCA: isCa as boolean | undefined } };
}

/** The `timeout` rule: a positive Go duration. */
function timeoutProblem(timeout: string): SpecViolation | undefined {
  const parsed = parseGoDuration(timeout);
  const problem = 'problem' in parsed ? parsed.problem : parsed.ms <= 0 ? 'must be longer than zero' : undefined;
  if (problem === undefined) return undefined;
  const received = JSON.stringify(timeout);
  const allowed = 'a positive Go duration, e.g. "30s", "5m", "1h"';
  const fix = 'write it like "5m", or leave it unset for the provider default';
  return {
    rule: 'timeout-duration',
    severity: 'error',
    field: 'timeout',
    terraformField: 'timeout',
    received,
    problem,
    allowed,
    fix,
    message: `timeout: ${problem}; received ${received}; allowed: ${allowed}; fix: ${fix}`,
  };
}
