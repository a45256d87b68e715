import { Fn } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { KubernetesProviderConfig } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';

/** A client identity: an (ephemeral) certificate and the file holding its private key. */
export interface IClientCredentials {
  /** PEM client certificate, typically the ephemeral `certificate` token of a CSR. */
  readonly certificate: string;
  /** Path of the PEM private key file matching the certificate. */
  readonly keyFile: string;
}

/** Properties of {@link issuedIdentityProvider}. */
export interface IssuedIdentityProviderProps {
  /** Terraform provider `alias`; resources pick this identity with `provider: <the returned provider>`. */
  readonly alias: string;
  /** The identity to authenticate as. The key is read by Terraform with `file()`; it never enters the configuration. */
  readonly credentials: IClientCredentials;
  /** Terraform `host`: the kube-apiserver URL, e.g. `https://127.0.0.1:6443`. */
  readonly host: string;
  /**
   * Terraform `cluster_ca_certificate`: PEM of the cluster CA (text or a token such as `Fn.file(path)`).
   * @default - none; set `clusterCaCertificateFile` or `insecure` instead
   */
  readonly clusterCaCertificate?: string;
  /**
   * Path of a PEM file with the cluster CA, read by Terraform with `file()`.
   * @default - none
   */
  readonly clusterCaCertificateFile?: string;
  /**
   * Terraform `insecure`: skip server certificate verification (test clusters only).
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Terraform `tls_server_name`.
   * @default - the host name of `host`
   */
  readonly tlsServerName?: string;
}

/**
 * A `kubernetes` provider configuration (an alias) that authenticates as an issued client identity:
 * `client_certificate` is the certificate (e.g. the ephemeral certificate of a ClientCertificate) and `client_key` is
 * `file("<keyFile>")`, so the key material stays in its file and out of the synthesized JSON.
 * No `config_path` is set: the alias gets its identity from these arguments only (mind that the provider still reads
 * KUBE_* environment variables such as KUBE_CONFIG_PATH for settings left unset).
 */
export function issuedIdentityProvider(
  scope: Construct,
  id: string,
  props: IssuedIdentityProviderProps,
): KubernetesProvider {
  if (props.credentials.keyFile.includes('-----BEGIN')) {
    throw new Error(
      `issuedIdentityProvider '${id}': credentials.keyFile must be a path to a key file, not PEM text; never put key material in the configuration`,
    );
  }
  if (props.clusterCaCertificate !== undefined && props.clusterCaCertificateFile !== undefined) {
    throw new Error(`issuedIdentityProvider '${id}': set clusterCaCertificate or clusterCaCertificateFile, not both`);
  }
  const config: KubernetesProviderConfig = {
    alias: props.alias,
    host: props.host,
    clientCertificate: props.credentials.certificate,
    clientKey: Fn.file(props.credentials.keyFile),
    clusterCaCertificate:
      props.clusterCaCertificateFile !== undefined
        ? Fn.file(props.clusterCaCertificateFile)
        : props.clusterCaCertificate,
    insecure: props.insecure,
    tlsServerName: props.tlsServerName,
  };
  return new KubernetesProvider(scope, id, config);
}
