/**
 * Machine-readable reasons a PKI operation failed. Every {@link PkiError} carries exactly one.
 *
 * Input framing (PEM armour and size):
 * - `empty-input`: nothing (or only whitespace) was passed.
 * - `oversized-input`: the input is larger than the documented limit.
 * - `no-pem-armor`: no `-----BEGIN ...-----` line was found.
 * - `malformed-pem`: a block is not closed, has a mismatched END line, an indented BEGIN line or a byte order mark.
 * - `wrong-pem-label`: a block has a different label than expected (e.g. `PRIVATE KEY` where a request was expected).
 * - `legacy-pem-label`: the block is labelled `NEW CERTIFICATE REQUEST`, which kube-apiserver rejects.
 * - `pem-headers`: the block carries RFC 1421 headers (`Proc-Type:`...), which are not allowed.
 * - `bad-base64`: the block body is not valid base64.
 * - `multiple-blocks`: more PEM blocks than allowed (a request must be alone).
 *
 * Content (DER and keys):
 * - `truncated-der`: the decoded DER ends before its declared length.
 * - `malformed-der`: the DER is not the expected ASN.1 structure (wrong tags, trailing bytes, bad values).
 * - `unsupported-key`: the key algorithm, curve or size is not supported.
 * - `invalid-private-key`: the private key passed could not be used (public key, encrypted PEM, not a key).
 * - `unsupported-signature-algorithm`: the signature algorithm is unknown or not allowed.
 * - `bad-signature`: the signature does not verify with the embedded public key.
 * - `key-mismatch`: two public keys that must be equal differ (e.g. certificate vs request).
 *
 * Trust:
 * - `untrusted-chain`: the chain is broken or no CA in the bundle issued it.
 * - `certificate-expired` / `certificate-not-yet-valid`: a certificate is outside its validity period.
 *
 * Request parameters:
 * - `invalid-subject`: the common name or an organization is empty or contains forbidden characters.
 * - `invalid-san`: a DNS name, IP address, URI or email address is not valid.
 */
export type PkiErrorCode =
  | 'empty-input'
  | 'oversized-input'
  | 'no-pem-armor'
  | 'malformed-pem'
  | 'wrong-pem-label'
  | 'legacy-pem-label'
  | 'pem-headers'
  | 'bad-base64'
  | 'multiple-blocks'
  | 'truncated-der'
  | 'malformed-der'
  | 'unsupported-key'
  | 'invalid-private-key'
  | 'unsupported-signature-algorithm'
  | 'bad-signature'
  | 'key-mismatch'
  | 'untrusted-chain'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'invalid-subject'
  | 'invalid-san';

/** Every {@link PkiErrorCode}, in documentation order. */
export const PKI_ERROR_CODES: readonly PkiErrorCode[] = [
  'empty-input',
  'oversized-input',
  'no-pem-armor',
  'malformed-pem',
  'wrong-pem-label',
  'legacy-pem-label',
  'pem-headers',
  'bad-base64',
  'multiple-blocks',
  'truncated-der',
  'malformed-der',
  'unsupported-key',
  'invalid-private-key',
  'unsupported-signature-algorithm',
  'bad-signature',
  'key-mismatch',
  'untrusted-chain',
  'certificate-expired',
  'certificate-not-yet-valid',
  'invalid-subject',
  'invalid-san',
];

const PKI_ERROR_BRAND = Symbol.for('cdktf-kubernetes-csr.PkiError');

/**
 * The one error class of the PKI layer.
 *
 * Messages are lowercase and say what was received, what is allowed and how to fix it. They never contain the
 * whole input and never contain key material: a private key passed by mistake is named by its PEM label only.
 * The underlying Node.js or node-forge error, if any, is kept as `cause`.
 */
export class PkiError extends Error {
  /**
   * Whether `value` is a {@link PkiError}, optionally with the given code. Works across copies of this package
   * (a symbol brand, not `instanceof`).
   */
  public static isPkiError(value: unknown, code?: PkiErrorCode): value is PkiError {
    if (typeof value !== 'object' || value === null || !(PKI_ERROR_BRAND in value)) {
      return false;
    }
    return code === undefined || (value as { code?: unknown }).code === code;
  }

  /** The machine-readable reason; stable across releases. */
  public readonly code: PkiErrorCode;

  /**
   * @param code - the machine-readable reason
   * @param message - lowercase, human-readable: what was received, what is allowed, how to fix it
   * @param options - `cause`: the lower-level error this one wraps
   */
  public constructor(code: PkiErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
    Object.defineProperty(this, PKI_ERROR_BRAND, { value: true });
  }
}

/** Quotes a user-supplied, non-secret value for an error message, cut to `max` characters. @internal */
export function quote(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}...` : value;
  return JSON.stringify(cut);
}
