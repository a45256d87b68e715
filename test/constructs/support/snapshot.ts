import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const SNAPSHOT_DIR = fileURLToPath(new URL('../__snapshots__/', import.meta.url));

/**
 * Compares `value` (JSON, after `normalize`, formatted by Prettier like the rest of the repository) with
 * test/constructs/__snapshots__/<name>.json. The file is written when missing or when UPDATE_SNAPSHOTS=1.
 * Snapshots must never hold key material.
 */
export async function matchSnapshot(
  name: string,
  value: unknown,
  normalize: (text: string) => string = (t) => t,
): Promise<void> {
  const file = join(SNAPSHOT_DIR, `${name}.json`);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(normalize(JSON.stringify(value, null, 2)), { ...options, parser: 'json' });
  assert.doesNotMatch(text, /PRIVATE KEY/, `snapshot ${name} would contain a private key`);
  if (!existsSync(file) || process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.equal(
    text,
    readFileSync(file, 'utf8'),
    `snapshot ${name} differs; rerun with UPDATE_SNAPSHOTS=1 if the change is intended`,
  );
}

/** Replaces every occurrence of `path` (e.g. a temporary directory) with `placeholder`. */
export function replacePath(path: string, placeholder: string): (text: string) => string {
  return (text) => text.split(path).join(placeholder);
}

/** Replaces PEM CERTIFICATE REQUEST blocks (which change with every fresh key or ECDSA signature) with a placeholder. */
export function replaceCsrs(text: string): string {
  return text.replace(
    /-----BEGIN CERTIFICATE REQUEST-----[A-Za-z0-9+/=\\n]+-----END CERTIFICATE REQUEST-----(\\n)?/g,
    '<CERTIFICATE REQUEST PEM>',
  );
}
