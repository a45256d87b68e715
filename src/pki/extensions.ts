import forge from 'node-forge';
import { bytes, decodeAsn1, elements, oid } from './der.js';
import { PkiError } from './errors.js';
import { EXTENDED_KEY_USAGE_NAMES, KEY_USAGE_NAMES, OID } from './oids.js';
import { decodeSans, type SubjectAltNames } from './san.js';

/**
 * The X.509 extensions a PKCS#10 request asks for (its extensionRequest attribute) that issuers compare with the
 * request object, besides the subjectAltNames. A field is absent when the request does not carry that extension.
 */
export interface RequestedExtensions {
  /** basicConstraints: whether the request asks for a CA certificate. @default - no basicConstraints extension */
  readonly isCa?: boolean;
  /** keyUsage bits, in the words of `spec.usages`. @default - no keyUsage extension */
  readonly keyUsages?: readonly string[];
  /** extKeyUsage, in the words of `spec.usages` (unknown ones as dotted OIDs), in order. @default - no extKeyUsage */
  readonly extendedKeyUsages?: readonly string[];
}

/** Decodes a keyUsage extension value (a BIT STRING) into usage words, in bit order. @internal */
export function decodeKeyUsage(value: Buffer, what: string): string[] {
  const node = decodeAsn1(value, what);
  const raw = bytes(node, what);
  const usages: string[] = [];
  KEY_USAGE_NAMES.forEach((name, bit) => {
    const byte = raw[1 + (bit >> 3)] ?? 0;
    if (byte & (0x80 >> (bit & 7))) {
      usages.push(name);
    }
  });
  return usages;
}

/** Decodes an extKeyUsage extension value into usage words (unknown ones as dotted OIDs), in order. @internal */
export function decodeExtendedKeyUsage(value: Buffer, what: string): string[] {
  return elements(decodeAsn1(value, what), what).map((node) => {
    const dotted = oid(node, what);
    return EXTENDED_KEY_USAGE_NAMES[dotted] ?? dotted;
  });
}

/** Decodes a basicConstraints extension value: SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }. @internal */
export function decodeBasicConstraintsCa(value: Buffer, what: string): boolean {
  const [first] = elements(decodeAsn1(value, what), what);
  if (first === undefined || first.tagClass !== forge.asn1.Class.UNIVERSAL || first.type !== forge.asn1.Type.BOOLEAN) {
    return false;
  }
  const raw = bytes(first, what);
  if (raw.length !== 1) {
    throw new PkiError('malformed-der', `${what}: the cA flag is not a one-byte BOOLEAN`);
  }
  return raw[0] !== 0;
}

/** The extensions {@link decodeExtensionList} reads, by their X.509 names. @internal */
export type DecodedExtensionName = 'subjectAltName' | 'basicConstraints' | 'keyUsage' | 'extKeyUsage';

const EXTENSION_NAMES: Readonly<Record<string, DecodedExtensionName>> = {
  [OID.subjectAltName]: 'subjectAltName',
  [OID.basicConstraints]: 'basicConstraints',
  [OID.keyUsage]: 'keyUsage',
  [OID.extKeyUsage]: 'extKeyUsage',
};
const ALL_DECODED_EXTENSIONS: ReadonlySet<DecodedExtensionName> = new Set(Object.values(EXTENSION_NAMES));

/** What {@link decodeExtensionList} found; a field is absent when the list does not carry that extension. @internal */
export interface DecodedExtensions extends RequestedExtensions {
  /** subjectAltName. @default - no subjectAltName extension */
  readonly subjectAltNames?: SubjectAltNames;
}

/**
 * Decodes the extensions of an X.509 `Extensions` SEQUENCE (a certificate's, or one set of a request's extensionRequest
 * attribute) that this package reads; others are skipped. `nameOf` words an extension for error messages.
 * @internal
 */
export function decodeExtensionList(
  list: forge.asn1.Asn1,
  what: string,
  nameOf: (extension: DecodedExtensionName) => string,
  read: ReadonlySet<DecodedExtensionName> = ALL_DECODED_EXTENSIONS,
): DecodedExtensions {
  const found: { -readonly [K in keyof DecodedExtensions]: DecodedExtensions[K] } = {};
  for (const extension of elements(list, what)) {
    const parts = elements(extension, what);
    const extOid = parts[0];
    const valueNode = parts[parts.length - 1];
    if (extOid === undefined || valueNode === undefined) {
      continue;
    }
    const name = EXTENSION_NAMES[oid(extOid, what)];
    if (name === undefined || !read.has(name)) {
      continue;
    }
    const value = bytes(valueNode, what);
    switch (name) {
      case 'subjectAltName':
        found.subjectAltNames = decodeSans(value, nameOf('subjectAltName'));
        break;
      case 'basicConstraints':
        found.isCa = decodeBasicConstraintsCa(value, nameOf('basicConstraints'));
        break;
      case 'keyUsage':
        found.keyUsages = decodeKeyUsage(value, nameOf('keyUsage'));
        break;
      case 'extKeyUsage':
        found.extendedKeyUsages = decodeExtendedKeyUsage(value, nameOf('extKeyUsage'));
        break;
    }
  }
  return found;
}
