/**
 * cdktf-kubernetes-csr: ephemeral Kubernetes CertificateSigningRequests for CDK for Terraform.
 *
 * The package root holds what a cdktf app needs at synth time:
 * - constructs: the ephemeral `kubernetes_certificate_signing_request_v1` for cdktf 0.21, its validation and the
 *   helpers that wire the issued certificate into TLS inputs;
 * - pki: keys, PKCS#10 requests and certificate chains;
 * - spec: the CertificateSigningRequest rules shared by the constructs and the runtime.
 *
 * The provider-style runtime (open / renew / close on @kubernetes/client-node) is `cdktf-kubernetes-csr/runtime`,
 * kept out of the root so that synthesizing a stack does not load the Kubernetes client (about 0.5 s).
 *
 * @packageDocumentation
 */
export * from './pki/index.js';
export * from './rules/index.js';
export * from './constructs/index.js';
