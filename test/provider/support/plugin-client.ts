import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { credentials, makeGenericClientConstructor, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../../src/pki/self-signed.js';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../../src/provider/plugin/handshake.js';
import { loadProtocol } from '../../../src/provider/protocol/load.js';
import {
  decodeDynamicValue,
  encodeDynamicValue,
  type TerraformObject,
  type TerraformValue,
} from '../../../src/provider/values/dynamic-value.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
/** The built entry point, as the launcher runs it. */
export const PROVIDER_ENTRY = resolve(root, 'lib', 'provider', 'main.js');

/** The handshake line's fields. */
export interface Handshake {
  readonly line: string;
  readonly network: string;
  readonly address: string;
  readonly serverCertificate: X509Certificate;
}

type Call = (request: object) => Promise<Record<string, unknown>>;

/**
 * Plays Terraform's part of go-plugin: starts the provider with the magic cookie and a client certificate, reads the
 * handshake line and calls the provider over mutual TLS. The calls are the protocol's own; nothing is faked.
 */
export class PluginClient {
  public readonly stderr: string[] = [];
  private constructor(
    public readonly child: ChildProcess,
    public readonly handshake: Handshake,
    private readonly provider: Client,
    private readonly controller: Client,
    private readonly health: Client,
  ) {}

  /** Starts the provider; `env` is added to the test's environment. */
  public static async start(
    env: Record<string, string | undefined> = {},
    clientCertificate: SelfSignedCertificate = createSelfSignedCertificate({
      commonName: 'localhost',
      organization: 'terraform-test',
      validityMs: 3_600_000,
    }),
  ): Promise<PluginClient> {
    const child = spawn(process.execPath, [PROVIDER_ENTRY], {
      env: {
        ...process.env,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PLUGIN_PROTOCOL_VERSIONS: '5,6',
        PLUGIN_CLIENT_CERT: clientCertificate.certificatePem,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    const line = await new Promise<string>((resolveLine, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (first) => resolveLine(first));
      child.once('exit', (code) =>
        reject(new Error(`provider exited with ${code} before the handshake:\n${stderr.join('\n')}`)),
      );
    });
    const [, , network = '', address = '', , certificate = ''] = line.split('|');
    const serverCertificate = new X509Certificate(Buffer.from(certificate, 'base64'));
    const handshake = { line, network, address, serverCertificate };
    const clients = PluginClient.connect(handshake, clientCertificate);
    const plugin = new PluginClient(child, handshake, clients.provider, clients.controller, clients.health);
    plugin.stderr.push(...stderr);
    createInterface({ input: child.stderr }).on('line', (l) => plugin.stderr.push(l));
    return plugin;
  }

  /** gRPC clients of the three services, authenticating with `clientCertificate` (undefined: none). */
  public static connect(handshake: Handshake, clientCertificate: SelfSignedCertificate | undefined) {
    const protocol = loadProtocol();
    const channel = credentials.createSsl(
      Buffer.from(handshake.serverCertificate.toString()),
      clientCertificate ? Buffer.from(clientCertificate.privateKeyPem) : null,
      clientCertificate ? Buffer.from(clientCertificate.certificatePem) : null,
    );
    const make = (definition: ServiceDefinition, name: string) => {
      const Constructor = makeGenericClientConstructor(definition, name);
      return new Constructor(`unix://${handshake.address}`, channel, {
        'grpc.ssl_target_name_override': 'localhost',
        'grpc.default_authority': 'localhost',
      });
    };
    return {
      provider: make(protocol.provider, 'Provider'),
      controller: make(protocol.controller, 'GRPCController'),
      health: make(protocol.health, 'Health'),
    };
  }

  /** Calls a method of a client; rejects with the gRPC error. */
  public static call(client: Client, method: string, request: object = {}, deadlineMs = 120_000): ReturnType<Call> {
    return new Promise((resolveCall, reject) => {
      const fn = (client as unknown as Record<string, (...args: unknown[]) => void>)[method];
      if (!fn) throw new Error(`no method ${method}`);
      fn.call(
        client,
        request,
        { deadline: Date.now() + deadlineMs },
        (error: Error | null, response: Record<string, unknown>) => (error ? reject(error) : resolveCall(response)),
      );
    });
  }

  /** Calls a tfplugin6.Provider method. */
  public rpc(method: string, request: object = {}, deadlineMs?: number): ReturnType<Call> {
    return PluginClient.call(this.provider, method, request, deadlineMs);
  }

  public healthCheck(): ReturnType<Call> {
    return PluginClient.call(this.health, 'Check', { service: 'plugin' });
  }

  /** GRPCController.Shutdown, then waits for the process to exit; resolves with its exit code. */
  public async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    await PluginClient.call(this.controller, 'Shutdown').catch(() => undefined);
    return exited;
  }

  /** Kills the process if it still runs, and closes the channels. */
  public dispose(): void {
    for (const client of [this.provider, this.controller, this.health]) client.close();
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  /** Configures the provider with a provider block's values (attributes left out are null). */
  public async configure(config: Record<string, TerraformValue>): Promise<Record<string, unknown>> {
    const full: Record<string, TerraformValue> = {
      config_path: null,
      kubeconfig: null,
      config_context: null,
      host: null,
      cluster_ca_certificate: null,
      client_certificate: null,
      client_key: null,
      token: null,
      insecure: null,
      ...config,
    };
    return this.rpc('ConfigureProvider', { terraform_version: '1.11.4', config: encodeDynamicValue(full) });
  }
}

/** A full configuration of kubernetes_certificate_signing_request_v1 as Terraform sends it: absent values are null. */
export function csrConfig(
  spec: Record<string, TerraformValue>,
  metadata: Record<string, TerraformValue> = { generate_name: 'provider-test-' },
  top: Record<string, TerraformValue> = {},
): TerraformObject {
  return {
    auto_approve: null,
    certificate: null,
    timeout: null,
    ca_bundle: null,
    ...top,
    metadata: { name: null, generate_name: null, ...metadata },
    spec: { usages: null, expiration_seconds: null, request: null, signer_name: null, ...spec },
  };
}

/** Encodes a config for a request. */
export const dynamic = encodeDynamicValue;

/** Decodes a DynamicValue of a response. */
export function decoded(value: unknown): TerraformValue {
  return decodeDynamicValue(value as { msgpack?: Uint8Array });
}

/** The diagnostics of a response, as plain objects. */
export interface DiagnosticView {
  readonly severity: number;
  readonly summary: string;
  readonly detail: string;
  readonly path: string;
}

export function diagnosticsOf(response: Record<string, unknown>): DiagnosticView[] {
  const list = (response.diagnostics ?? []) as {
    severity: number;
    summary: string;
    detail: string;
    attribute?: { steps: { attribute_name?: string }[] } | null;
  }[];
  return list.map((d) => ({
    severity: d.severity,
    summary: d.summary,
    detail: d.detail,
    path: (d.attribute?.steps ?? []).map((s) => s.attribute_name ?? '').join('.'),
  }));
}
