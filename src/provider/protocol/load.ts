import { readFileSync } from 'node:fs';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { decodeMessage, encodeMessage, Registry } from './codec.js';
import type { DescriptorNamespace } from './descriptor.js';

/** The gRPC services kubecsr serves, described by descriptor.json (generated from the .proto files beside it). */
export interface ProtocolServices {
  readonly provider: ServiceDefinition;
  readonly controller: ServiceDefinition;
  readonly health: ServiceDefinition;
}

type Message = Record<string, unknown>;

function serviceDefinition(registry: Registry, fullName: string, methods: readonly string[]): ServiceDefinition {
  const scope = fullName.split('.').slice(0, -1);
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of methods) {
    const types = registry.methodTypes(fullName, method, scope);
    const request = registry.message(types.request);
    const response = registry.message(types.response);
    definition[method] = {
      path: `/${fullName}/${method}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value) => encodeMessage(request, value),
      requestDeserialize: (bytes) => decodeMessage(request, bytes),
      responseSerialize: (value) => encodeMessage(response, value),
      responseDeserialize: (bytes) => decodeMessage(response, bytes),
      originalName: method,
    };
  }
  return definition;
}

function methodsOf(root: DescriptorNamespace, fullName: string): string[] {
  let node: DescriptorNamespace | undefined = root;
  for (const part of fullName.split('.')) node = node?.nested?.[part];
  return Object.keys((node as { methods?: object } | undefined)?.methods ?? {});
}

/** Loads the service definitions: messages as plain objects keyed by .proto field names, bytes as Buffers. */
export function loadProtocol(): ProtocolServices {
  const root = JSON.parse(readFileSync(new URL('./descriptor.json', import.meta.url), 'utf8')) as DescriptorNamespace;
  const registry = new Registry(root);
  const service = (name: string) => serviceDefinition(registry, name, methodsOf(root, name));
  return {
    provider: service('tfplugin6.Provider'),
    controller: service('plugin.GRPCController'),
    health: service('grpc.health.v1.Health'),
  };
}
