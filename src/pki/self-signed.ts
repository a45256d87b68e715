import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// A small DER writer of its own: this module is on the provider's start-up path, where loading node-forge would cost
// more than the whole handshake budget.

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.of(tag), lengthOctets(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    for (let n = arc; ; n = Math.floor(n / 128)) {
      chunk.unshift((n % 128) | (chunk.length ? 0x80 : 0));
      if (n < 128) break;
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function positiveInteger(bytes: Buffer): Buffer {
  const trimmed = bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string, organization: string): Buffer {
  const attribute = (type: string, value: string) => set(sequence(oid(type), tlv(0x0c, Buffer.from(value, 'utf8'))));
  return sequence(attribute('2.5.4.10', organization), attribute('2.5.4.3', commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.of(0xff))] : []), tlv(0x04, value));
}

/** A self-signed certificate and its key, both PEM. */
export interface SelfSignedCertificate {
  readonly certificatePem: string;
  /** The certificate, DER. */
  readonly certificateDer: Buffer;
  /** PKCS#8 PEM; keep it in memory. */
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
}

/** Options of {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name, also the one DNS subjectAltName. */
  readonly commonName: string;
  /** Subject and issuer organization. */
  readonly organization: string;
  /** How long it is valid from now, in milliseconds. */
  readonly validityMs: number;
}

/**
 * Makes a fresh ECDSA P-256 key and a self-signed CA:TRUE certificate for it, usable for TLS server and client
 * authentication (as go-plugin's own AutoMTLS certificates are), with the common name as DNS subjectAltName.
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const subject = name(options.commonName, options.organization);
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const extensions = tlv(
    0xa3,
    sequence(
      extension('2.5.29.19', true, sequence(tlv(0x01, Buffer.of(0xff)))),
      // digitalSignature, keyEncipherment, keyCertSign
      extension('2.5.29.15', true, tlv(0x03, Buffer.of(0x02, 0xa4))),
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
      extension('2.5.29.17', false, sequence(tlv(0x82, Buffer.from(options.commonName, 'ascii')))),
    ),
  );
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.of(2))),
    positiveInteger(randomBytes(16)),
    ecdsaWithSha256,
    subject,
    sequence(utcTime(new Date(now - 60_000)), utcTime(new Date(now + options.validityMs))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificateDer = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.of(0), signature));
  const base64 = certificateDer.toString('base64').replace(/.{64}/g, '$&\n');
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    certificateDer,
    privateKeyPem,
    privateKey: createPrivateKey(privateKeyPem),
  };
}
