import type { KubeConfig } from '@kubernetes/client-node';
import {
  buildKubeConfig,
  providerConfigDiagnostics,
  providerConfigUnknown,
  providerSettings,
} from './provider-config.js';
import { PROVIDER_CONFIG_SCHEMA, type ProviderSettings } from './provider-schema.js';
import { CERTIFICATE_ISSUING } from './resources/certificate.js';
import { CertManagerCertificateRequest } from './resources/cert-manager-certificate-request.js';
import { CertificateSigningRequestV1 } from './resources/certificate-signing-request-v1.js';
import { CLIENT_IDENTITY_ISSUING } from './resources/client-identity.js';
import { KeyIssuance } from './resources/key-issuance.js';
import { SelfSubjectReview } from './resources/self-subject-review.js';
import type { DataSourceType, EphemeralResourceType, ServeContext } from './resources/types.js';
import { errorDiagnostic, type Diagnostic } from './values/diagnostics.js';
import {
  decodeDynamicValue,
  encodeDynamicValue,
  type DynamicValue,
  type TerraformObject,
} from './values/dynamic-value.js';
import { schemaMessage } from './values/schema.js';

type Request = Readonly<Record<string, unknown>>;
type Response = Record<string, unknown>;

/** Writes a line to Terraform's log: go-plugin reads the plugin's stderr, `[LEVEL] message` lines. */
export function logLine(level: string, message: string): void {
  process.stderr.write(`[${level}] ${message}\n`);
}

function configOf(request: Request, field = 'config'): TerraformObject {
  const value = decodeDynamicValue(request[field] as DynamicValue | undefined);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as TerraformObject) : {};
}

function unknownType(kind: string, typeName: unknown): Diagnostic {
  return errorDiagnostic(
    `kubecsr has no ${kind} ${String(typeName)}`,
    'Check the type name, and that the block names the right provider (provider = kubecsr).',
  );
}

/**
 * The tfplugin6 Provider service: every RPC as an async function from request to response. The served types hold
 * the behaviour; this class holds the provider's configuration, the connection built from it, and the stop signal.
 */
export class ProviderService {
  private readonly ephemeralTypes = new Map<string, EphemeralResourceType>();
  private readonly dataSourceTypes = new Map<string, DataSourceType>();
  private settings: ProviderSettings = {};
  private configuredUnknown = false;
  private connection?: Promise<KubeConfig>;
  private readonly stopping = new AbortController();

  public constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    for (const type of [
      new CertificateSigningRequestV1(),
      new KeyIssuance(CERTIFICATE_ISSUING),
      new KeyIssuance(CLIENT_IDENTITY_ISSUING),
      new CertManagerCertificateRequest(),
    ])
      this.ephemeralTypes.set(type.typeName, type);
    for (const type of [new SelfSubjectReview()]) this.dataSourceTypes.set(type.typeName, type);
  }

  /** Aborted by StopProvider and Shutdown: open waits end, their objects are deleted. */
  public get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Ends every wait in progress. */
  public stop(reason: string): void {
    this.stopping.abort(new Error(reason));
  }

  private context(): ServeContext {
    return {
      kubeConfig: () => {
        if (this.configuredUnknown) {
          return Promise.reject(
            Object.assign(
              new Error(
                'the provider configuration still holds values Terraform does not know; they must be known before a certificate can be issued',
              ),
              { name: 'ProviderConfigError' },
            ),
          );
        }
        this.connection ??= buildKubeConfig(this.settings, this.env);
        return this.connection;
      },
      signal: this.stopping.signal,
      log: logLine,
    };
  }

  public GetMetadata(): Promise<Response> {
    return Promise.resolve({
      server_capabilities: { get_provider_schema_optional: true },
      diagnostics: [],
      data_sources: [...this.dataSourceTypes.keys()].map((type_name) => ({ type_name })),
      ephemeral_resources: [...this.ephemeralTypes.keys()].map((type_name) => ({ type_name })),
    });
  }

  public GetProviderSchema(): Promise<Response> {
    const schemas = <T extends { schema: Parameters<typeof schemaMessage>[0] }>(types: Map<string, T>) =>
      Object.fromEntries([...types].map(([name, type]) => [name, schemaMessage(type.schema)]));
    return Promise.resolve({
      provider: schemaMessage(PROVIDER_CONFIG_SCHEMA),
      resource_schemas: {},
      data_source_schemas: schemas(this.dataSourceTypes),
      ephemeral_resource_schemas: schemas(this.ephemeralTypes),
      diagnostics: [],
      server_capabilities: { get_provider_schema_optional: true },
    });
  }

  public GetFunctions(): Promise<Response> {
    return Promise.resolve({ functions: {}, diagnostics: [] });
  }

  public ValidateProviderConfig(request: Request): Promise<Response> {
    return Promise.resolve({ diagnostics: providerConfigDiagnostics(configOf(request)) });
  }

  public ConfigureProvider(request: Request): Promise<Response> {
    const config = configOf(request);
    const diagnostics = providerConfigDiagnostics(config);
    this.configuredUnknown = providerConfigUnknown(config);
    this.settings = providerSettings(config);
    this.connection = undefined;
    return Promise.resolve({ diagnostics });
  }

  public async ValidateEphemeralResourceConfig(request: Request): Promise<Response> {
    const type = this.ephemeralTypes.get(String(request.type_name));
    if (!type) return { diagnostics: [unknownType('ephemeral resource type', request.type_name)] };
    return { diagnostics: await type.validate(configOf(request)) };
  }

  public async OpenEphemeralResource(request: Request): Promise<Response> {
    const type = this.ephemeralTypes.get(String(request.type_name));
    if (!type) return { diagnostics: [unknownType('ephemeral resource type', request.type_name)] };
    const outcome = await type.open(configOf(request), this.context());
    return {
      diagnostics: outcome.diagnostics,
      ...(outcome.result ? { result: encodeDynamicValue(outcome.result) } : {}),
      ...(outcome.private ? { private: outcome.private } : {}),
    };
  }

  public RenewEphemeralResource(request: Request): Promise<Response> {
    // Open never sets renew_at: a certificate cannot be extended, Terraform opens again on its next run.
    return Promise.resolve({ diagnostics: [], ...(request.private ? { private: request.private } : {}) });
  }

  public async CloseEphemeralResource(request: Request): Promise<Response> {
    const type = this.ephemeralTypes.get(String(request.type_name));
    if (!type) return { diagnostics: [unknownType('ephemeral resource type', request.type_name)] };
    return { diagnostics: await type.close(request.private as Buffer | undefined, this.context()) };
  }

  public ValidateDataResourceConfig(request: Request): Promise<Response> {
    const type = this.dataSourceTypes.get(String(request.type_name));
    if (!type) return Promise.resolve({ diagnostics: [unknownType('data source', request.type_name)] });
    return Promise.resolve({ diagnostics: type.validate(configOf(request)) });
  }

  public async ReadDataSource(request: Request): Promise<Response> {
    const type = this.dataSourceTypes.get(String(request.type_name));
    if (!type) return { diagnostics: [unknownType('data source', request.type_name)] };
    const outcome = await type.read(configOf(request), this.context());
    return {
      diagnostics: outcome.diagnostics,
      ...(outcome.state ? { state: encodeDynamicValue(outcome.state) } : {}),
    };
  }

  public StopProvider(): Promise<Response> {
    this.stop('Terraform asked the provider to stop');
    return Promise.resolve({ Error: '' });
  }
}
