import { isIP } from 'node:net';
import forge from 'node-forge';
import { build, bytes, decodeAsn1, elements, encodeAsn1 } from './der.js';
import { PkiError, quote } from './errors.js';

/** Subject alternative names (the X.509 `subjectAltName` extension), grouped by kind, in extension order. */
export interface SubjectAltNames {
  /** `dNSName` entries, e.g. `api.example.com` or `*.example.com`. */
  readonly dnsNames: string[];
  /** `iPAddress` entries in canonical text form (IPv6 compressed as RFC 5952 says, e.g. `2001:db8::1`). */
  readonly ipAddresses: string[];
  /** `uniformResourceIdentifier` entries, e.g. `spiffe://cluster.local/ns/default/sa/app`. */
  readonly uris: string[];
  /** `rfc822Name` entries, e.g. `admin@example.com`. */
  readonly emailAddresses: string[];
}

/** The SAN lists a request may carry. @internal */
export interface SanInput {
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly uris?: readonly string[];
  readonly emailAddresses?: readonly string[];
}

/** An empty {@link SubjectAltNames}. @internal */
export function emptySans(): SubjectAltNames {
  return { dnsNames: [], ipAddresses: [], uris: [], emailAddresses: [] };
}

const DNS_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const DNS_NAME = new RegExp(`^(?:\\*\\.)?${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

function list(field: string, value: unknown): readonly string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new PkiError('invalid-san', `${field} must be an array of strings`);
  }
  const out: string[] = [];
  (value as unknown[]).forEach((v, i) => {
    if (typeof v !== 'string') {
      throw new PkiError('invalid-san', `${field}[${i}] must be a string but is ${typeof v}`);
    }
    out.push(v);
  });
  return out;
}

/** Parses an IPv4 or IPv6 address to its 4 or 16 bytes. @internal */
export function ipToBytes(text: string): Buffer | undefined {
  const family = isIP(text);
  if (family === 4) {
    return Buffer.from(text.split('.').map(Number));
  }
  if (family !== 6 || text.includes('%')) {
    return undefined;
  }
  let head = text;
  let v4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4 = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  if (v4.length === 4) {
    Buffer.from(v4).copy(out, 12);
  }
  return out;
}

/** Formats 4 or 16 address bytes as text (RFC 5952 for IPv6; IPv4-mapped as `::ffff:1.2.3.4`). @internal */
export function bytesToIp(raw: Buffer): string | undefined {
  if (raw.length === 4) {
    return [...raw].join('.');
  }
  if (raw.length !== 16) {
    return undefined;
  }
  if (raw.subarray(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff) {
    return `::ffff:${[...raw.subarray(12)].join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(raw.readUInt16BE(i));
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Validates the SAN lists and encodes them as the DER of a GeneralNames SEQUENCE, or returns undefined when there
 * are none. Order: DNS names, email addresses, IP addresses, URIs (the order of Go's x509).
 *
 * @internal
 */
export function encodeSans(input: SanInput): Buffer | undefined {
  const names: forge.asn1.Asn1[] = [];
  list('dnsNames', input.dnsNames).forEach((name, i) => {
    if (!(name.length <= 253 && DNS_NAME.test(name))) {
      const hint = /\P{ASCII}/u.test(name) ? ' (convert internationalised names to punycode, xn--...)' : '';
      throw new PkiError(
        'invalid-san',
        `dnsNames[${i}] is ${quote(name)}: expected a DNS name such as api.example.com or *.example.com, ` +
          `labels of letters, digits, '-' and '_', at most 253 characters${hint}`,
      );
    }
    names.push(build.contextPrimitive(2, Buffer.from(name, 'latin1')));
  });
  list('emailAddresses', input.emailAddresses).forEach((email, i) => {
    if (!PRINTABLE_ASCII.test(email) || !/^[^@]+@[^@]+$/.test(email)) {
      throw new PkiError(
        'invalid-san',
        `emailAddresses[${i}] is ${quote(email)}: expected one address such as admin@example.com, ascii only`,
      );
    }
    names.push(build.contextPrimitive(1, Buffer.from(email, 'latin1')));
  });
  list('ipAddresses', input.ipAddresses).forEach((ip, i) => {
    const raw = ipToBytes(ip);
    if (raw === undefined) {
      throw new PkiError(
        'invalid-san',
        `ipAddresses[${i}] is ${quote(ip)}: expected an IPv4 or IPv6 address such as 10.0.0.1 or 2001:db8::1, ` +
          'without a port, prefix length or zone',
      );
    }
    names.push(build.contextPrimitive(7, raw));
  });
  list('uris', input.uris).forEach((uri, i) => {
    if (!PRINTABLE_ASCII.test(uri) || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || !URL.canParse(uri)) {
      throw new PkiError(
        'invalid-san',
        `uris[${i}] is ${quote(uri)}: expected an absolute uri with a scheme, such as ` +
          'spiffe://cluster.local/ns/default/sa/app, ascii only (percent-encode other characters)',
      );
    }
    names.push(build.contextPrimitive(6, Buffer.from(uri, 'latin1')));
  });
  return names.length === 0 ? undefined : encodeAsn1(build.sequence(names));
}

/**
 * Decodes the DER of a GeneralNames SEQUENCE (the value of a subjectAltName extension). Kinds other than DNS, email,
 * IP and URI (otherName, directoryName, registeredID...) are skipped.
 *
 * @internal
 */
export function decodeSans(der: Buffer, what: string): SubjectAltNames {
  const out = emptySans();
  for (const name of elements(decodeAsn1(der, what), what)) {
    if (name.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC || name.constructed) {
      continue;
    }
    const raw = bytes(name, what);
    switch (name.type as number) {
      case 1:
        out.emailAddresses.push(raw.toString('latin1'));
        break;
      case 2:
        out.dnsNames.push(raw.toString('latin1'));
        break;
      case 6:
        out.uris.push(raw.toString('latin1'));
        break;
      case 7: {
        const ip = bytesToIp(raw);
        if (ip === undefined) {
          throw new PkiError(
            'malformed-der',
            `${what}: an IP address entry has ${raw.length} bytes; it must have 4 (IPv4) or 16 (IPv6)`,
          );
        }
        out.ipAddresses.push(ip);
        break;
      }
      default:
        break;
    }
  }
  return out;
}
