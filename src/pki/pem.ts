import { PkiError, quote } from './errors.js';

/** Largest certificate signing request input accepted (PEM text or DER): 64 KiB. */
export const MAX_CERTIFICATE_REQUEST_BYTES = 64 * 1024;

/**
 * Largest certificate chain or CA bundle input accepted: 1 MiB, the limit kube-apiserver applies to
 * ClusterTrustBundle `spec.trustBundle` (`certificates.MaxTrustBundleSize`). Enough for a system CA bundle.
 */
export const MAX_CERTIFICATE_CHAIN_BYTES = 1024 * 1024;

/** One decoded PEM block. @internal */
export interface PemBlock {
  /** The label between `-----BEGIN ` and `-----`. */
  readonly label: string;
  /** The decoded body. */
  readonly der: Buffer;
  /** 1-based line number of the BEGIN line, for messages. */
  readonly line: number;
}

/** A block found by the scanner, not yet decoded. */
interface RawBlock {
  readonly label: string;
  readonly headerNames: string[];
  readonly base64: string;
  readonly line: number;
}

/** What a caller expects to find; drives the checks and the wording of messages. @internal */
export interface PemExpectation {
  /** The only label accepted, e.g. `CERTIFICATE REQUEST`. */
  readonly label: string;
  /** Byte limit of the whole input. */
  readonly maxBytes: number;
  /** Whether more than one block (all with `label`) is allowed. */
  readonly allowMultiple: boolean;
  /** What to call the expected object in messages, e.g. `certificate signing request`. */
  readonly noun: string;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's pem.getLine trims trailing spaces, tabs and the CR of a CRLF; so do we. */
function trimLineEnd(line: string): string {
  return line.replace(/[ \t\r]+$/, '');
}

/** A label from the input, safe to print: plain uppercase labels as they are, anything else only by length. */
function showLabel(label: string): string {
  // Only plain uppercase labels are printed: anything else could be a fragment of the body (a key) glued to it.
  return /^[A-Z0-9 ]{1,40}$/.test(label) ? label : `<unrecognised label, ${label.length} characters>`;
}

function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY$/.test(label);
}

/**
 * Finds the PEM blocks in `text` with the rules of Go's `encoding/pem` (what kube-apiserver uses), made strict:
 * BEGIN lines must start a line; LF and CRLF line endings; trailing blanks on a line are ignored; text before,
 * between and after blocks is ignored. Structural damage that Go would silently skip is an error here.
 */
function scanPem(text: string): RawBlock[] {
  const lines = text.split('\n');
  const blocks: RawBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = trimLineEnd(lines[i] ?? '');
    if (line.includes('\r') && line.includes(BEGIN)) {
      throw new PkiError(
        'malformed-pem',
        `line ${i + 1}: the text uses lone carriage returns (CR) as line breaks, which kube-apiserver does not ` +
          'accept: convert the line endings to LF or CRLF (e.g. tr "\\r" "\\n")',
      );
    }
    if (!line.startsWith(BEGIN)) {
      if (i === 0 && line.startsWith(`\uFEFF${BEGIN}`)) {
        throw new PkiError(
          'malformed-pem',
          'the input starts with a unicode byte order mark (bom) before the BEGIN line, and kube-apiserver does not ' +
            'recognise a block there: save the file as utf-8 without a bom',
        );
      }
      if (/^[ \t]+-----BEGIN /.test(line)) {
        throw new PkiError(
          'malformed-pem',
          `line ${i + 1}: the BEGIN line is indented, and kube-apiserver only recognises a BEGIN line at the start ` +
            'of a line: remove the leading whitespace from every line of the block (e.g. when copying from yaml)',
        );
      }
      if (line.includes(BEGIN)) {
        throw new PkiError(
          'malformed-pem',
          `line ${i + 1}: -----BEGIN appears in the middle of a line, and kube-apiserver only recognises a BEGIN ` +
            'line at the start of a line: put the block on its own lines',
        );
      }
      continue;
    }
    const beginLine = i + 1;
    if (!line.endsWith(DASHES) || line.length < BEGIN.length + DASHES.length + 1) {
      throw new PkiError(
        'malformed-pem',
        `line ${beginLine}: the BEGIN line does not end with five dashes: it must read -----BEGIN <LABEL>-----`,
      );
    }
    const label = line.slice(BEGIN.length, -DASHES.length);
    const headerNames: string[] = [];
    let base64 = '';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const bodyLine = trimLineEnd(lines[j] ?? '');
      if (bodyLine.startsWith(END) || bodyLine.trimStart().startsWith(END)) {
        break;
      }
      if (bodyLine.trimStart().startsWith(BEGIN)) {
        throw new PkiError(
          'malformed-pem',
          `line ${j + 1}: a new BEGIN line starts before the ${showLabel(label)} block from line ${beginLine} ` +
            'has its END line: the first block is incomplete; copy each block whole',
        );
      }
      const colon = bodyLine.indexOf(':');
      if (colon >= 0) {
        headerNames.push(bodyLine.slice(0, colon).trim());
      } else {
        base64 += bodyLine.replace(/[ \t]/g, '');
      }
    }
    if (j >= lines.length) {
      throw new PkiError(
        'malformed-pem',
        `the ${showLabel(label)} block that begins on line ${beginLine} has no END line: the input looks cut off ` +
          'or its line breaks were lost; copy the whole block, one BEGIN line, the base64 lines and one END line',
      );
    }
    const endLine = trimLineEnd(lines[j] ?? '');
    const expectedEnd = `${END}${label}${DASHES}`;
    if (endLine !== expectedEnd) {
      if (!endLine.startsWith(END)) {
        throw new PkiError(
          'malformed-pem',
          `line ${j + 1}: the END line is indented: remove the leading whitespace from every line of the block`,
        );
      }
      if (endLine.startsWith(END) && endLine.endsWith(DASHES)) {
        throw new PkiError(
          'malformed-pem',
          `line ${j + 1}: the END line closes ${showLabel(endLine.slice(END.length, -DASHES.length))} but the ` +
            `block on line ${beginLine} is ${showLabel(label)}: the BEGIN and END labels must be identical`,
        );
      }
      throw new PkiError(
        'malformed-pem',
        `line ${j + 1}: the END line must read ${expectedEnd} with nothing after it on the same line`,
      );
    }
    blocks.push({ label, headerNames, base64, line: beginLine });
    i = j;
  }
  return blocks;
}

/** Explains why `label` is not `expected`, with a fix. Never looks at the block body. */
function wrongLabel(found: string, expectation: PemExpectation): PkiError {
  const expected = expectation.label;
  const head = `expected a PEM block labelled ${expected} but found ${showLabel(found)}`;
  if (expected === 'CERTIFICATE REQUEST' && found === 'NEW CERTIFICATE REQUEST') {
    return new PkiError(
      'legacy-pem-label',
      'found the legacy label NEW CERTIFICATE REQUEST, which kube-apiserver rejects (spec.request must be a block ' +
        'labelled exactly CERTIFICATE REQUEST): relabel the BEGIN and END lines, e.g. ' +
        "sed -e 's/NEW CERTIFICATE REQUEST/CERTIFICATE REQUEST/' request.csr; the content stays the same",
    );
  }
  if (isPrivateKeyLabel(found)) {
    return new PkiError(
      'wrong-pem-label',
      `${head}: pass the ${expectation.noun}, not the private key (the private key stays with you and is never ` +
        'sent to the cluster)',
    );
  }
  if (expected === 'CERTIFICATE REQUEST' && found === 'CERTIFICATE') {
    return new PkiError(
      'wrong-pem-label',
      `${head}: that is an issued certificate; pass the certificate signing request (openssl req -new ...)`,
    );
  }
  if (expected === 'CERTIFICATE' && /CERTIFICATE REQUEST$/.test(found)) {
    return new PkiError(
      'wrong-pem-label',
      `${head}: that is the signing request; pass the issued certificate (status.certificate)`,
    );
  }
  if (/PUBLIC KEY$/.test(found)) {
    return new PkiError(
      'wrong-pem-label',
      `${head}: a bare public key is not enough; pass the ${expectation.noun}, which embeds the public key`,
    );
  }
  return new PkiError('wrong-pem-label', `${head}: pass the ${expectation.noun}`);
}

/** Says what the input looks like when it has no PEM armour at all. */
function noArmor(text: string, byteLength: number, expectation: PemExpectation): PkiError {
  const compact = text.replace(/\s+/g, '');
  const expectedLine = `-----BEGIN ${expectation.label}-----`;
  if (compact.length >= 16 && compact.length % 4 === 0 && BASE64_BODY.test(compact)) {
    const decoded = Buffer.from(compact, 'base64');
    if (decoded.subarray(0, BEGIN.length).toString('latin1') === BEGIN) {
      return new PkiError(
        'no-pem-armor',
        `received ${byteLength} bytes of base64 that encode a PEM block (the form used in the json of a kubernetes ` +
          'object): decode it once (base64 -d) and pass the PEM text',
      );
    }
    if (decoded[0] === 0x30) {
      return new PkiError(
        'no-pem-armor',
        `received ${byteLength} bytes of bare base64 (DER without armour): wrap it in ${expectedLine} and ` +
          `-----END ${expectation.label}----- lines`,
      );
    }
  }
  return new PkiError(
    'no-pem-armor',
    `received ${byteLength} bytes with no ${expectedLine} line: pass a PEM-encoded ${expectation.noun}`,
  );
}

/** Rejects empty and oversized input; returns the byte length. @internal */
export function checkSize(input: string | Buffer, expectation: PemExpectation): number {
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (byteLength > expectation.maxBytes) {
    throw new PkiError(
      'oversized-input',
      `received ${byteLength} bytes but a ${expectation.noun} input may be at most ${expectation.maxBytes} bytes ` +
        `(${expectation.maxBytes / 1024} KiB): check that you passed the right file`,
    );
  }
  const blank = typeof input === 'string' ? input.trim() === '' : input.toString('latin1').trim() === '';
  if (blank) {
    throw new PkiError('empty-input', `received an empty input: pass a PEM-encoded ${expectation.noun}`);
  }
  return byteLength;
}

/**
 * Decodes the PEM blocks of `input` that must all be labelled `expectation.label`.
 *
 * Rules (see src/pki/README.md): size limit first; LF or CRLF; text around and between blocks ignored; every block
 * well formed; no headers; strict base64; the first block decides the label error; a second block is an error
 * unless `allowMultiple`, and a private key anywhere is named as such.
 *
 * @internal
 */
export function decodePem(input: string, expectation: PemExpectation): PemBlock[] {
  const byteLength = checkSize(input, expectation);
  const raw = scanPem(input);
  if (raw.length === 0) {
    throw noArmor(input, byteLength, expectation);
  }
  const first = raw[0];
  if (first !== undefined && first.label !== expectation.label) {
    throw wrongLabel(first.label, expectation);
  }
  const extra = raw.slice(1);
  if (!expectation.allowMultiple && extra.length > 0) {
    const labels = extra.map((b) => showLabel(b.label)).join(', ');
    const secret = extra.some((b) => isPrivateKeyLabel(b.label));
    throw new PkiError(
      'multiple-blocks',
      `expected exactly one ${expectation.label} block but found ${raw.length} blocks (after it: ${labels}): ` +
        (secret
          ? 'remove the private key, it must never be sent to the cluster, and pass the request alone'
          : `pass one ${expectation.noun} per request`),
    );
  }
  for (const block of extra) {
    if (block.label !== expectation.label) {
      const error = wrongLabel(block.label, expectation);
      throw new PkiError(error.code, `block ${raw.indexOf(block) + 1} (line ${block.line}): ${error.message}`);
    }
  }
  return raw.map((block, index) => {
    if (block.headerNames.length > 0) {
      const names = block.headerNames.slice(0, 3).map((n) => quote(n, 30));
      throw new PkiError(
        'pem-headers',
        `the ${showLabel(block.label)} block on line ${block.line} has PEM headers (${names.join(', ')}), which ` +
          'are not allowed (an encrypted or annotated block): remove the header lines and the blank line after them',
      );
    }
    const where = raw.length > 1 ? `block ${index + 1} (line ${block.line})` : `the ${showLabel(block.label)} block`;
    if (block.base64 === '') {
      throw new PkiError('truncated-der', `${where} is empty: copy the whole block including its base64 lines`);
    }
    if (block.base64.length % 4 !== 0 || !BASE64_BODY.test(block.base64)) {
      const bad = /[^A-Za-z0-9+/=]/.exec(block.base64);
      const detail = bad
        ? `contains the character ${quote(bad[0])}, which is not base64`
        : `has ${block.base64.length} base64 characters, which is not a whole number of 4-character groups`;
      throw new PkiError(
        'bad-base64',
        `${where} ${detail}: the body must be standard base64 (A-Z a-z 0-9 + / and = padding); the block was ` +
          'probably damaged when copying',
      );
    }
    return { label: block.label, der: Buffer.from(block.base64, 'base64'), line: block.line };
  });
}

/** Encodes DER as one PEM block with 64-character lines and LF endings. @internal */
export function encodePem(label: string, der: Buffer): string {
  const base64 = der.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) {
    lines.push(base64.slice(i, i + 64));
  }
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
