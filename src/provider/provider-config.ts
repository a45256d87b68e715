import { homedir } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { UNKNOWN, containsUnknown, type TerraformObject } from './values/dynamic-value.js';
import { errorDiagnostic, type Diagnostic } from './values/diagnostics.js';
import { known, read } from './values/read.js';
import { PROVIDER_ATTRIBUTES, type ProviderSettings } from './provider-schema.js';

/** Reads the provider block. Unknown values are reported by {@link providerConfigDiagnostics}. */
export function providerSettings(config: TerraformObject): ProviderSettings {
  return Object.fromEntries(
    Object.entries(PROVIDER_ATTRIBUTES).map(([setting, { name, type }]) => [
      setting,
      type === 'bool' ? known(read.bool(config[name])) : known(read.string(config[name])) || undefined,
    ]),
  );
}

/** Problems with the provider block that show before anything is sent. */
export function providerConfigDiagnostics(config: TerraformObject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const certificate = config.client_certificate;
  const key = config.client_key;
  const given = (v: unknown) => v !== null && v !== undefined;
  if (given(certificate) !== given(key) && certificate !== UNKNOWN && key !== UNKNOWN) {
    const missing = given(certificate) ? 'client_key' : 'client_certificate';
    diagnostics.push(
      errorDiagnostic(
        `${missing} is required with ${missing === 'client_key' ? 'client_certificate' : 'client_key'}`,
        'TLS client authentication needs the certificate and its private key. Set both, or neither.',
        missing,
      ),
    );
  }
  if (given(config.kubeconfig) && given(config.config_path)) {
    diagnostics.push(
      errorDiagnostic(
        'kubeconfig conflicts with config_path',
        'Both name a kubeconfig: the document in kubeconfig, the file in config_path. Set one.',
        'kubeconfig',
      ),
    );
  }
  const host = known(read.string(config.host));
  if (host && !/^https?:\/\//.test(host)) {
    diagnostics.push(
      errorDiagnostic(
        'host must be a URL',
        `received ${JSON.stringify(host)}; allowed: an http(s) URL such as "https://127.0.0.1:6443"; fix: add the scheme`,
        'host',
      ),
    );
  }
  return diagnostics;
}

/** True when the provider block still holds values Terraform does not know (it configures again later). */
export function providerConfigUnknown(config: TerraformObject): boolean {
  return containsUnknown(config);
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** Where the kubeconfig file comes from, in hashicorp/kubernetes' order plus KUBECONFIG. */
export function kubeconfigPathOf(settings: ProviderSettings, env: NodeJS.ProcessEnv): string | undefined {
  const path = settings.configPath ?? env.KUBE_CONFIG_PATH ?? env.KUBECONFIG?.split(':')[0];
  return path ? expandHome(path) : undefined;
}

/**
 * Builds the KubeConfig from the provider block: the kubeconfig file (config_path, KUBE_CONFIG_PATH, KUBECONFIG) and
 * context when there is one, then host, CA, client certificate/key, token and insecure on top, as hashicorp/kubernetes
 * does. Loads @kubernetes/client-node, so it runs only when a call needs the cluster.
 */
export async function buildKubeConfig(settings: ProviderSettings, env: NodeJS.ProcessEnv): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { loadKubeConfig } = await import('../runtime/kube-client.js');
  const path = kubeconfigPathOf(settings, env);
  const base =
    settings.kubeconfig !== undefined
      ? kubeConfigFromText(new KubeConfig(), settings.kubeconfig, settings.configContext)
      : path
        ? loadKubeConfig({ kubeconfig: path, context: settings.configContext })
        : new KubeConfig();
  const cluster = base.getCurrentCluster();
  const user = base.getCurrentUser();
  const server = settings.host ?? cluster?.server;
  if (!server) {
    throw new ProviderConfigError(
      'the kubecsr provider does not know which cluster to use',
      'set host (with cluster_ca_certificate and credentials) or config_path in the provider block, ' +
        'or KUBE_CONFIG_PATH / KUBECONFIG in the environment',
    );
  }
  const staticCredentials = settings.clientCertificate !== undefined || settings.token !== undefined;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'kubecsr',
        server,
        caData: settings.clusterCaCertificate
          ? Buffer.from(settings.clusterCaCertificate).toString('base64')
          : settings.host
            ? undefined
            : cluster?.caData,
        caFile: settings.clusterCaCertificate || settings.host ? undefined : cluster?.caFile,
        skipTLSVerify: settings.insecure ?? (settings.host ? false : (cluster?.skipTLSVerify ?? false)),
      },
    ],
    users: [
      staticCredentials
        ? {
            name: 'kubecsr',
            certData: settings.clientCertificate && Buffer.from(settings.clientCertificate).toString('base64'),
            keyData: settings.clientKey && Buffer.from(settings.clientKey).toString('base64'),
            token: settings.token,
          }
        : { ...(user ?? {}), name: 'kubecsr' },
    ],
    contexts: [{ name: 'kubecsr', cluster: 'kubecsr', user: 'kubecsr' }],
    currentContext: 'kubecsr',
  });
  return kc;
}

/** Loads the provider's `kubeconfig` document into `kc` and selects `context`; never echoes the document. */
function kubeConfigFromText(kc: KubeConfig, text: string, context: string | undefined): KubeConfig {
  try {
    kc.loadFromString(text);
  } catch (error) {
    throw new ProviderConfigError(
      `the kubeconfig attribute is not a kubeconfig (${error instanceof Error ? error.name : 'unreadable'})`,
      'pass a kubeconfig document in YAML or JSON, such as kubecsr_client_identity.kubeconfig',
    );
  }
  if (context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new ProviderConfigError(
        `config_context "${context}" is not in the kubeconfig attribute`,
        `use one of its contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'it has none'
        }`,
      );
    }
    kc.setCurrentContext(context);
  }
  return kc;
}

/** The provider block cannot reach a cluster; `fix` says what to set. */
export class ProviderConfigError extends Error {
  public constructor(
    message: string,
    public readonly fix: string,
  ) {
    super(`${message}: ${fix}`);
    this.name = 'ProviderConfigError';
  }
}
