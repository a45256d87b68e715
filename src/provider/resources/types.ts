import type { KubeConfig } from '@kubernetes/client-node';
import type { Diagnostic } from '../values/diagnostics.js';
import type { TerraformObject } from '../values/dynamic-value.js';
import type { BlockSchema } from '../values/schema.js';

/** What a served type may use while it works. */
export interface ServeContext {
  /** The cluster connection from the provider block; built on first use (it loads the Kubernetes client). */
  kubeConfig(): Promise<KubeConfig>;
  /** Aborted when Terraform calls StopProvider (Ctrl-C) or shuts the provider down. */
  readonly signal: AbortSignal;
  /** Writes one line to Terraform's log (stderr). Never pass secrets. */
  log(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string): void;
}

/** What Open returns: the result object, private bytes for Close, and diagnostics. */
export interface OpenOutcome {
  readonly result?: TerraformObject;
  readonly private?: Buffer;
  readonly diagnostics: readonly Diagnostic[];
}

/** An ephemeral resource type served by the provider. */
export interface EphemeralResourceType {
  readonly typeName: string;
  readonly schema: BlockSchema;
  /** Checks the configuration; values may be unknown. */
  validate(config: TerraformObject): Promise<Diagnostic[]>;
  /** Terraform's Open; the configuration is wholly known. */
  open(config: TerraformObject, context: ServeContext): Promise<OpenOutcome>;
  /** Terraform's Close, with the private bytes Open returned. */
  close(privateData: Buffer | undefined, context: ServeContext): Promise<readonly Diagnostic[]>;
}

/** A data source type served by the provider. */
export interface DataSourceType {
  readonly typeName: string;
  readonly schema: BlockSchema;
  validate(config: TerraformObject): Diagnostic[];
  read(
    config: TerraformObject,
    context: ServeContext,
  ): Promise<{ state?: TerraformObject; diagnostics: readonly Diagnostic[] }>;
}
