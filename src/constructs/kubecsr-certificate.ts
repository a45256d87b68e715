import type { Construct } from 'constructs';
import { wellKnownSigner } from '../rules/index.js';
import type { JsonObject } from './cdktf-internals.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';
import { definedOnly, hclSimple, hclStringList } from './hcl-attributes.js';
import { assertValidIssuance } from './kubecsr-issuance.js';
import { KubeCsrKeyResource } from './kubecsr-key-resource.js';
import type { KubeCsrIssuanceProps } from './kubecsr-key-resource.js';

/** Configuration of {@link KubeCsrCertificate}: the ephemeral `kubecsr_certificate`. */
export interface KubeCsrCertificateConfig extends TerraformEphemeralMetaArguments, KubeCsrIssuanceProps {
  /**
   * Terraform `common_name`: the subject common name (CN). For `kubernetes.io/kube-apiserver-client` it is the user
   * name.
   */
  readonly commonName: string;
  /**
   * Terraform `signer_name`: the signer, e.g. `kubernetes.io/kube-apiserver-client` or `example.com/serving`.
   */
  readonly signerName: string;
  /**
   * Terraform `organizations`: the subject organizations (O), in order; for kube-apiserver-client, the groups.
   * @default - none
   */
  readonly organizations?: string[];
  /**
   * Terraform `dns_names`: DNS subjectAltNames, e.g. `['web.demo.svc']`.
   * @default - none
   */
  readonly dnsNames?: string[];
  /**
   * Terraform `ip_addresses`: IP subjectAltNames, IPv4 or IPv6.
   * @default - none
   */
  readonly ipAddresses?: string[];
  /**
   * Terraform `uris`: URI subjectAltNames, e.g. `['spiffe://cluster.local/ns/default/sa/app']`.
   * @default - none
   */
  readonly uris?: string[];
  /**
   * Terraform `usages`: key usages, e.g. `['digital signature', 'key encipherment', 'server auth']`.
   * @default - the usual set of a kubernetes.io signer (kube-apiserver-client: `['client auth']`); other signers need it
   */
  readonly usages?: string[];
}

/**
 * kubecsr's ephemeral `kubecsr_certificate`: a certificate from any CertificateSigningRequest signer, for a key that
 * kubecsr generates in memory while Terraform opens the resource. Key and certificate exist only as ephemeral
 * values: nothing secret enters the configuration, a file, the plan or the state.
 *
 * Only kubecsr serves the type: give `provider` a {@link KubeCsrProvider} (or an alias of one), or have a default
 * KubeCsrProvider in the stack. Use the results in provider blocks, write-only arguments (kubernetes_secret_v1
 * `data_wo`, see {@link TlsSecretV1}), locals or other ephemeral resources; synthesis reports any other use.
 *
 * The request it describes is validated at construction with the provider's rules (key type, timeout, subject and
 * subjectAltNames, and the shared CertificateSigningRequest rules of `src/rules`); values that are tokens are skipped.
 */
export class KubeCsrCertificate extends KubeCsrKeyResource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubecsr_certificate';

  private readonly config: KubeCsrCertificateConfig;

  public constructor(scope: Construct, id: string, config: KubeCsrCertificateConfig) {
    super(scope, id, KubeCsrCertificate.tfResourceType, 'KubeCsrCertificate', config);
    this.config = config;
    assertValidIssuance(
      this,
      'kubecsr_certificate',
      {
        ...config,
        usages: config.usages ?? wellKnownSigner(config.signerName)?.suggestedUsages,
      },
      {
        commonName: { prop: 'commonName', terraform: 'common_name' },
        organizations: { prop: 'organizations', terraform: 'organizations' },
        usagesAttribute: true,
      },
    );
  }

  /** The `common_name` given. */
  public get commonName(): string {
    return this.config.commonName;
  }

  /** The `signer_name` given. */
  public get signerName(): string {
    return this.config.signerName;
  }

  /** The block's attributes in snake_case JSON, as Terraform reads them (see TerraformEphemeralResource). */
  protected override synthesizeAttributes(): JsonObject {
    const c = this.config;
    return definedOnly({
      common_name: c.commonName,
      organizations: c.organizations,
      dns_names: c.dnsNames,
      ip_addresses: c.ipAddresses,
      uris: c.uris,
      usages: c.usages,
      signer_name: c.signerName,
      ...this.issuanceAttributes(c),
    });
  }

  /** The block's attributes typed for cdktf's HCL renderer (see TerraformEphemeralResource). */
  protected override synthesizeHclAttributes(): JsonObject {
    const c = this.config;
    return definedOnly({
      common_name: hclSimple(c.commonName, 'string'),
      organizations: hclStringList(c.organizations),
      dns_names: hclStringList(c.dnsNames),
      ip_addresses: hclStringList(c.ipAddresses),
      uris: hclStringList(c.uris),
      usages: hclStringList(c.usages),
      signer_name: hclSimple(c.signerName, 'string'),
      ...this.issuanceHclAttributes(c),
    });
  }
}
