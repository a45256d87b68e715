import { TerraformDataSource, TerraformProvider, Token } from 'cdktf';
import type {
  IResolvable,
  ITerraformDependable,
  ITerraformIterator,
  TerraformCount,
  TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
// install.ts loads node builtins only: importing it keeps grpc, msgpack and the Kubernetes client out of synth.
import { metaArgumentsOf } from './ephemeral-resource.js';
import { KUBECSR_PROVIDER_NAME, KUBECSR_PROVIDER_SOURCE, kubecsrProviderVersion } from '../provider/install.js';
import { PROVIDER_ATTRIBUTES, type ProviderSetting } from '../provider/provider-schema.js';

/** Configuration of {@link KubeCsrProvider}: kubecsr's provider block, with hashicorp/kubernetes' meanings. */
export interface KubeCsrProviderConfig {
  /**
   * Terraform `config_path`: path of a kubeconfig file.
   * @default - KUBE_CONFIG_PATH, then the first file of KUBECONFIG, in the environment Terraform runs in
   */
  readonly configPath?: string;
  /**
   * Terraform `kubeconfig` (sensitive): a kubeconfig document (YAML or JSON) instead of a file, typically the
   * ephemeral `kubeconfig` of a {@link KubeCsrClientIdentity}. Conflicts with `configPath`. Pass a reference, never
   * a document holding a key: literal text is written into cdktf.out.
   * @default - the kubeconfig file (`configPath`)
   */
  readonly kubeconfig?: string;
  /**
   * Terraform `config_context`: the kubeconfig context to use.
   * @default - the kubeconfig's current context
   */
  readonly configContext?: string;
  /**
   * Terraform `host`: the API server URL, e.g. `https://127.0.0.1:6443`. With `host`, the kubeconfig's cluster is
   * not used: give `clusterCaCertificate` (or `insecure`) too.
   * @default - the server of the kubeconfig's context
   */
  readonly host?: string;
  /**
   * Terraform `cluster_ca_certificate`: PEM CA certificate(s) the API server's certificate must verify against
   * (text, or a token such as `Fn.file(path)`).
   * @default - the kubeconfig's CA (none when `host` is set)
   */
  readonly clusterCaCertificate?: string;
  /**
   * Terraform `client_certificate`: PEM client certificate, e.g. the ephemeral `certificate` of a CSR. With it (or
   * `token`) the kubeconfig's user is not used at all.
   * @default - the kubeconfig's user
   */
  readonly clientCertificate?: string;
  /**
   * Terraform `client_key`: the private key of `clientCertificate`: the ephemeral `privateKeyPem` of a
   * {@link KubeCsrCertificate} or {@link KubeCsrClientIdentity}, or `Fn.file(path)`; never PEM text, which would be
   * written into cdktf.out.
   * @default - none (required with `clientCertificate`)
   */
  readonly clientKey?: string;
  /**
   * Terraform `token`: a bearer token.
   * @default - none
   */
  readonly token?: string;
  /**
   * Terraform `insecure`: do not verify the API server's certificate (test clusters only).
   * @default false
   */
  readonly insecure?: boolean | IResolvable;
  /**
   * Terraform `alias`: a second configuration of the provider; blocks pick it with `provider: <this>`.
   * @default - the default configuration
   */
  readonly alias?: string;
}

/** Names of a provider: its type, and the name in its generator metadata. */
function providerNamesOf(provider: TerraformProvider): string[] {
  return [provider.terraformResourceType, provider.terraformGeneratorMetadata?.providerName ?? ''];
}

/**
 * True when `x` is a kubecsr provider configuration: a {@link KubeCsrProvider} from any copy of this library, or any
 * TerraformProvider of type `kubecsr`.
 */
export function isKubeCsrProvider(x: unknown): boolean {
  return TerraformProvider.isTerraformProvider(x) && providerNamesOf(x).includes(KUBECSR_PROVIDER_NAME);
}

const isLiteral = (value: unknown): value is string => typeof value === 'string' && !Token.isUnresolved(value);

/** Rules on the provider block, as data: checked at construction, values that are tokens skipped. */
const PROVIDER_RULES: readonly {
  readonly when: (c: KubeCsrProviderConfig) => boolean;
  readonly message: (c: KubeCsrProviderConfig) => string;
}[] = [
  {
    when: (c) => isLiteral(c.host) && !/^https?:\/\//.test(c.host),
    message: (c) =>
      `host must be a URL, received ${JSON.stringify(c.host)}; allowed: an http(s) URL such as "https://127.0.0.1:6443"; fix: add the scheme`,
  },
  {
    when: (c) => (c.clientCertificate === undefined) !== (c.clientKey === undefined),
    message: (c) =>
      `${c.clientKey === undefined ? 'clientKey (client_key) is required with clientCertificate' : 'clientCertificate (client_certificate) is required with clientKey'}; ` +
      'TLS client authentication needs the certificate and its private key: set both, or neither',
  },
  {
    when: (c) => isLiteral(c.clientKey) && c.clientKey.includes('PRIVATE KEY'),
    message: () =>
      'clientKey (client_key) is PEM text, which would be written into cdktf.out; pass the ephemeral privateKeyPem of ' +
      'a KubeCsrCertificate or KubeCsrClientIdentity, or Fn.file("<path of the key>") so that Terraform reads the key itself',
  },
  {
    when: (c) => c.kubeconfig !== undefined && c.configPath !== undefined,
    message: () =>
      'kubeconfig and configPath (config_path) are both set; both name a kubeconfig, the document and the file: set one',
  },
  {
    when: (c) => isLiteral(c.kubeconfig) && /PRIVATE KEY|client-key-data|\btoken:/.test(c.kubeconfig),
    message: () =>
      'kubeconfig is literal text holding credentials, which would be written into cdktf.out; pass a reference such ' +
      'as the ephemeral kubeconfig of a KubeCsrClientIdentity, or configPath for a file',
  },
];

let cachedVersion: string | undefined;

/** Provider metadata of the types only kubecsr serves: the stack must configure a kubecsr provider for them. */
export const KUBECSR_EPHEMERAL_METADATA = {
  terraformGeneratorMetadata: { providerName: KUBECSR_PROVIDER_NAME },
} as const;

/**
 * Throws when `provider` is given and is not a kubecsr configuration: the kubecsr_* types exist in no other provider.
 * @param construct the construct that takes `provider`, for the message
 * @param className its class, for the message
 */
export function assertKubeCsrProviderArgument(
  construct: Construct,
  className: string,
  provider: TerraformProvider | undefined,
): void {
  if (provider === undefined || isKubeCsrProvider(provider)) return;
  throw new Error(
    `${className} '${construct.node.path}': provider must be a kubecsr provider, received the ` +
      `"${provider.terraformResourceType}" provider '${provider.node.path}'; pass a KubeCsrProvider (or an alias of it)`,
  );
}

/**
 * kubecsr, this package's own Terraform provider (plugin protocol 6, written in TypeScript), as a cdktf provider
 * construct. It serves hashicorp/kubernetes' ephemeral `kubernetes_certificate_signing_request_v1` (plus
 * `metadata.generate_name`, `timeout` and `ca_bundle`) with this package's runtime, the data source
 * `kubecsr_self_subject_review`, and the ephemeral `kubecsr_certificate` and `kubecsr_client_identity`
 * ({@link KubeCsrCertificate}, {@link KubeCsrClientIdentity}), whose key is generated in memory.
 *
 * Install it once per machine with `npx kube-csr provider install` and run cdktf with `--skip-provider-lock` (no
 * registry serves it). `required_providers` pins the version of this package, so upgrade both together. Give the
 * ephemeral CSR construct `provider: <this>`: without it Terraform implies hashicorp/kubernetes from the type name.
 * With a default (alias-less) KubeCsrProvider in the stack, ClientCertificate and ServingCertificate keep their keys
 * in memory (see their `keyMode`).
 */
export class KubeCsrProvider extends TerraformProvider {
  /** The Terraform provider type (its local name in configurations). */
  public static readonly tfResourceType = KUBECSR_PROVIDER_NAME;
  /** The source address, `kubecsr.local/cdktf-kubernetes-csr/kubecsr`. */
  public static readonly source = KUBECSR_PROVIDER_SOURCE;

  /** True when `x` is a kubecsr provider configuration (from any copy of this library). */
  public static isKubeCsrProvider(x: unknown): boolean {
    return isKubeCsrProvider(x);
  }

  /** Terraform `config_path`. */
  public readonly configPath?: string;
  /** Terraform `kubeconfig`. */
  public readonly kubeconfig?: string;
  /** Terraform `config_context`. */
  public readonly configContext?: string;
  /** Terraform `host`. */
  public readonly host?: string;
  /** Terraform `cluster_ca_certificate`. */
  public readonly clusterCaCertificate?: string;
  /** Terraform `client_certificate`. */
  public readonly clientCertificate?: string;
  /** Terraform `client_key`. */
  public readonly clientKey?: string;
  /** Terraform `token`. */
  public readonly token?: string;
  /** Terraform `insecure`. */
  public readonly insecure?: boolean | IResolvable;
  private _alias?: string;

  public constructor(scope: Construct, id: string, config: KubeCsrProviderConfig = {}) {
    cachedVersion ??= kubecsrProviderVersion();
    super(scope, id, {
      terraformResourceType: KUBECSR_PROVIDER_NAME,
      terraformGeneratorMetadata: { providerName: KUBECSR_PROVIDER_NAME, providerVersion: cachedVersion },
      terraformProviderSource: KUBECSR_PROVIDER_SOURCE,
    });
    const problems = PROVIDER_RULES.filter((rule) => rule.when(config)).map((rule) => rule.message(config));
    if (problems.length > 0) {
      throw new Error(`KubeCsrProvider '${this.node.path}': ${problems.join('; ')}`);
    }
    this.configPath = config.configPath;
    this.kubeconfig = config.kubeconfig;
    this.configContext = config.configContext;
    this.host = config.host;
    this.clusterCaCertificate = config.clusterCaCertificate;
    this.clientCertificate = config.clientCertificate;
    this.clientKey = config.clientKey;
    this.token = config.token;
    this.insecure = config.insecure;
    this._alias = config.alias;
  }

  /** Terraform `alias`. */
  public override get alias(): string | undefined {
    return this._alias;
  }

  public override set alias(value: string | undefined) {
    this._alias = value;
  }

  /** The attributes set, in the provider schema's order (alias last), with the HCL storage type of each. */
  private attributes(): Record<string, { value: unknown; storageClassType: string }> {
    const all: [string, { value: unknown; storageClassType: string }][] = [
      ...Object.entries(PROVIDER_ATTRIBUTES).map(
        ([setting, { name, type }]): [string, { value: unknown; storageClassType: string }] => [
          name,
          { value: this[setting as ProviderSetting], storageClassType: type === 'bool' ? 'boolean' : 'string' },
        ],
      ),
      ['alias', { value: this._alias, storageClassType: 'string' }],
    ];
    return Object.fromEntries(all.filter(([, attribute]) => attribute.value !== undefined));
  }

  /** The provider block's arguments in snake_case JSON, unset ones left out. */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.attributes()).map(([name, { value }]) => [name, value]));
  }

  /** The provider block's arguments typed for cdktf's HCL renderer, unset ones left out. */
  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(this.attributes()).map(([name, { value, storageClassType }]) => [
        name,
        { value, isBlock: false, type: 'simple', storageClassType },
      ]),
    );
  }
}

/** Configuration of {@link KubeCsrSelfSubjectReview}: meta-arguments only (the data source has no arguments). */
export interface KubeCsrSelfSubjectReviewConfig {
  /**
   * Terraform `provider`: the kubecsr configuration whose credentials are reviewed, typically an alias
   * authenticated with an issued certificate.
   * @default - the default kubecsr provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Terraform `depends_on`.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Terraform `count`.
   * @default - a single instance
   */
  readonly count?: number | TerraformCount;
  /**
   * Terraform `for_each`.
   * @default - a single instance
   */
  readonly forEach?: ITerraformIterator;
  /**
   * Terraform `lifecycle`.
   * @default - none
   */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * The data source `kubecsr_self_subject_review`: who the kubecsr provider's credentials authenticate as, from a
 * SelfSubjectReview (`kubectl auth whoami` for Terraform). Read through an alias configured with an issued
 * certificate, it proves that the certificate works. Its attributes are ordinary values (not ephemeral): they may
 * go into outputs and resources.
 */
export class KubeCsrSelfSubjectReview extends TerraformDataSource {
  /** The Terraform type. */
  public static readonly tfResourceType = 'kubecsr_self_subject_review';

  public constructor(scope: Construct, id: string, config: KubeCsrSelfSubjectReviewConfig = {}) {
    super(scope, id, {
      terraformResourceType: KubeCsrSelfSubjectReview.tfResourceType,
      terraformGeneratorMetadata: { providerName: KUBECSR_PROVIDER_NAME },
      ...metaArgumentsOf(config),
    });
    assertKubeCsrProviderArgument(this, 'KubeCsrSelfSubjectReview', config.provider);
  }

  /** Terraform `username`: the user name the API server sees. */
  public get username(): string {
    return this.getStringAttribute('username');
  }

  /** Terraform `uid`: the user UID, when the authenticator sets one (empty for client certificates). */
  public get uid(): string {
    return this.getStringAttribute('uid');
  }

  /** Terraform `groups`: the groups, including `system:authenticated`. */
  public get groups(): string[] {
    return this.getListAttribute('groups');
  }

  /** Terraform `extra`: extra attributes the authenticator attached, a map of string lists (a reference). */
  public get extra(): IResolvable {
    return this.interpolationForAttribute('extra');
  }
}
