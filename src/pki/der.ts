import forge from 'node-forge';
import { PkiError } from './errors.js';

/** One DER tag-length-value, located in a buffer. @internal */
export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

/** DER identifier octets used by X.509 and PKCS#10. @internal */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0_CONSTRUCTED: 0xa0,
} as const;

/**
 * Reads the TLV at `offset`, which must end by `limit`. Only definite, at most 4-byte lengths (DER).
 *
 * @internal
 */
export function readTlv(der: Buffer, offset: number, limit: number, what: string): Tlv {
  if (offset + 2 > limit) {
    throw truncated(what, offset + 2, limit);
  }
  const tag = der[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) {
    throw new PkiError('malformed-der', `${what}: multi-byte ASN.1 tags are not used in X.509; the data is not DER`);
  }
  const first = der[offset + 1] ?? 0;
  let length = first;
  let contentStart = offset + 2;
  if (first === 0x80) {
    throw new PkiError('malformed-der', `${what}: indefinite length (BER) is not allowed; the data must be DER`);
  }
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) {
      throw new PkiError(
        'malformed-der',
        `${what}: a ${count}-byte length field is not plausible; the data is damaged`,
      );
    }
    if (contentStart + count > limit) {
      throw truncated(what, contentStart + count, limit);
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + (der[contentStart + i] ?? 0);
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) {
    throw truncated(what, end, limit);
  }
  return { tag, start: offset, contentStart, end };
}

function truncated(what: string, needed: number, available: number): PkiError {
  return new PkiError(
    'truncated-der',
    `${what} declares ${needed} bytes but only ${available} are present: the data was cut off (often when ` +
      'copying a PEM block); copy the whole block again',
  );
}

/** Reads the single top-level TLV of `der` and rejects trailing bytes. @internal */
export function readOuter(der: Buffer, expectedTag: number, what: string): Tlv {
  if (der.length === 0) {
    throw new PkiError('truncated-der', `${what} is empty: pass the whole ${what}`);
  }
  const outer = readTlv(der, 0, der.length, what);
  if (outer.tag !== expectedTag) {
    throw new PkiError(
      'malformed-der',
      `${what} does not start with an ASN.1 SEQUENCE (found tag 0x${outer.tag.toString(16).padStart(2, '0')}): ` +
        `the data is not a DER-encoded ${what}`,
    );
  }
  if (outer.end !== der.length) {
    throw new PkiError(
      'malformed-der',
      `${what} has ${der.length - outer.end} trailing bytes after its DER structure: pass exactly one ${what}`,
    );
  }
  return outer;
}

/** The direct children of a constructed TLV. @internal */
export function children(der: Buffer, parent: Tlv, what: string): Tlv[] {
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(der, offset, parent.end, what);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** The bytes of a TLV including its header. @internal */
export function slice(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.start, tlv.end);
}

/** The content bytes of a TLV. @internal */
export function content(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.contentStart, tlv.end);
}

type FromDer = (
  bytes: string,
  options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean },
) => forge.asn1.Asn1;

/** node-forge's DER decoder with its full option set (the typings only know `strict`). */
const forgeFromDer = forge.asn1.fromDer as unknown as FromDer;

/**
 * Decodes `der` with node-forge. BIT STRING contents are left undecoded so that re-encoding is byte-exact.
 *
 * @internal
 */
export function decodeAsn1(der: Buffer, what: string): forge.asn1.Asn1 {
  try {
    return forgeFromDer(der.toString('binary'), { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/too few bytes/i.test(message)) {
      throw new PkiError('truncated-der', `${what} ends before its declared length: the data was cut off`, {
        cause: error,
      });
    }
    throw new PkiError('malformed-der', `${what} is not valid DER: ${message.toLowerCase()}`, { cause: error });
  }
}

/** Encodes a node-forge ASN.1 object to DER. @internal */
export function encodeAsn1(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** The sub-elements of a constructed node, or a malformed-der error. @internal */
export function elements(node: forge.asn1.Asn1, what: string): forge.asn1.Asn1[] {
  if (!Array.isArray(node.value)) {
    throw new PkiError('malformed-der', `${what} should be a constructed ASN.1 value but is primitive`);
  }
  return node.value;
}

/** The raw content of a primitive node as a Buffer, or a malformed-der error. @internal */
export function bytes(node: forge.asn1.Asn1, what: string): Buffer {
  if (typeof node.value !== 'string') {
    throw new PkiError('malformed-der', `${what} should be a primitive ASN.1 value but is constructed`);
  }
  return Buffer.from(node.value, 'binary');
}

/** Decodes an OBJECT IDENTIFIER node to dotted form. @internal */
export function oid(node: forge.asn1.Asn1, what: string): string {
  if (node.tagClass !== forge.asn1.Class.UNIVERSAL || node.type !== forge.asn1.Type.OID) {
    throw new PkiError('malformed-der', `${what} should be an OBJECT IDENTIFIER`);
  }
  return forge.asn1.derToOid(bytes(node, what).toString('binary'));
}

/** Builders for the node-forge ASN.1 objects used when encoding. @internal */
export const build = {
  sequence: (value: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, value),
  set: (value: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, value),
  oid: (dotted: string): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(dotted).getBytes()),
  integer: (value: number): forge.asn1.Asn1 =>
    forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      forge.asn1.Type.INTEGER,
      false,
      forge.asn1.integerToDer(value).getBytes(),
    ),
  null: (): forge.asn1.Asn1 => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''),
  utf8: (value: string): forge.asn1.Asn1 =>
    forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      forge.asn1.Type.UTF8,
      false,
      Buffer.from(value, 'utf8').toString('binary'),
    ),
  octetString: (value: Buffer): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, value.toString('binary')),
  bitString: (value: Buffer): forge.asn1.Asn1 =>
    forge.asn1.create(
      forge.asn1.Class.UNIVERSAL,
      forge.asn1.Type.BITSTRING,
      false,
      Buffer.concat([Buffer.from([0]), value]).toString('binary'),
    ),
  contextPrimitive: (tag: number, value: Buffer): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, tag, false, value.toString('binary')),
  contextConstructed: (tag: number, value: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, tag, true, value),
  /** Embeds already-encoded DER (e.g. a SubjectPublicKeyInfo) as a node. */
  raw: (der: Buffer, what: string): forge.asn1.Asn1 => decodeAsn1(der, what),
};
