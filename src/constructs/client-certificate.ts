import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import type { KubeCsrProvider } from './kubecsr-provider.js';
import { KUBE_APISERVER_CLIENT_SIGNER } from '../rules/index.js';
import { IssuedCertificate } from './issued-certificate.js';
import type { IssuedCertificateProps } from './issued-certificate.js';
import { issuedIdentityProvider } from './issued-identity-provider.js';
import type { IssuedIdentityProviderProps } from './issued-identity-provider.js';
import { KubeCsrClientIdentity } from './kubecsr-client-identity.js';

/** Usages the kube-apiserver-client signer accepts. */
export type ClientCertificateUsage = 'client auth' | 'digital signature' | 'key encipherment';

/** Properties of {@link ClientCertificate}. */
export interface ClientCertificateProps extends IssuedCertificateProps {
  /** The Kubernetes user name: the CSR subject common name (CN); Terraform `user` in memory. */
  readonly user: string;
  /**
   * The user's groups: the CSR subject organizations (O); Terraform `groups` in memory. Kubernetes fills
   * spec.groups from the caller, not from these.
   * @default - no groups (the user still gets system:authenticated)
   */
  readonly groups?: string[];
  /**
   * Terraform `spec.usages` (key-file mode); must contain 'client auth'. In memory kubecsr requests the signer's
   * usual set, `['client auth']`, and other values are refused.
   * @default ['client auth']
   */
  readonly usages?: ClientCertificateUsage[];
}

const IN_MEMORY_USAGES: readonly ClientCertificateUsage[] = ['client auth'];

/**
 * A client certificate for kube-apiserver, issued per Terraform run by the `kubernetes.io/kube-apiserver-client`
 * signer.
 *
 * Where the key lives depends on {@link IssuedCertificateProps.keyMode}:
 * - in memory (the default when the stack has a {@link KubeCsrProvider}, or one is `provider`): an ephemeral
 *   `kubecsr_client_identity` ({@link KubeCsrClientIdentity}, construct id `Resource`); kubecsr generates the key
 *   when Terraform opens it, and key, certificate, CA, host and kubeconfig exist only as ephemeral values;
 * - in a key file (the default otherwise, i.e. with hashicorp/kubernetes alone): the key is generated at synth time
 *   into a 0600 file outside cdktf.out (`.cdktf-kubernetes-csr/keys/<name>.key` by default) and reused until the
 *   file is deleted; the CSR made from it goes into an ephemeral `kubernetes_certificate_signing_request_v1`.
 *
 * Use `provider()` or `kubecsrProvider()` to authenticate as the user, for instance in a provider alias: they wire
 * the certificate and the key (`privateKeyPem` in memory, `file(keyFile)` in key-file mode).
 *
 * Note: kube-controller-manager never auto-approves this signer; with `autoApprove` (default) the identity of the
 * provider creating the CSR needs `approve` on signers `kubernetes.io/kube-apiserver-client`.
 */
export class ClientCertificate extends IssuedCertificate {
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
      inMemory: (self, settings) => {
        const usages = props.usages;
        if (usages !== undefined && (usages.length !== 1 || usages[0] !== IN_MEMORY_USAGES[0])) {
          throw new Error(
            `ClientCertificate '${self.node.path}': usages are fixed in memory (kubecsr_client_identity requests the ` +
              `signer's usual set, ["client auth"]), received ${JSON.stringify(usages)}; fix: remove usages, or set ` +
              "keyMode: 'key-file'",
          );
        }
        return new KubeCsrClientIdentity(self, 'Resource', { user: props.user, groups: props.groups, ...settings });
      },
    });
    this.user = props.user;
    this.groups = props.groups ?? [];
  }

  /** In memory: the API server URL of the kubecsr provider's cluster (ephemeral). Undefined in key-file mode. */
  public get host(): string | undefined {
    return this.resource instanceof KubeCsrClientIdentity ? this.resource.host : undefined;
  }

  /**
   * In memory: a complete kubeconfig for the user, with the key and certificate embedded (ephemeral, sensitive),
   * e.g. for a KubeCsrProvider's `kubeconfig`. Undefined in key-file mode.
   */
  public get kubeconfig(): string | undefined {
    return this.resource instanceof KubeCsrClientIdentity ? this.resource.kubeconfig : undefined;
  }

  /**
   * A kubernetes provider alias that authenticates as this user: `client_certificate` is the ephemeral certificate,
   * `client_key` the ephemeral key in memory or `file("<keyFile>")` in key-file mode. In memory, `host` and the
   * cluster CA default to those of the kubecsr provider that issued the identity.
   * @param scope - where to create the provider (usually the stack)
   */
  public provider(
    scope: Construct,
    id: string,
    props: Omit<IssuedIdentityProviderProps, 'credentials' | 'kind'>,
  ): KubernetesProvider {
    return issuedIdentityProvider(scope, id, { ...props, credentials: this, kind: 'kubernetes' });
  }

  /**
   * A kubecsr provider alias that authenticates as this user (same wiring as {@link ClientCertificate.provider}), e.g. for
   * `KubeCsrSelfSubjectReview`. It may take the server and CA from a kubeconfig (`configPath`) instead of `host`;
   * in memory, with neither, they are those of the kubecsr provider that issued the identity.
   * @param scope - where to create the provider (usually the stack)
   */
  public kubecsrProvider(
    scope: Construct,
    id: string,
    props: Omit<IssuedIdentityProviderProps, 'credentials' | 'kind'>,
  ): KubeCsrProvider {
    return issuedIdentityProvider(scope, id, { ...props, credentials: this, kind: 'kubecsr' });
  }
}
