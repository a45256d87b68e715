import type { AttributeSchema, BlockSchema } from './values/schema.js';

// Data only, no runtime import: the constructs read it at synth time without loading the provider's server side.

/**
 * The provider block's attributes: hashicorp/kubernetes' connection attributes, with the same names and meanings.
 * Keyed by the camelCase setting (the construct's prop, the server's {@link ProviderSettings} field); in the order
 * they are written out.
 */
export const PROVIDER_ATTRIBUTES = {
  configPath: {
    name: 'config_path',
    type: 'string',
    optional: true,
    description: 'Path of a kubeconfig file. Defaults to KUBE_CONFIG_PATH, then KUBECONFIG.',
  },
  kubeconfig: {
    name: 'kubeconfig',
    type: 'string',
    optional: true,
    sensitive: true,
    description:
      "A kubeconfig document (YAML or JSON) instead of a file, e.g. kubecsr_client_identity's kubeconfig result. " +
      'Conflicts with config_path.',
  },
  configContext: {
    name: 'config_context',
    type: 'string',
    optional: true,
    description: 'The kubeconfig context to use.',
  },
  host: {
    name: 'host',
    type: 'string',
    optional: true,
    description: 'The API server URL, e.g. https://127.0.0.1:6443.',
  },
  clusterCaCertificate: {
    name: 'cluster_ca_certificate',
    type: 'string',
    optional: true,
    description: 'PEM CA certificate(s) the API server certificate must verify against.',
  },
  clientCertificate: {
    name: 'client_certificate',
    type: 'string',
    optional: true,
    description: 'PEM client certificate for TLS authentication.',
  },
  clientKey: {
    name: 'client_key',
    type: 'string',
    optional: true,
    sensitive: true,
    description: 'PEM private key of client_certificate.',
  },
  token: { name: 'token', type: 'string', optional: true, sensitive: true, description: 'A bearer token.' },
  insecure: {
    name: 'insecure',
    type: 'bool',
    optional: true,
    description: 'Do not verify the API server certificate (testing only).',
  },
} as const satisfies Record<string, AttributeSchema & { readonly name: string; readonly type: 'string' | 'bool' }>;

/** A setting of the provider block, by its camelCase name. */
export type ProviderSetting = keyof typeof PROVIDER_ATTRIBUTES;

/** The provider block's values, resolved, by their camelCase names; every field is optional. */
export type ProviderSettings = {
  readonly [K in ProviderSetting]?: (typeof PROVIDER_ATTRIBUTES)[K]['type'] extends 'bool' ? boolean : string;
};

/** The provider block's schema, built from the attribute table `PROVIDER_ATTRIBUTES`. */
export const PROVIDER_CONFIG_SCHEMA: BlockSchema = {
  description: 'How kubecsr reaches the cluster; the attributes mean what they mean in hashicorp/kubernetes.',
  attributes: Object.fromEntries(
    Object.values(PROVIDER_ATTRIBUTES).map(({ name, ...attribute }) => [name, attribute as AttributeSchema]),
  ),
};
