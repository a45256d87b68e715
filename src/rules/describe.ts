/**
 * Safe renderings of user values for error messages. Nothing here ever reproduces PEM bodies: a CSR is summarised,
 * anything that looks like private key material is redacted.
 */

const PRIVATE_KEY_MARKER = /PRIVATE KEY/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
const MAX_SHOWN = 120;
const LONG_OPAQUE_TEXT = /^[A-Za-z0-9+/=\s]{200,}$/;

/** True when the text contains a PEM private key header (any algorithm, encrypted or not). */
export function containsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_MARKER.test(text);
}

/** Replaces every PEM block in `text` with a short placeholder; private keys become `<redacted private key>`. */
export function redactPem(text: string): string {
  return text.replace(PEM_BLOCK, (_block, label: string) =>
    label.includes('PRIVATE KEY') ? '<redacted private key>' : `<${label} PEM>`,
  );
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 4)}..."` : text;
}

/**
 * A short, quoted, safe description of a value for "received ..." in messages.
 * Strings are JSON-quoted and truncated; PEM text and long opaque blobs are summarised, never echoed.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing (the value is not set)';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'string') {
    if (containsPrivateKey(value)) {
      return '<redacted: text containing a private key>';
    }
    if (value.includes('-----BEGIN')) {
      const labels = [...value.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
      return `<PEM text with ${labels.map((l) => `a ${l}`).join(', ')} block, ${value.length} characters>`;
    }
    if (LONG_OPAQUE_TEXT.test(value)) {
      return `<opaque text, ${value.length} characters>`;
    }
    return truncate(JSON.stringify(value));
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Uint8Array) {
    return `<${value.byteLength} bytes>`;
  }
  if (Array.isArray(value)) {
    return truncate(JSON.stringify(value.map((v: unknown) => (typeof v === 'string' ? redactPem(v) : v))));
  }
  return `<${typeof value}>`;
}
