import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import {
  describeCertificateChain,
  describeCertificateRequest,
  parseCertificateChain,
  parseCertificateRequest,
  PkiError,
  verifyCertificateRequest,
  verifyChain,
  type CertificateChain,
  type CertificateChainDescription,
  type CertificateDescription,
  type CertificateRequestDescription,
} from '../../pki/index.js';
import { containsPrivateKey } from '../../rules/index.js';
import { defineCommand, type CliContext } from '../command.js';
import { CliError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { readInput } from '../files.js';
import { printJson } from '../output.js';

const NAME = 'inspect';

/** What `kube-csr inspect` prints for a certificate chain: each certificate with whether its signature verifies. */
export interface InspectedChain {
  readonly kind: 'certificate-chain';
  readonly leaf: InspectedCertificate;
  readonly intermediates: InspectedCertificate[];
  /** With --ca: whether the chain verifies against the bundle. */
  readonly trusted?: boolean;
}

/** A certificate with its signature check. */
export type InspectedCertificate = CertificateDescription & {
  /**
   * Whether the signature verifies with the issuer's key: the next certificate of the chain, the certificate itself
   * when it is self-issued, or the --ca certificate that issued it; null when the issuer is not at hand.
   */
  readonly signatureValid: boolean | null;
};

export const inspectCommand = defineCommand({
  name: NAME,
  summary: 'print a certificate signing request or certificate chain as JSON and check its signature',
  usage: 'kube-csr inspect <FILE|-> [--ca FILE]',
  positionals: { min: 1, max: 1, names: 'FILE (or - for stdin)' },
  flags: {
    ca: { type: 'string' },
  },
  details: `
Reads a PEM CERTIFICATE REQUEST (PKCS#10), or one or more PEM CERTIFICATE blocks (leaf first), from FILE or
from stdin (-), and prints one JSON document: subject CN and O values, subject alternative names, key algorithm
with size or curve, signature algorithm and whether the signature verifies; for certificates also issuer,
validity, usages and fingerprint. Base64 of PEM (as \`kubectl get csr -o jsonpath='{.spec.request}'\` prints it)
and DER are accepted too. Private keys are refused and never printed.

Exit status: 0 when the input is valid (a request kube-apiserver would accept: its signature verifies; a chain
whose links and self-signature verify and whose certificates are within their validity, and with --ca, issued
by a CA of the bundle); 1 with a one-line error on stderr when not (the JSON is still printed when the input
could be parsed); 2 on usage errors.

Flags:
  --ca FILE    PEM CA bundle the chain must verify against (e.g. the cluster CA)
  -h, --help   show this help

Examples:
  kube-csr inspect jane.csr
  kubectl get csr my-csr -o jsonpath='{.spec.request}' | kube-csr inspect -
  kubectl get csr my-csr -o jsonpath='{.status.certificate}' | base64 -d | kube-csr inspect - --ca ca.crt
`,
  async run({ values, positionals }, ctx) {
    const path = positionals[0] ?? '-';
    let caPem: string | undefined;
    if (values.ca !== undefined) {
      try {
        caPem = readFileSync(values.ca, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read the --ca file ${values.ca}: ${(error as Error).message}`, { cause: error });
      }
    }
    const what = path === '-' ? 'stdin' : path;
    try {
      return inspectInput(normalise(await readInput(path, ctx.stdin), what), what, caPem, ctx);
    } catch (error) {
      if (PkiError.isPkiError(error)) throw new CliError(`${what}: ${error.message}`, { cause: error });
      throw error;
    }
  },
});

function inspectInput(input: string | Buffer, what: string, caPem: string | undefined, ctx: CliContext): number {
  if (typeof input === 'string' && /-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input)) {
    return inspectRequest(input, what, ctx);
  }
  if (typeof input === 'string') return inspectChain(input, what, caPem, ctx);
  // DER: a request or a certificate
  try {
    return inspectRequest(input, what, ctx);
  } catch (error) {
    if (!PkiError.isPkiError(error) || error.code === 'bad-signature') throw error;
  }
  let pem: string;
  try {
    pem = new X509Certificate(input).toString();
  } catch {
    throw new CliError(
      `${what} holds neither a PEM CERTIFICATE REQUEST or CERTIFICATE block nor the DER of one: pass a .csr or .crt file`,
    );
  }
  return inspectChain(pem, what, caPem, ctx);
}

/** PEM text as a string; base64 of PEM decoded; anything else (DER) as bytes. Private keys are refused. */
function normalise(bytes: Buffer, what: string): string | Buffer {
  const text = bytes.toString('latin1');
  const refuse = () =>
    new CliError(
      `${what} holds a private key: inspect reads certificate requests and certificates ` +
        'only (the key was not printed)',
    );
  if (containsPrivateKey(text)) throw refuse();
  if (text.includes('-----BEGIN ')) return bytes.toString('utf8');
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (containsPrivateKey(decoded)) throw refuse();
    if (decoded.includes('-----BEGIN ')) return decoded;
  }
  if (compact.length === 0) throw new CliError(`${what} is empty: pass a certificate request or certificate`);
  return bytes;
}

function inspectRequest(input: string | Buffer, what: string, ctx: CliContext): number {
  const description: CertificateRequestDescription = describeCertificateRequest(parseCertificateRequest(input));
  printJson(ctx, description);
  try {
    verifyCertificateRequest(input);
  } catch (error) {
    throw new CliError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return EXIT_CODES.ok;
}

function inspectChain(input: string, what: string, caPem: string | undefined, ctx: CliContext): number {
  const chain = parseCertificateChain(input);
  const described: CertificateChainDescription = describeCertificateChain(chain);
  const checks = signatureChecks(chain, caPem);
  let trustError: unknown;
  try {
    verifyChain(chain, caPem);
  } catch (error) {
    trustError = error;
  }
  const result: InspectedChain = {
    kind: 'certificate-chain',
    leaf: { ...described.leaf, signatureValid: checks[0] ?? null },
    intermediates: described.intermediates.map((d, i) => ({ ...d, signatureValid: checks[i + 1] ?? null })),
    ...(caPem === undefined ? {} : { trusted: trustError === undefined }),
  };
  printJson(ctx, result);
  const bad = checks.findIndex((check) => check === false);
  if (bad >= 0) {
    throw new CliError(
      `${what}: the signature of ${bad === 0 ? 'the certificate' : `intermediate ${bad}`} does not verify with its ` +
        "issuer's key: it was altered or the chain is out of order",
    );
  }
  if (trustError !== undefined) {
    throw new CliError(`${what}: ${(trustError as Error).message}`, { cause: trustError });
  }
  return EXIT_CODES.ok;
}

function signatureChecks(chain: CertificateChain, caPem: string | undefined): (boolean | null)[] {
  const certs = [chain.leaf, ...chain.intermediates];
  let anchors: X509Certificate[] = [];
  if (caPem !== undefined) {
    try {
      anchors = parseCertificateChain(caPem)
        .intermediates.concat(parseCertificateChain(caPem).leaf)
        .map((c) => c.x509);
    } catch {
      anchors = [];
    }
  }
  return certs.map((cert, index) => {
    const parent = certs[index + 1]?.x509;
    if (parent) return cert.x509.verify(parent.publicKey);
    if (cert.x509.checkIssued(cert.x509)) return cert.x509.verify(cert.x509.publicKey);
    const anchor = anchors.find((a) => cert.x509.checkIssued(a));
    return anchor ? cert.x509.verify(anchor.publicKey) : null;
  });
}
