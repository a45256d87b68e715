/**
 * CertificateSigningRequest spec rules shared by the constructs and the runtime: pure functions and rule tables,
 * no cdktf import.
 *
 * @packageDocumentation
 */
export * from './cert-manager.js';
export * from './describe.js';
export * from './duration.js';
export * from './errors.js';
export * from './names.js';
export * from './engine.js';
export * from './signers.js';
export * from './usages.js';
export * from './validate.js';
