import forge from 'node-forge';
import { build, bytes, elements, encodeAsn1, oid } from './der.js';
import { PkiError, quote } from './errors.js';
import { ATTRIBUTE_NAMES, OID } from './oids.js';

/** A distinguished name (subject or issuer), reduced to what Kubernetes reads from it. */
export interface DistinguishedName {
  /**
   * The common name (`CN`). Kubernetes reads it as the user name of a client certificate. When a name holds several
   * CNs, the last one wins, as in Go's `pkix.Name`.
   */
  readonly commonName?: string;
  /** Every organization (`O`) in order. Kubernetes reads them as the groups of a client certificate. */
  readonly organizations: string[];
  /**
   * The whole name as an RFC 4514 string, most specific attribute first, as Go prints it
   * (e.g. `CN=admin,O=example cluster`). Attribute types without a short name appear as `1.2.3.4=#<hex DER>`.
   */
  readonly text: string;
}

/** Largest accepted length of a common name or organization when building a request. */
export const MAX_SUBJECT_VALUE_LENGTH = 1024;

const STRING_TYPES: Readonly<Record<number, (raw: Buffer) => string>> = {
  12: (raw) => raw.toString('utf8'), // UTF8String
  18: (raw) => raw.toString('latin1'), // NumericString
  19: (raw) => raw.toString('latin1'), // PrintableString
  20: (raw) => raw.toString('latin1'), // TeletexString, read as Latin-1 like Go
  22: (raw) => raw.toString('latin1'), // IA5String
  26: (raw) => raw.toString('latin1'), // VisibleString
  28: (raw) => {
    // UniversalString: UTF-32BE
    let out = '';
    for (let i = 0; i + 3 < raw.length; i += 4) {
      out += String.fromCodePoint(raw.readUInt32BE(i));
    }
    return out;
  },
  30: (raw) => {
    // BMPString: UTF-16BE
    const swapped = Buffer.from(raw);
    swapped.swap16();
    return swapped.toString('utf16le');
  },
};

function escapeRfc4514(value: string): string {
  let out = value.replace(/[\\",+;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) {
    out = `\\${out}`;
  }
  if (out.endsWith(' ') && !out.endsWith('\\ ')) {
    out = `${out.slice(0, -1)}\\ `;
  }
  return out;
}

/**
 * Decodes an X.501 Name (a SEQUENCE of RDN SETs) into a {@link DistinguishedName}.
 *
 * @internal
 */
export function decodeName(node: forge.asn1.Asn1, what: string): DistinguishedName {
  let commonName: string | undefined;
  const organizations: string[] = [];
  const rdnTexts: string[] = [];
  for (const rdn of elements(node, what)) {
    const parts: string[] = [];
    for (const atv of elements(rdn, what)) {
      const [typeNode, valueNode] = elements(atv, what);
      if (typeNode === undefined || valueNode === undefined) {
        throw new PkiError('malformed-der', `${what}: an attribute has no type or no value`);
      }
      const type = oid(typeNode, what);
      const decode =
        valueNode.tagClass === forge.asn1.Class.UNIVERSAL && typeof valueNode.value === 'string'
          ? STRING_TYPES[valueNode.type]
          : undefined;
      const name = ATTRIBUTE_NAMES[type];
      if (decode === undefined) {
        parts.push(`${type}=#${encodeAsn1(valueNode).toString('hex')}`);
        continue;
      }
      const value = decode(bytes(valueNode, what));
      if (type === OID.commonName) {
        commonName = value;
      } else if (type === OID.organizationName) {
        organizations.push(value);
      }
      parts.push(
        name === undefined ? `${type}=#${encodeAsn1(valueNode).toString('hex')}` : `${name}=${escapeRfc4514(value)}`,
      );
    }
    rdnTexts.push(parts.join('+'));
  }
  const text = rdnTexts.reverse().join(',');
  return commonName === undefined ? { organizations, text } : { commonName, organizations, text };
}

const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkSubjectValue(field: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new PkiError('invalid-subject', `${field} must be a string but is ${typeof value}`);
  }
  if (value.trim() === '') {
    throw new PkiError(
      'invalid-subject',
      `${field} is ${quote(value)}: it must not be empty or blank (in kubernetes it becomes a user or group name)`,
    );
  }
  if (CONTROL.test(value)) {
    throw new PkiError(
      'invalid-subject',
      `${field} is ${quote(value)}, which contains a control character: remove newlines, tabs and other controls`,
    );
  }
  if (LONE_SURROGATE.test(value)) {
    throw new PkiError('invalid-subject', `${field} contains an unpaired utf-16 surrogate, which is not valid text`);
  }
  if (value.length > MAX_SUBJECT_VALUE_LENGTH) {
    throw new PkiError(
      'invalid-subject',
      `${field} is ${value.length} characters long; the limit is ${MAX_SUBJECT_VALUE_LENGTH}`,
    );
  }
  return value;
}

/**
 * Encodes the subject of a request: one RDN per organization, then the common name (the order of
 * `openssl req -subj "/O=.../CN=..."`), every value a UTF8String.
 *
 * @internal
 */
export function encodeSubject(commonName: string, organizations: readonly string[] = []): forge.asn1.Asn1 {
  if (!Array.isArray(organizations)) {
    throw new PkiError('invalid-subject', 'organizations must be an array of strings');
  }
  const rdn = (type: string, value: string): forge.asn1.Asn1 =>
    build.set([build.sequence([build.oid(type), build.utf8(value)])]);
  const rdns = organizations.map((o, i) => rdn(OID.organizationName, checkSubjectValue(`organizations[${i}]`, o)));
  rdns.push(rdn(OID.commonName, checkSubjectValue('commonName', commonName)));
  return build.sequence(rdns);
}
