import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { dns1123LabelProblems, KUBE_APISERVER_CLIENT_SIGNER, wellKnownSigner } from '../rules/index.js';
import type { JsonObject } from './cdktf-internals.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';
import { definedOnly, hclSimple, hclStringList } from './hcl-attributes.js';
import { assertValidIssuance } from './kubecsr-issuance.js';
import { KubeCsrKeyResource } from './kubecsr-key-resource.js';
import type { KubeCsrIssuanceProps } from './kubecsr-key-resource.js';

/** Configuration of {@link KubeCsrClientIdentity}: the ephemeral `kubecsr_client_identity`. */
export interface KubeCsrClientIdentityConfig extends TerraformEphemeralMetaArguments, KubeCsrIssuanceProps {
  /** Terraform `user`: the user name the API server will see (the certificate's CN). */
  readonly user: string;
  /**
   * Terraform `groups`: the groups the API server will see (the certificate's O), besides system:authenticated.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Terraform `namespace`: the default namespace of the `kubeconfig` result's context (a DNS-1123 label).
   * @default - none (kubectl's "default")
   */
  readonly namespace?: string;
  /**
   * Terraform `signer_name`: the signer. The usages are the signer's usual set (`client auth`).
   * @default 'kubernetes.io/kube-apiserver-client'
   */
  readonly signerName?: string;
}

/**
 * kubecsr's ephemeral `kubecsr_client_identity`: credentials for a Kubernetes user, generated while Terraform opens
 * the resource: a key made in memory, a client certificate with CN=user and O=groups (default signer
 * `kubernetes.io/kube-apiserver-client`), and a complete kubeconfig for the provider's cluster with both embedded.
 * Everything is an ephemeral value: give it to a provider block (a {@link KubeCsrProvider}'s `kubeconfig`, or `host`,
 * `clusterCaCertificate`, `clientCertificate` and `clientKey`), a write-only argument or another ephemeral resource.
 *
 * Only kubecsr serves the type: give `provider` a {@link KubeCsrProvider} (or an alias of one), or have a default
 * KubeCsrProvider in the stack. Validated at construction like {@link KubeCsrCertificate}, plus `namespace`.
 */
export class KubeCsrClientIdentity extends KubeCsrKeyResource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubecsr_client_identity';

  private readonly config: KubeCsrClientIdentityConfig;

  public constructor(scope: Construct, id: string, config: KubeCsrClientIdentityConfig) {
    super(scope, id, KubeCsrClientIdentity.tfResourceType, 'KubeCsrClientIdentity', config);
    this.config = config;
    const namespace = config.namespace;
    if (namespace !== undefined && !Token.isUnresolved(namespace)) {
      const problems = dns1123LabelProblems(namespace);
      if (problems.length > 0) {
        throw new Error(
          `invalid kubecsr_client_identity in '${this.node.path}': namespace ${problems.join(' and ')}, received ` +
            `${JSON.stringify(namespace)}; allowed: a DNS-1123 label, at most 63 lowercase letters, digits and '-', ` +
            'alphanumeric at both ends; fix: write the name of a namespace, e.g. "team-a"',
        );
      }
    }
    const signerName = this.signerName;
    assertValidIssuance(
      this,
      'kubecsr_client_identity',
      {
        commonName: config.user,
        organizations: config.groups,
        usages: wellKnownSigner(signerName)?.suggestedUsages ?? ['client auth'],
        signerName,
        expirationSeconds: config.expirationSeconds,
        keyType: config.keyType,
        timeout: config.timeout,
      },
      {
        commonName: { prop: 'user', terraform: 'user' },
        organizations: { prop: 'groups', terraform: 'groups' },
        usagesAttribute: false,
      },
    );
  }

  /** Terraform `host`: the API server URL of the provider's cluster (ephemeral), for a provider block's `host`. */
  public get host(): string {
    return this.getStringAttribute('host');
  }

  /**
   * Terraform `kubeconfig`: a complete kubeconfig for the user, certificate and key embedded (ephemeral,
   * sensitive), e.g. for a {@link KubeCsrProvider}'s `kubeconfig`.
   */
  public get kubeconfig(): string {
    return this.getStringAttribute('kubeconfig');
  }

  /** The `user` given. */
  public get user(): string {
    return this.config.user;
  }

  /** The signer: the `signer_name` given, else kubernetes.io/kube-apiserver-client. */
  public get signerName(): string {
    return this.config.signerName ?? KUBE_APISERVER_CLIENT_SIGNER;
  }

  /** The block's attributes in snake_case JSON, as Terraform reads them (see TerraformEphemeralResource). */
  protected override synthesizeAttributes(): JsonObject {
    const c = this.config;
    return definedOnly({
      user: c.user,
      groups: c.groups,
      namespace: c.namespace,
      signer_name: c.signerName,
      ...this.issuanceAttributes(c),
    });
  }

  /** The block's attributes typed for cdktf's HCL renderer (see TerraformEphemeralResource). */
  protected override synthesizeHclAttributes(): JsonObject {
    const c = this.config;
    return definedOnly({
      user: hclSimple(c.user, 'string'),
      groups: hclStringList(c.groups),
      namespace: hclSimple(c.namespace, 'string'),
      signer_name: hclSimple(c.signerName, 'string'),
      ...this.issuanceHclAttributes(c),
    });
  }
}
