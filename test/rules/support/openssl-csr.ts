import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Key algorithms the fixtures cover. */
export type FixtureKey = 'rsa-2048' | 'ecdsa-p256' | 'ecdsa-p384' | 'ed25519';

/** Parameters of {@link opensslCsr}. */
export interface OpensslCsrParams {
  /** @default 'ecdsa-p256' */
  readonly key?: FixtureKey;
  /** Subject as openssl writes it, e.g. `/O=system:nodes/CN=system:node:n1`. */
  readonly subject: string;
  /** subjectAltName extension value, e.g. `DNS:a.example,IP:10.0.0.1`. @default - none */
  readonly subjectAltName?: string;
  /** More extensions, each as openssl -addext takes it, e.g. `basicConstraints=critical,CA:TRUE`. @default - none */
  readonly extensions?: readonly string[];
}

const NEWKEY: Readonly<Record<FixtureKey, readonly string[]>> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ecdsa-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-newkey', 'ed25519'],
};

/**
 * A real CSR made by /usr/bin/openssl with a fresh key in a temporary directory. The key is deleted with the
 * directory before returning: fixtures only ever hold the public CSR.
 */
export function opensslCsr(params: OpensslCsrParams): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-csr-'));
  try {
    const args = [
      'req',
      '-new',
      ...NEWKEY[params.key ?? 'ecdsa-p256'],
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-subj',
      params.subject,
      '-out',
      join(dir, 'req.pem'),
    ];
    if (params.subjectAltName !== undefined) {
      args.push('-addext', `subjectAltName=${params.subjectAltName}`);
    }
    for (const extension of params.extensions ?? []) args.push('-addext', extension);
    execFileSync('/usr/bin/openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'req.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same CSR with one byte of the subject changed in place (same length): still well-formed DER, but the
 * signature no longer verifies. `from` must occur in the DER (e.g. a CN value).
 */
export function tamperCsr(pem: string, from: string, to: string): string {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE REQUEST-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  const at = der.indexOf(Buffer.from(from, 'utf8'));
  if (at < 0 || from.length !== to.length) throw new Error(`cannot tamper: ${JSON.stringify(from)} not found`);
  Buffer.from(to, 'utf8').copy(der, at);
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}
