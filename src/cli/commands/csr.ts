import { join } from 'node:path';
import {
  createCertificateRequest,
  describeCertificateRequest,
  generateKey,
  parseCertificateRequest,
  PkiError,
} from '../../pki/index.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { assertNotExisting, fileSafeName, PUBLIC_FILE_MODE, SECRET_FILE_MODE, writeOutputFile } from '../files.js';
import { JSON_FLAG, KEY_TYPES_HELP, parseKeyType, required } from '../flags.js';
import { formatFields, printJson } from '../output.js';

const NAME = 'csr';

export const csrCommand = defineCommand({
  name: NAME,
  summary: 'create a private key and a PKCS#10 certificate signing request, like openssl req (no cluster needed)',
  usage:
    'kube-csr csr --cn NAME [--org O]... [--dns D]... [--ip I]... [--out-dir DIR | --key-out F --csr-out F] [flags]',
  flags: {
    cn: { type: 'string' },
    org: { type: 'string', multiple: true },
    dns: { type: 'string', multiple: true },
    ip: { type: 'string', multiple: true },
    uri: { type: 'string', multiple: true },
    email: { type: 'string', multiple: true },
    'key-type': { type: 'string' },
    'out-dir': { type: 'string' },
    'key-out': { type: 'string' },
    'csr-out': { type: 'string' },
    force: { type: 'boolean' },
    ...JSON_FLAG,
  },
  details: `
Generates a private key (written 0600) and a certificate signing request signed with it, ready for the
spec.request of a CertificateSigningRequest. Nothing is sent anywhere. Existing files are not overwritten
without --force. The key is never printed.

Flags:
  --cn NAME          subject common name (CN); for kubernetes.io/kube-apiserver-client the user name (required)
  --org O            subject organization (O); for kube-apiserver-client a group; repeat for more
  --dns NAME         DNS subject alternative name; repeat for more
  --ip ADDRESS       IP subject alternative name (IPv4 or IPv6); repeat for more
  --uri URI          URI subject alternative name (e.g. a SPIFFE ID); repeat for more
  --email ADDRESS    email subject alternative name; repeat for more
  --key-type TYPE    ${KEY_TYPES_HELP} (default rsa-3072)
  --out-dir DIR      write <cn>.key and <cn>.csr there (default .)
  --key-out FILE     write the key to FILE (with --csr-out, instead of --out-dir)
  --csr-out FILE     write the request to FILE (with --key-out, instead of --out-dir)
  --force            overwrite existing files
  --json             print the file names and the parsed request as one JSON document
  -h, --help         show this help

Examples:
  kube-csr csr --cn jane --org developers --out-dir ./jane
  kube-csr csr --cn system:node:worker-1 --org system:nodes --dns worker-1 --ip 10.0.0.7 \\
    --key-type ecdsa-p256 --key-out worker-1.key --csr-out worker-1.csr
  kube-csr csr --cn jane --key-out jane.key --csr-out jane.csr && kube-csr inspect jane.csr
`,
  async run({ values }, ctx) {
    const commonName = required(NAME, 'cn', values.cn);
    const keyType = parseKeyType(NAME, values['key-type'], 'rsa-3072');
    const keyOut = values['key-out'];
    const csrOut = values['csr-out'];
    if ((keyOut === undefined) !== (csrOut === undefined)) {
      throw new UsageError('flags --key-out and --csr-out go together: give both, or --out-dir', NAME);
    }
    if (keyOut !== undefined && values['out-dir'] !== undefined) {
      throw new UsageError('flag --out-dir cannot be combined with --key-out and --csr-out', NAME);
    }
    const base = fileSafeName(commonName);
    const outDir = values['out-dir'] ?? '.';
    const files = {
      key: keyOut ?? join(outDir, `${base}.key`),
      request: csrOut ?? join(outDir, `${base}.csr`),
    };
    if (files.key === files.request) throw new UsageError('flags --key-out and --csr-out name the same file', NAME);
    const force = values.force ?? false;
    assertNotExisting([files.key, files.request], force, 'choose other files with --out-dir or --key-out/--csr-out');

    const key = await generateKey(keyType);
    let request: string;
    try {
      request = createCertificateRequest({
        privateKey: key.privateKey,
        commonName,
        organizations: values.org,
        dnsNames: values.dns,
        ipAddresses: values.ip,
        uris: values.uri,
        emailAddresses: values.email,
      });
    } catch (error) {
      if (PkiError.isPkiError(error, 'invalid-subject') || PkiError.isPkiError(error, 'invalid-san')) {
        throw new UsageError(error.message, NAME, error);
      }
      throw error;
    }
    writeOutputFile(files.key, key.privateKeyPem, SECRET_FILE_MODE, force);
    writeOutputFile(files.request, request, PUBLIC_FILE_MODE, force);
    const description = describeCertificateRequest(parseCertificateRequest(request));
    if (values.json) {
      printJson(ctx, { files, request: description });
    } else {
      const sans = description.subjectAltNames;
      const sanText = [
        ...sans.dnsNames.map((n) => `DNS:${n}`),
        ...sans.ipAddresses.map((n) => `IP:${n}`),
        ...sans.uris.map((n) => `URI:${n}`),
        ...sans.emailAddresses.map((n) => `email:${n}`),
      ].join(', ');
      ctx.stdout.write(
        formatFields([
          ['key', `${files.key} (${keyType}, mode 0600)`],
          ['request', files.request],
          ['subject', description.subject.text],
          ['sans', sanText || undefined],
        ]),
      );
    }
    return EXIT_CODES.ok;
  },
});
