// Regenerates src/provider/protocol/descriptor.json from the .proto files beside it (protobufjs, a dev tool), so the
// provider reads a small JSON descriptor at start-up instead of loading a .proto parser.
//   npx tsx scripts/protocol-descriptor.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const protocolDir = resolve(import.meta.dirname, '..', 'src', 'provider', 'protocol');
/** The .proto files, in the order they are loaded. */
export const PROTO_FILES = ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'];
export const DESCRIPTOR_FILE = join(protocolDir, 'descriptor.json');

/** The descriptor text the .proto files give today. */
export function descriptorText(): string {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) =>
    target.startsWith('google/protobuf/') ? require.resolve(`protobufjs/${target}`) : resolve(dirname(origin), target);
  root.loadSync(
    PROTO_FILES.map((file) => join(protocolDir, file)),
    { keepCase: true },
  );
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const text = descriptorText();
  if (process.argv.includes('--check')) {
    if (readFileSync(DESCRIPTOR_FILE, 'utf8') !== text) {
      process.stderr.write('descriptor.json is stale: run npx tsx scripts/protocol-descriptor.ts\n');
      process.exit(1);
    }
  } else {
    writeFileSync(DESCRIPTOR_FILE, text);
    process.stdout.write(`wrote ${DESCRIPTOR_FILE}\n`);
  }
}
