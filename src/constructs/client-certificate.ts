import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import type { KubeCsrProvider } from './kubecsr-provider.js';
import { KUBE_APISERVER_CLIENT_SIGNER } from '../spec/index.js';
import { issuedIdentityProvider } from './issued-identity-provider.js';
import type { IssuedIdentityProviderProps } from './issued-identity-provider.js';
import { LocalKeyCertificate } from './local-key-certificate.js';
import type { LocalKeyCertificateProps } from './local-key-certificate.js';

/** Usages the kube-apiserver-client signer accepts. */
export type ClientCertificateUsage = 'client auth' | 'digital signature' | 'key encipherment';

/** Properties of {@link ClientCertificate}. */
export interface ClientCertificateProps extends LocalKeyCertificateProps {
  /** The Kubernetes user name: the CSR subject common name (CN). */
  readonly user: string;
  /**
   * The user's groups: the CSR subject organizations (O). Kubernetes fills spec.groups from the caller, not from these.
   * @default - no groups (the user still gets system:authenticated)
   */
  readonly groups?: string[];
  /**
   * Terraform `spec.usages`; must contain 'client auth'.
   * @default ['client auth']
   */
  readonly usages?: ClientCertificateUsage[];
}

/**
 * A client certificate for kube-apiserver, issued per Terraform run by the `kubernetes.io/kube-apiserver-client`
 * signer through an ephemeral CertificateSigningRequest.
 *
 * The private key is generated locally at synth time into a 0600 file outside cdktf.out
 * (`.cdktf-kubernetes-csr/keys/<name>.key` by default) and reused until the file is deleted; the CSR made from it is
 * the only key-derived data in the configuration. Use `certificate` and `keyFile` (or `provider()`, or
 * `kubecsrProvider()`) to authenticate as the user, for instance in a provider alias.
 *
 * Note: kube-controller-manager never auto-approves this signer; with `autoApprove` (default) the identity of the
 * provider creating the CSR needs `approve` on signers `kubernetes.io/kube-apiserver-client`.
 */
export class ClientCertificate extends LocalKeyCertificate {
  /** The user name (CN). */
  public readonly user: string;
  /** The groups (O). */
  public readonly groups: readonly string[];

  public constructor(scope: Construct, id: string, props: ClientCertificateProps) {
    if (props.user === '') {
      throw new Error(
        `ClientCertificate '${id}': user must not be empty; kube-apiserver takes the user name from the CN`,
      );
    }
    super(scope, id, props, {
      commonName: props.user,
      organizations: props.groups,
      signerName: KUBE_APISERVER_CLIENT_SIGNER,
      usages: props.usages ?? ['client auth'],
      nameHint: props.user,
    });
    this.user = props.user;
    this.groups = props.groups ?? [];
  }

  /**
   * A kubernetes provider alias that authenticates as this user: `client_certificate` is the ephemeral certificate,
   * `client_key` is `file("<keyFile>")`.
   * @param scope where to create the provider (usually the stack)
   */
  public provider(
    scope: Construct,
    id: string,
    props: Omit<IssuedIdentityProviderProps, 'credentials' | 'kind'>,
  ): KubernetesProvider {
    return issuedIdentityProvider(scope, id, { ...props, credentials: this, kind: 'kubernetes' });
  }

  /**
   * A kubecsr provider alias that authenticates as this user (same wiring as {@link provider}), e.g. for
   * `KubeCsrSelfSubjectReview`. It may take the server and CA from a kubeconfig (`configPath`) instead of `host`.
   * @param scope where to create the provider (usually the stack)
   */
  public kubecsrProvider(
    scope: Construct,
    id: string,
    props: Omit<IssuedIdentityProviderProps, 'credentials' | 'kind'>,
  ): KubeCsrProvider {
    return issuedIdentityProvider(scope, id, { ...props, credentials: this, kind: 'kubecsr' });
  }
}
