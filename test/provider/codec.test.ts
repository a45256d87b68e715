import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { decodeMessage, encodeMessage, Registry } from '../../src/provider/protocol/codec.js';
import type { DescriptorNamespace } from '../../src/provider/protocol/descriptor.js';
import { DESCRIPTOR_FILE, descriptorText, PROTO_FILES } from '../../scripts/protocol-descriptor.js';

const require = createRequire(import.meta.url);
const protocolDir = resolve(import.meta.dirname, '..', '..', 'src', 'provider', 'protocol');

// The provider's own wire codec against protobufjs, the reference implementation of the format, on the messages
// the provider reads and writes.
function reference(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) =>
    target.startsWith('google/protobuf/') ? require.resolve(`protobufjs/${target}`) : resolve(origin, '..', target);
  return root.loadSync(
    PROTO_FILES.map((f) => join(protocolDir, f)),
    { keepCase: true },
  );
}

describe('protocol codec', () => {
  const registry = new Registry(JSON.parse(readFileSync(DESCRIPTOR_FILE, 'utf8')) as DescriptorNamespace);
  const root = reference();

  it('fails when descriptor.json is stale: it matches what the .proto files give', () => {
    const fresh = readFileSync(DESCRIPTOR_FILE, 'utf8') === descriptorText();
    assert.ok(fresh, 'descriptor.json differs from the .proto files: run npx tsx scripts/protocol-descriptor.ts');
  });

  it('writes a schema response that protobufjs reads back field for field (maps, nested blocks, bytes, enums)', () => {
    const response = {
      provider: { version: 0, block: { version: 0, description: 'p', attributes: [], block_types: [] } },
      ephemeral_resource_schemas: {
        kubernetes_certificate_signing_request_v1: {
          version: 0,
          block: {
            description: 'csr',
            attributes: [
              { name: 'certificate', type: Buffer.from('"string"'), optional: true, computed: true },
              { name: 'key', type: Buffer.from('"string"'), sensitive: true, required: true },
            ],
            block_types: [
              {
                type_name: 'spec',
                nesting: 1,
                block: { attributes: [{ name: 'usages', type: Buffer.from('["list","string"]'), optional: true }] },
              },
            ],
          },
        },
      },
      diagnostics: [{ severity: 1, summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'spec' }] } }],
      server_capabilities: { get_provider_schema_optional: true },
    };
    const type = registry.message('tfplugin6.GetProviderSchema.Response');
    const bytes = encodeMessage(type, response);
    const decoded = root.lookupType('tfplugin6.GetProviderSchema.Response').decode(bytes).toJSON();
    assert.deepEqual(decoded, {
      provider: { block: { description: 'p' } },
      ephemeral_resource_schemas: {
        kubernetes_certificate_signing_request_v1: {
          block: {
            description: 'csr',
            attributes: [
              { name: 'certificate', type: Buffer.from('"string"').toString('base64'), optional: true, computed: true },
              { name: 'key', type: Buffer.from('"string"').toString('base64'), sensitive: true, required: true },
            ],
            block_types: [
              {
                type_name: 'spec',
                nesting: 'SINGLE',
                block: {
                  attributes: [
                    { name: 'usages', type: Buffer.from('["list","string"]').toString('base64'), optional: true },
                  ],
                },
              },
            ],
          },
        },
      },
      diagnostics: [
        { severity: 'ERROR', summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'spec' }] } },
      ],
      server_capabilities: { get_provider_schema_optional: true },
    });
  });

  it('reads what protobufjs writes, skipping fields it does not know (a newer Terraform adds fields)', () => {
    const open = root.lookupType('tfplugin6.OpenEphemeralResource.Request');
    const written = open
      .encode(
        open.create({
          type_name: 'kubernetes_certificate_signing_request_v1',
          config: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0xc0]) },
          client_capabilities: { deferral_allowed: true },
        }),
      )
      .finish();
    // an unknown field 15 (varint) and 16 (bytes) appended
    const withUnknown = Buffer.concat([Buffer.from(written), Buffer.from([0x78, 0x01, 0x82, 0x01, 0x02, 0x68, 0x69])]);
    const decoded = decodeMessage(registry.message('tfplugin6.OpenEphemeralResource.Request'), withUnknown);
    assert.deepEqual(decoded, {
      type_name: 'kubernetes_certificate_signing_request_v1',
      config: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0xc0]), json: Buffer.alloc(0) },
      client_capabilities: { deferral_allowed: true, write_only_attributes_allowed: false },
    });
  });

  it('round-trips optional bytes and large int64 values, with proto3 defaults for what is not on the wire', () => {
    const close = registry.message('tfplugin6.CloseEphemeralResource.Request');
    const value = { type_name: 't', private: Buffer.from('{"name":"x"}') };
    assert.deepEqual(decodeMessage(close, encodeMessage(close, value)), value);
    // an optional field left out stays absent, as Terraform's "no private bytes" must be told apart from empty ones
    assert.deepEqual(decodeMessage(close, encodeMessage(close, { type_name: 't' })), { type_name: 't' });
    const block = registry.message('tfplugin6.Schema.NestedBlock');
    const nested = { type_name: 'b', max_items: 2 ** 40 };
    assert.deepEqual(decodeMessage(block, encodeMessage(block, nested)), { ...nested, nesting: 0, min_items: 0 });
  });

  it('fails on a truncated message instead of returning part of it', () => {
    const type = registry.message('tfplugin6.CloseEphemeralResource.Request');
    const bytes = encodeMessage(type, { type_name: 'kubernetes_certificate_signing_request_v1' });
    assert.throws(() => decodeMessage(type, bytes.subarray(0, bytes.length - 3)), /truncated/);
  });
});
