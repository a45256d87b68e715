import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A P-256 key and a PEM request for CN=`commonName`, O=`organizations`, made by the openssl CLI in `dir`, as another
 * tool than this library would make them (the key file is left in `dir`). `extensions` are passed to -addext.
 */
export function opensslClientRequest(
  dir: string,
  commonName: string,
  organizations: readonly string[] = [],
  extensions: readonly string[] = [],
): { csrPem: string; keyPem: string } {
  const keyFile = join(dir, `${commonName}.key`);
  const csrFile = join(dir, `${commonName}.csr`);
  const subject = `/CN=${commonName}${organizations.map((o) => `/O=${o}`).join('')}`;
  execFileSync(
    'openssl',
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      keyFile,
      '-subj',
      subject,
      '-out',
      csrFile,
      ...extensions.flatMap((extension) => ['-addext', extension]),
    ]),
    { stdio: 'ignore' },
  );
  return { csrPem: readFileSync(csrFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}
