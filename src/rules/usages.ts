/**
 * Key usages accepted by certificates.k8s.io/v1 (`spec.usages`).
 *
 * The list is the API's own set of valid values (k8s.io/api/certificates/v1 KeyUsage), in the order the API documents them.
 */
export const KEY_USAGES = [
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  // The rest are extended key usages.
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
] as const;

/** The {@link KEY_USAGES} that are bits of the keyUsage extension: the first ten; the rest are extended key usages. */
export const KEY_USAGE_BITS: readonly KeyUsage[] = KEY_USAGES.slice(0, KEY_USAGES.indexOf('any'));

/** One value of {@link KEY_USAGES}. */
export type KeyUsage = (typeof KEY_USAGES)[number];

const KEY_USAGE_SET: ReadonlySet<string> = new Set(KEY_USAGES);

/** True when `value` is one of the key usages certificates.k8s.io/v1 accepts. */
export function isKeyUsage(value: string): value is KeyUsage {
  return KEY_USAGE_SET.has(value);
}
