import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { createSelfSignedCertificate } from '../../pki/self-signed.js';
import { loadProtocol } from '../protocol/load.js';
import { logLine, ProviderService } from '../provider-service.js';
import { handshakeLine } from './handshake.js';

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const SERVER_CERTIFICATE_VALIDITY_MS = 30 * 24 * 3600 * 1000;

type Handler = (request: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>>;

function unary(handler: Handler, method: string) {
  return (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        // Never echo the request: it may hold a key or a certificate.
        const message = error instanceof Error ? error.message : String(error);
        logLine('ERROR', `kubecsr: ${method} failed: ${message}`);
        callback({ code: status.INTERNAL, details: `kubecsr: ${method} failed: ${message}` });
      },
    );
  };
}

function providerImplementation(service: ProviderService, methods: readonly string[]): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const method of methods) {
    const handler = (service as unknown as Record<string, Handler | undefined>)[method];
    if (typeof handler !== 'function') throw new Error(`ProviderService does not implement ${method}`);
    implementation[method] = unary(handler.bind(service), method);
  }
  return implementation;
}

/** What {@link servePlugin} started, for tests and shutdown. */
export interface RunningPlugin {
  readonly socketPath: string;
  readonly service: ProviderService;
  /** Stops serving, ends open waits, removes the socket. */
  close(): void;
}

/**
 * Serves the kubecsr provider the way go-plugin expects: a gRPC server on a fresh unix socket (mode 0600 in a 0700
 * folder), mutual TLS with a fresh self-signed server certificate and Terraform's client certificate required,
 * then the handshake line on stdout. Shutdown (GRPCController), SIGTERM and the parent's exit end the process.
 */
export async function servePlugin(env: NodeJS.ProcessEnv = process.env): Promise<RunningPlugin> {
  const protocol = loadProtocol();
  const service = new ProviderService(env);
  const certificate = createSelfSignedCertificate({
    commonName: 'localhost',
    organization: 'kubecsr',
    validityMs: SERVER_CERTIFICATE_VALIDITY_MS,
  });
  const credentials = ServerCredentials.createSsl(
    Buffer.from(env.PLUGIN_CLIENT_CERT ?? ''),
    [{ cert_chain: Buffer.from(certificate.certificatePem), private_key: Buffer.from(certificate.privateKeyPem) }],
    true,
  );
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(protocol.provider, providerImplementation(service, Object.keys(protocol.provider)));
  server.addService(protocol.health, {
    Check: (_call: unknown, callback: sendUnaryData<unknown>) => callback(null, { status: 1 }),
  });

  const folder = mkdtempSync(join(tmpdir(), 'kubecsr-'));
  const socketPath = join(folder, 'plugin.sock');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    service.stop('the provider is shutting down');
    server.forceShutdown();
    rmSync(folder, { recursive: true, force: true });
  };
  const exit = (code: number) => {
    close();
    // Let pending replies and the CSR deletions that the stop signal started finish, but never hang.
    setTimeout(() => process.exit(code), 1500).unref();
  };
  server.addService(protocol.controller, {
    Shutdown: (_call: unknown, callback: sendUnaryData<unknown>) => {
      callback(null, {});
      setImmediate(() => {
        close();
        process.exit(0);
      });
    },
  });

  const previousUmask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socketPath}`, credentials, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    process.umask(previousUmask);
  }
  chmodSync(socketPath, 0o600);

  // Ctrl-C reaches the whole process group; Terraform answers it with StopProvider, so the provider keeps serving.
  process.on('SIGINT', () =>
    logLine('INFO', 'kubecsr: interrupt received; waiting for Terraform to stop the provider'),
  );
  process.once('SIGTERM', () => exit(143));
  // Once Terraform is gone its end of stdout and stderr is closed: a log line must not crash the clean-up below.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      logLine('WARN', 'kubecsr: Terraform exited; stopping open requests and exiting');
      service.stop('Terraform exited');
      exit(1);
    }
  }, 500).unref();

  process.stdout.write(handshakeLine(socketPath, certificate.certificateDer));
  return { socketPath, service, close };
}
