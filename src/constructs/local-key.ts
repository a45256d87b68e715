import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { KeyType } from '../pki/index.js';

/** Directory (relative to the working directory) that holds generated keys by default. */
export const DEFAULT_KEY_ROOT = '.cdktf-kubernetes-csr';

/** Default key directory: `.cdktf-kubernetes-csr/keys` under `cwd`. */
export function defaultKeyDirectory(cwd: string = process.cwd()): string {
  return join(cwd, DEFAULT_KEY_ROOT, 'keys');
}

/** Options of {@link ensureLocalKey}. */
export interface LocalKeyOptions {
  /** Base name of the key file (without `.key`) when `keyFile` is not given. */
  readonly name: string;
  /**
   * Key algorithm and size for a new key; an existing key must match it.
   * @default 'ecdsa-p256'
   */
  readonly keyType?: KeyType;
  /**
   * Path of the key file (created when missing, reused when present).
   * @default - `<keyDirectory>/<name>.key`
   */
  readonly keyFile?: string;
  /**
   * Directory for generated keys.
   * @default - `.cdktf-kubernetes-csr/keys` under process.cwd()
   */
  readonly keyDirectory?: string;
  /**
   * Directories the key must stay out of (the synth output).
   * @default - none
   */
  readonly forbiddenDirectories?: readonly string[];
}

/** A private key on disk. */
export interface LocalKey {
  /** Absolute path of the PEM (PKCS#8) key file, mode 0600. */
  readonly keyFile: string;
  /** The key, for making the CSR. Never serialized into the configuration. */
  readonly privateKey: KeyObject;
  /** True when this call generated the key. */
  readonly created: boolean;
  /** Problems worth a warning (e.g. the file is readable by others). */
  readonly warnings: readonly string[];
}

interface KeySpec {
  readonly type: 'rsa' | 'ec' | 'ed25519';
  readonly modulusLength?: number;
  readonly namedCurve?: string;
  /** names Node reports in asymmetricKeyDetails.namedCurve */
  readonly curveAliases?: readonly string[];
}

const KEY_SPECS: Readonly<Record<KeyType, KeySpec>> = {
  'rsa-2048': { type: 'rsa', modulusLength: 2048 },
  'rsa-3072': { type: 'rsa', modulusLength: 3072 },
  'rsa-4096': { type: 'rsa', modulusLength: 4096 },
  'ecdsa-p256': { type: 'ec', namedCurve: 'P-256', curveAliases: ['prime256v1', 'P-256', 'secp256r1'] },
  'ecdsa-p384': { type: 'ec', namedCurve: 'P-384', curveAliases: ['secp384r1', 'P-384'] },
  'ecdsa-p521': { type: 'ec', namedCurve: 'P-521', curveAliases: ['secp521r1', 'P-521'] },
  ed25519: { type: 'ed25519' },
};

/** The key types {@link ensureLocalKey} can generate. */
export const LOCAL_KEY_TYPES = Object.keys(KEY_SPECS) as KeyType[];

function generatePem(keyType: KeyType): string {
  const spec = KEY_SPECS[keyType];
  const publicKeyEncoding = { type: 'spki', format: 'pem' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  switch (spec.type) {
    case 'rsa':
      return generateKeyPairSync('rsa', {
        modulusLength: spec.modulusLength ?? 3072,
        publicKeyEncoding,
        privateKeyEncoding,
      }).privateKey;
    case 'ec':
      return generateKeyPairSync('ec', {
        namedCurve: spec.namedCurve ?? 'P-256',
        publicKeyEncoding,
        privateKeyEncoding,
      }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519', { publicKeyEncoding, privateKeyEncoding }).privateKey;
  }
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `rsa-${details.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') return `ecdsa ${details.namedCurve ?? '?'}`;
  return key.asymmetricKeyType ?? 'unknown';
}

function matches(key: KeyObject, keyType: KeyType): boolean {
  const spec = KEY_SPECS[keyType];
  if (key.asymmetricKeyType !== spec.type) return false;
  const details = key.asymmetricKeyDetails ?? {};
  if (spec.type === 'rsa') return details.modulusLength === spec.modulusLength;
  if (spec.type === 'ec') return (spec.curveAliases ?? []).includes(details.namedCurve ?? '');
  return true;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Returns the private key stored at the key file, generating it first (synchronously, mode 0600, in a 0700
 * directory) when the file does not exist. A key is reused until its file is deleted. The default directory
 * `.cdktf-kubernetes-csr/` gets a `.gitignore` so that keys are never committed.
 *
 * Throws when the file is inside a forbidden directory (cdktf.out), is not a private key, or does not match `keyType`.
 */
export function ensureLocalKey(options: LocalKeyOptions): LocalKey {
  const keyType = options.keyType ?? 'ecdsa-p256';
  if (!Object.prototype.hasOwnProperty.call(KEY_SPECS, keyType)) {
    throw new Error(`unsupported keyType ${JSON.stringify(keyType)}; use one of ${LOCAL_KEY_TYPES.join(', ')}`);
  }
  if (options.keyFile !== undefined && options.keyFile.includes('-----BEGIN')) {
    throw new Error('keyFile must be a path to a key file, not PEM text; never put key material in the configuration');
  }
  const usingDefaultDirectory = options.keyFile === undefined && options.keyDirectory === undefined;
  const keyFile = resolve(
    options.keyFile ?? join(options.keyDirectory ?? defaultKeyDirectory(), `${options.name}.key`),
  );

  for (const dir of options.forbiddenDirectories ?? []) {
    if (isInside(keyFile, resolve(dir))) {
      throw new Error(
        `the key file ${JSON.stringify(keyFile)} is inside ${JSON.stringify(resolve(dir))}, the synth output that gets copied around; ` +
          'keep private keys outside it (e.g. the default .cdktf-kubernetes-csr/keys/)',
      );
    }
  }

  const warnings: string[] = [];
  let created = false;
  let pem: string;
  if (existsSync(keyFile)) {
    pem = readFileSync(keyFile, 'utf8');
    const mode = statSync(keyFile).mode & 0o777;
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      warnings.push(
        `the key file ${JSON.stringify(keyFile)} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`,
      );
    }
  } else {
    const dir = dirname(keyFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (usingDefaultDirectory) {
      const root = dirname(dir);
      const ignore = join(root, '.gitignore');
      if (!existsSync(ignore)) {
        writeFileSync(ignore, '# private keys generated by cdktf-kubernetes-csr: never commit them\n*\n', {
          mode: 0o644,
        });
      }
    }
    pem = generatePem(keyType);
    try {
      writeFileSync(keyFile, pem, { mode: 0o600, flag: 'wx' });
      chmodSync(keyFile, 0o600);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      pem = readFileSync(keyFile, 'utf8'); // written concurrently by another synth: use that one
    }
  }

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(
      `the key file ${JSON.stringify(keyFile)} does not hold a usable private key (PEM PKCS#8, PKCS#1 or SEC1); delete it to have a new key generated`,
      { cause: err },
    );
  }
  if (!matches(privateKey, keyType)) {
    throw new Error(
      `the key file ${JSON.stringify(keyFile)} holds a ${describeKey(privateKey)} key but keyType ${JSON.stringify(keyType)} was requested; ` +
        'delete the file to have a new key generated, or set keyType to match it',
    );
  }
  return { keyFile, privateKey, created, warnings };
}
