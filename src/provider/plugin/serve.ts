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
const SHUTDOWN_GRACE_MS = 1500;
const ORPHAN_GRACE_MS = 15_000;

type Handler = (request: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>>;

/** The calls being served, so that a shutdown can let them finish (an aborted Open deletes its CSR on the way out). */
const inFlight = new Set<Promise<unknown>>();

/** Resolves when every call in flight has ended, or after `graceMs`, whichever comes first. */
function drain(graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    void Promise.allSettled([...inFlight]).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function unary(handler: Handler, method: string) {
  return (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => {
    const served = handler(call.request);
    inFlight.add(served);
    void served.finally(() => inFlight.delete(served)).catch(() => undefined);
    served.then(
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
  let exiting = false;
  /** Ends open waits, lets their clean-up (CSR deletion) finish for up to `graceMs`, then exits. */
  const shutdown = (code: number, reason: string, graceMs: number) => {
    if (exiting) return;
    exiting = true;
    service.stop(reason);
    void drain(graceMs).then(() => {
      close();
      process.exit(code);
    });
  };
  server.addService(protocol.controller, {
    Shutdown: (_call: unknown, callback: sendUnaryData<unknown>) => {
      callback(null, {});
      // go-plugin kills the process about 2 s after asking.
      shutdown(0, 'Terraform shut the provider down', SHUTDOWN_GRACE_MS);
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
  process.once('SIGTERM', () => shutdown(143, 'terminated', SHUTDOWN_GRACE_MS));
  // cdktf runs Terraform on a pseudo-terminal; on Ctrl-C it closes it, and the hang-up would kill a provider that
  // does not handle it before its CSRs are deleted.
  process.once('SIGHUP', () => shutdown(129, 'the terminal hung up', ORPHAN_GRACE_MS));
  // Once Terraform is gone its end of stdout and stderr is closed: a log line must not crash the clean-up below.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      logLine('WARN', 'kubecsr: Terraform exited; stopping open requests and exiting');
      // Nobody waits for an orphan: take the time the runtime's delete retries need.
      shutdown(1, 'Terraform exited', ORPHAN_GRACE_MS);
    }
  }, 500).unref();

  process.stdout.write(handshakeLine(socketPath, certificate.certificateDer));
  return { socketPath, service, close };
}
