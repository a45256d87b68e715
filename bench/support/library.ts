import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Pki from '../../src/pki/index.js';
import type * as Runtime from '../../src/runtime/index.js';

/** The built PKI layer (lib/pki), typed from its source. */
export type PkiModule = typeof Pki;
/** The built runtime (lib/runtime), typed from its source. */
export type RuntimeModule = typeof Runtime;

/**
 * Imports a module of the BUILT library (lib/<path>), the code users run, typed from its source in src/.
 *
 * @throws Error when lib/ has not been built
 */
export async function importBuilt<T>(repoRoot: string, path: string): Promise<T> {
  const file = join(repoRoot, 'lib', path);
  if (!existsSync(file)) {
    throw new Error(`${file} does not exist: build the library first (npm run build; npm run bench does it for you)`);
  }
  return (await import(pathToFileURL(file).href)) as T;
}

/** lib/pki/index.js. */
export function importPki(repoRoot: string): Promise<PkiModule> {
  return importBuilt<PkiModule>(repoRoot, 'pki/index.js');
}

/** lib/runtime/index.js. */
export function importRuntime(repoRoot: string): Promise<RuntimeModule> {
  return importBuilt<RuntimeModule>(repoRoot, 'runtime/index.js');
}
