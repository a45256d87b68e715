import forge from 'node-forge';
import { bytes, decodeAsn1, elements, oid } from './der.js';
import { PkiError } from './errors.js';
import { EXTENDED_KEY_USAGE_NAMES, KEY_USAGE_NAMES } from './oids.js';

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
