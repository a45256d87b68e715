import type { IResolvable } from 'cdktf';
import type { Construct } from 'constructs';
import type { KeyType } from '../pki/index.js';
import type { JsonObject } from './cdktf-internals.js';
import { metaArgumentsOf, TerraformEphemeralResource } from './ephemeral-resource.js';
import type { TerraformEphemeralMetaArguments } from './ephemeral-resource.js';
import { hclSimple } from './hcl-attributes.js';
import { assertKubeCsrProviderArgument, KUBECSR_EPHEMERAL_METADATA } from './kubecsr-provider.js';

/** The key types kubecsr generates in memory (Terraform `key_type`). */
export type KubeCsrKeyType = KeyType;

/** How kubecsr issues a certificate for a key it generates in memory: shared by its key-generating types. */
export interface KubeCsrIssuanceProps {
  /**
   * Terraform `expiration_seconds`: requested validity, at least 600; the signer may shorten it.
   * @default - the signer's default duration
   */
  readonly expirationSeconds?: number;
  /**
   * Terraform `key_type`: the key kubecsr generates in memory during Open.
   * @default 'ecdsa-p256'
   */
  readonly keyType?: KubeCsrKeyType;
  /**
   * Terraform `auto_approve`: approve the request (needs RBAC verb `approve` on the signer); `false` waits for
   * someone else to.
   * @default true
   */
  readonly autoApprove?: boolean | IResolvable;
  /**
   * Terraform `timeout`: how long to wait for approval and signature, e.g. `"90s"` or `"5m"`.
   * @default "5m"
   */
  readonly timeout?: string;
}

/**
 * What the kubecsr types that generate their key in memory (`kubecsr_certificate`, `kubecsr_client_identity`) have
 * in common: only kubecsr serves them, they take {@link KubeCsrIssuanceProps}, and they return the certificate, the
 * key, the cluster CA and the expiry as ephemeral values.
 */
export abstract class KubeCsrKeyResource extends TerraformEphemeralResource {
  /**
   * @param className - the subclass's name, for messages
   */
  protected constructor(
    scope: Construct,
    id: string,
    terraformResourceType: string,
    className: string,
    config: TerraformEphemeralMetaArguments,
  ) {
    super(scope, id, { terraformResourceType, ...KUBECSR_EPHEMERAL_METADATA, ...metaArgumentsOf(config) });
    assertKubeCsrProviderArgument(this, className, config.provider);
  }

  /** Terraform `certificate`: the issued PEM certificate, the leaf then any intermediates (ephemeral). */
  public get certificate(): string {
    return this.getStringAttribute('certificate');
  }

  /** Terraform `private_key_pem`: the generated key, PKCS#8 PEM (ephemeral, sensitive). */
  public get privateKeyPem(): string {
    return this.getStringAttribute('private_key_pem');
  }

  /**
   * Terraform `ca_certificate`: the cluster CA from the provider's configuration (ephemeral; null when it names
   * none). It verifies the API server; it issued the certificate only for kubernetes.io signers of clusters that
   * sign with the cluster CA.
   */
  public get caCertificate(): string {
    return this.getStringAttribute('ca_certificate');
  }

  /** Terraform `not_after`: when the certificate expires, RFC 3339 UTC (ephemeral). */
  public get notAfter(): string {
    return this.getStringAttribute('not_after');
  }

  /** The JSON attributes of {@link KubeCsrIssuanceProps}, in the order the types write them (after their own). */
  protected issuanceAttributes(props: KubeCsrIssuanceProps): JsonObject {
    return {
      expiration_seconds: props.expirationSeconds,
      key_type: props.keyType,
      auto_approve: props.autoApprove,
      timeout: props.timeout,
    };
  }

  /** {@link KubeCsrKeyResource.issuanceAttributes} for cdktf's HCL renderer. */
  protected issuanceHclAttributes(props: KubeCsrIssuanceProps): JsonObject {
    return {
      expiration_seconds: hclSimple(props.expirationSeconds, 'number'),
      key_type: hclSimple(props.keyType, 'string'),
      auto_approve: hclSimple(props.autoApprove, 'boolean'),
      timeout: hclSimple(props.timeout, 'string'),
    };
  }
}
