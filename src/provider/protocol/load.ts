import { loadPackageDefinition, type GrpcObject, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The gRPC services kubecsr serves, from its own .proto files beside this module. */
export interface ProtocolServices {
  readonly provider: ServiceDefinition;
  readonly controller: ServiceDefinition;
  readonly health: ServiceDefinition;
}

function service(root: GrpcObject, path: string): ServiceDefinition {
  let node: unknown = root;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  const definition = (node as { service?: ServiceDefinition } | undefined)?.service;
  if (!definition) throw new Error(`the protocol files define no service ${path}`);
  return definition;
}

/** Loads the service definitions: field names as in the .proto, bytes as Buffers, enums as numbers. */
export function loadProtocol(): ProtocolServices {
  const definition = loadSync(
    ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'].map((file) => join(here, file)),
    { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true, bytes: Buffer },
  );
  const root = loadPackageDefinition(definition);
  return {
    provider: service(root, 'tfplugin6.Provider'),
    controller: service(root, 'plugin.GRPCController'),
    health: service(root, 'grpc.health.v1.Health'),
  };
}
