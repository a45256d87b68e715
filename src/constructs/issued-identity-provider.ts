import { Fn, Token } from 'cdktf';
import type { TerraformProvider } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Construct } from 'constructs';
import { KubeCsrProvider } from './kubecsr-provider.js';

/**
 * A client identity: an (ephemeral) certificate and its private key, either in a file (key-file mode) or as an
 * ephemeral value (in memory); set exactly one of `keyFile` and `privateKeyPem`.
 */
export interface IClientCredentials {
  /** PEM client certificate, typically the ephemeral `certificate` token of a CSR or a kubecsr type. */
  readonly certificate: string;
  /**
   * Path of the PEM private key file matching the certificate, read by Terraform with `file()`.
   * @default - none; set `privateKeyPem` instead
   */
  readonly keyFile?: string;
  /**
   * The private key as an ephemeral value: a reference such as the `privateKeyPem` of a {@link KubeCsrClientIdentity}
   * or {@link KubeCsrCertificate}, never PEM text.
   * @default - none; set `keyFile` instead
   */
  readonly privateKeyPem?: string;
  /**
   * The API server the credentials were issued for (e.g. {@link KubeCsrClientIdentity.host}), used when the
   * provider is given neither `host` nor (kubecsr) `configPath`.
   * @default - none
   */
  readonly host?: string;
  /**
   * The CA that verifies that API server (e.g. `KubeCsrClientIdentity.caCertificate`), used with `host`.
   * @default - none
   */
  readonly caCertificate?: string;
}

/** Which provider `issuedIdentityProvider()` configures: hashicorp/kubernetes, or this package's kubecsr. */
export type IssuedIdentityProviderKind = 'kubernetes' | 'kubecsr';

/** Properties of `issuedIdentityProvider()`. */
export interface IssuedIdentityProviderProps {
  /** Terraform provider `alias`; blocks pick this identity with `provider: <the returned provider>`. */
  readonly alias: string;
  /**
   * The identity to authenticate as. The key never enters the configuration: it is an ephemeral reference, or read
   * by Terraform with `file()`.
   */
  readonly credentials: IClientCredentials;
  /**
   * The provider to configure: `kubernetes` (a KubernetesProvider, for hashicorp/kubernetes resources) or
   * `kubecsr` (a KubeCsrProvider, for `kubecsr_self_subject_review` and kubecsr's ephemeral CSR).
   * @default 'kubernetes'
   */
  readonly kind?: IssuedIdentityProviderKind;
  /**
   * Terraform `host`: the kube-apiserver URL, e.g. `https://127.0.0.1:6443`. Required with kind `kubernetes` unless
   * the credentials name their server; with kind `kubecsr`, set it or `configPath` (or use such credentials).
   * @default - the credentials' `host` (with their `caCertificate`), else the server of the kubeconfig at
   *   `configPath` (kubecsr only)
   */
  readonly host?: string;
  /**
   * Terraform `config_path` (kind `kubecsr` only): a kubeconfig whose context gives the server and the CA. kubecsr
   * ignores that kubeconfig's user when a client certificate is set, so an admin kubeconfig is fine here.
   * @default - none
   */
  readonly configPath?: string;
  /**
   * Terraform `config_context` (kind `kubecsr` only): the context of `configPath` to take the server and CA from.
   * @default - the kubeconfig's current context
   */
  readonly configContext?: string;
  /**
   * Terraform `cluster_ca_certificate`: PEM of the cluster CA (text or a token such as `Fn.file(path)`).
   * @default - none; set `clusterCaCertificateFile`, `configPath` (kubecsr) or `insecure` instead
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
   * Terraform `tls_server_name` (kind `kubernetes` only).
   * @default - the host name of `host`
   */
  readonly tlsServerName?: string;
}

type Kind = IssuedIdentityProviderKind;

/**
 * The server to connect to and its CA: `host` with the CA settings given, else (without `configPath`) the server
 * the credentials were issued for, with their CA unless a CA setting or `insecure` is given.
 */
function serverOf(p: IssuedIdentityProviderProps): { host: string; clusterCaCertificate?: string } | undefined {
  const caGiven =
    p.clusterCaCertificate !== undefined || p.clusterCaCertificateFile !== undefined || p.insecure !== undefined;
  const ca = p.clusterCaCertificateFile !== undefined ? Fn.file(p.clusterCaCertificateFile) : p.clusterCaCertificate;
  if (p.host !== undefined) return { host: p.host, clusterCaCertificate: ca };
  if (p.configPath !== undefined || p.credentials.host === undefined) return undefined;
  return { host: p.credentials.host, clusterCaCertificate: caGiven ? ca : p.credentials.caCertificate };
}

/** What the helper refuses, as data: `when` it applies, and the message (field, value, what is allowed, the fix). */
const RULES: readonly {
  readonly when: (p: IssuedIdentityProviderProps, kind: Kind) => boolean;
  readonly message: (p: IssuedIdentityProviderProps, kind: Kind) => string;
}[] = [
  {
    when: (p) => (p.credentials.keyFile === undefined) === (p.credentials.privateKeyPem === undefined),
    message: (p) =>
      `${p.credentials.keyFile === undefined ? 'credentials have neither keyFile nor privateKeyPem' : 'credentials have both keyFile and privateKeyPem'}; ` +
      'allowed: exactly one; fix: keyFile for a key in a local file, privateKeyPem for an ephemeral key',
  },
  {
    when: (p) => p.credentials.keyFile?.includes('-----BEGIN') === true,
    message: () =>
      'credentials.keyFile must be a path to a key file, not PEM text; never put key material in the configuration',
  },
  {
    when: (p) => p.credentials.privateKeyPem !== undefined && !Token.isUnresolved(p.credentials.privateKeyPem),
    message: () =>
      'credentials.privateKeyPem must be an ephemeral reference (e.g. KubeCsrClientIdentity.privateKeyPem), not ' +
      'literal text, which would be written into cdktf.out; fix: pass the reference, or keyFile for a local file',
  },
  {
    when: (p) => p.clusterCaCertificate !== undefined && p.clusterCaCertificateFile !== undefined,
    message: () => 'set clusterCaCertificate or clusterCaCertificateFile, not both',
  },
  {
    when: (p, kind) => kind === 'kubernetes' && serverOf(p) === undefined,
    message: () =>
      'host is required with kind "kubernetes" (the credentials name no server); set host (e.g. ' +
      '"https://127.0.0.1:6443") and the cluster CA',
  },
  {
    when: (p, kind) => kind === 'kubernetes' && (p.configPath !== undefined || p.configContext !== undefined),
    message: () =>
      'configPath and configContext are for kind "kubecsr" only: hashicorp/kubernetes merges client_certificate ' +
      "over the kubeconfig's user, so that user's other credentials would still apply; set host and the cluster CA " +
      'instead, or use kind "kubecsr"',
  },
  {
    when: (p, kind) => kind === 'kubecsr' && serverOf(p) === undefined && p.configPath === undefined,
    message: () =>
      'kind "kubecsr" needs host (with the cluster CA) or configPath (a kubeconfig whose context gives the server and CA)',
  },
  {
    when: (p, kind) => kind === 'kubecsr' && p.tlsServerName !== undefined,
    message: (p) =>
      `tlsServerName is for kind "kubernetes" only (kubecsr has no tls_server_name), received ${JSON.stringify(p.tlsServerName)}; remove it`,
  },
];

/**
 * A provider configuration (an alias) that authenticates as an issued client identity: `client_certificate` is the
 * certificate (e.g. the ephemeral certificate of a ClientCertificate) and `client_key` is the ephemeral key (in
 * memory) or `file("<keyFile>")`, so no key material enters the synthesized JSON. Credentials that name their server
 * (a {@link KubeCsrClientIdentity}'s `host` and `caCertificate`) supply `host` and the CA when none is given.
 *
 * With kind `kubernetes` (the default) it is a hashicorp/kubernetes `KubernetesProvider` with `host` and the CA,
 * and no `config_path` (mind that this provider still reads KUBE_* environment variables such as KUBE_CONFIG_PATH
 * for settings left unset). With kind `kubecsr` it is a {@link KubeCsrProvider}, which may also take the server and
 * CA from a kubeconfig (`configPath`): kubecsr then uses the certificate and key alone as credentials.
 */
export function issuedIdentityProvider(
  scope: Construct,
  id: string,
  props: IssuedIdentityProviderProps & { readonly kind: 'kubecsr' },
): KubeCsrProvider;
/** A hashicorp/kubernetes alias that authenticates as an issued client identity (see the first overload). */
export function issuedIdentityProvider(
  scope: Construct,
  id: string,
  props: IssuedIdentityProviderProps & { readonly kind?: 'kubernetes' },
): KubernetesProvider;
/** A hashicorp/kubernetes or kubecsr alias, as `props.kind` says, that authenticates as an issued client identity. */
export function issuedIdentityProvider(
  scope: Construct,
  id: string,
  props: IssuedIdentityProviderProps,
): KubernetesProvider | KubeCsrProvider;
export function issuedIdentityProvider(
  scope: Construct,
  id: string,
  props: IssuedIdentityProviderProps,
): TerraformProvider {
  const kind = props.kind ?? 'kubernetes';
  const problems = RULES.filter((rule) => rule.when(props, kind)).map((rule) => rule.message(props, kind));
  if (problems.length > 0) {
    throw new Error(`issuedIdentityProvider '${id}': ${problems.join('; ')}`);
  }
  const server = serverOf(props);
  const identity = {
    alias: props.alias,
    host: server?.host,
    clientCertificate: props.credentials.certificate,
    clientKey:
      props.credentials.keyFile !== undefined ? Fn.file(props.credentials.keyFile) : props.credentials.privateKeyPem,
    clusterCaCertificate:
      server?.clusterCaCertificate ??
      (props.clusterCaCertificateFile !== undefined
        ? Fn.file(props.clusterCaCertificateFile)
        : props.clusterCaCertificate),
    insecure: props.insecure,
  };
  if (kind === 'kubecsr') {
    return new KubeCsrProvider(scope, id, {
      ...identity,
      configPath: props.configPath,
      configContext: props.configContext,
    });
  }
  return new KubernetesProvider(scope, id, { ...identity, tlsServerName: props.tlsServerName });
}
