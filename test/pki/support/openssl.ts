import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The result of one openssl invocation; never throws for a non-zero exit. */
export interface OpensslResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the openssl CLI with `args` in `cwd`. */
export function openssl(args: readonly string[], cwd?: string): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    execFile('openssl', [...args], { cwd, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`could not run openssl: ${error.message}`, { cause: error }));
        return;
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** Runs openssl and fails with its stderr when it exits non-zero. */
export async function opensslOk(args: readonly string[], cwd?: string): Promise<string> {
  const result = await openssl(args, cwd);
  if (result.code !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Makes a request with `openssl req -new -nodes <keyArgs>` in `tmp`: the key in `<name>.key`, the request in
 * `<name>.csr`, subject `subject` (default CN=a), `extra` arguments (e.g. -addext) before -out. Returns the request.
 */
export async function opensslRequest(
  tmp: ScratchDir,
  name: string,
  keyArgs: readonly string[],
  options: { readonly subject?: string; readonly extra?: readonly string[] } = {},
): Promise<string> {
  await opensslOk([
    'req',
    '-new',
    '-nodes',
    ...keyArgs,
    '-keyout',
    tmp.path(`${name}.key`),
    '-subj',
    options.subject ?? '/CN=a',
    ...(options.extra ?? []),
    '-out',
    tmp.path(`${name}.csr`),
  ]);
  return tmp.read(`${name}.csr`);
}

/** A scratch directory, removed by `dispose`. */
export interface ScratchDir {
  readonly dir: string;
  path(name: string): string;
  write(name: string, content: string | Buffer): Promise<string>;
  read(name: string): Promise<string>;
  dispose(): Promise<void>;
}

/** Creates a scratch directory under the OS temp dir. */
export async function scratchDir(prefix = 'pki-test-'): Promise<ScratchDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write: async (name, content) => {
      const file = join(dir, name);
      await writeFile(file, content);
      return file;
    },
    read: (name) => readFile(join(dir, name), 'utf8'),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Whether `message` contains any 12-character run of the base64 body of `pem` (i.e. leaks key material). */
export function containsKeyMaterial(message: string, pem: string): boolean {
  const body = pem
    .split('\n')
    .filter((line) => !line.startsWith('-----') && !line.includes(':'))
    .join('')
    .replace(/\s/g, '');
  for (let i = 0; i + 12 <= body.length; i++) {
    if (message.includes(body.slice(i, i + 12))) {
      return true;
    }
  }
  return false;
}
