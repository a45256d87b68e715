import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './errors.js';

/** File mode of private keys and kubeconfigs with embedded credentials. */
export const SECRET_FILE_MODE = 0o600;
/** File mode of certificates and requests. */
export const PUBLIC_FILE_MODE = 0o644;

/** A name made safe as a file name: path separators and control characters become '_'. */
export function fileSafeName(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._@:+=,-]/g, '_').replace(/^\.+/, '_');
  return safe.length > 0 ? safe : 'user';
}

/**
 * Refuses to go on when any of `paths` exists, unless `force`. Called before anything else is done, so a refused
 * command changes nothing. `how` says which flags choose other paths.
 */
export function assertNotExisting(paths: readonly string[], force: boolean, how: string): void {
  if (force) {
    const directories = paths.filter((path) => existsSync(path) && statSync(path).isDirectory());
    if (directories.length > 0) {
      throw new CliError(`cannot replace ${directories.join(', ')}: it is a directory; ${how}`);
    }
    return;
  }
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new CliError(
      `refusing to overwrite ${existing.join(', ')} (${existing.length === 1 ? 'it exists' : 'they exist'}): ` +
        `pass --force to replace, or ${how}`,
    );
  }
}

/** Creates the folder of `path` (and its parents) when missing. */
export function ensureParentDirectory(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create the folder ${dirname(path)}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Writes a file with `mode`. Without `overwrite` it is created exclusively (fails if it appeared meanwhile); with
 * `overwrite` a temporary file of the same mode is renamed over it, so the old file is never readable with a wider
 * mode and a crash never leaves half a key.
 */
export function writeOutputFile(path: string, data: string, mode: number, overwrite: boolean): void {
  ensureParentDirectory(path);
  try {
    if (!overwrite) {
      writeFileSync(path, data, { mode, flag: 'wx' });
      return;
    }
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, data, { mode, flag: 'wx' });
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') {
      throw new CliError(`refusing to overwrite ${path}: it was created meanwhile; pass --force to replace it`, {
        cause: error,
      });
    }
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a file, or stdin for `-`. */
export async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (path !== '-') {
    try {
      return readFileSync(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      throw new CliError(`cannot read ${path}: ${why}`, { cause: error });
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
