/**
 * CertificateSigningRequest spec rules shared by the constructs and the runtime: pure functions and rule tables,
 * no cdktf import.
 *
 * @packageDocumentation
 */
export * from './cert-manager.js';
export * from './csr-spec.js';
export * from './describe.js';
export * from './duration.js';
export * from './errors.js';
export * from './names.js';
export * from './engine.js';
export * from './signers.js';
export * from './usages.js';
export * from './validate.js';
export { isValidatedCsr, VALIDATED_CSR_SYMBOL } from './validated-csr.js';
export type { ValidatedCsr } from './validated-csr.js';
