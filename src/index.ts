/**
 * cdktf-kubernetes-csr: ephemeral Kubernetes CertificateSigningRequests for CDK for Terraform.
 *
 * - constructs: the ephemeral `kubernetes_certificate_signing_request_v1` for cdktf 0.21, its validation and the
 *   helpers that wire the issued certificate into TLS inputs;
 * - runtime: the provider-style ephemeral lifecycle (open / renew / close) on @kubernetes/client-node;
 * - pki: keys, PKCS#10 requests and certificate chains;
 * - spec: the CertificateSigningRequest rules shared by the constructs and the runtime.
 *
 * @packageDocumentation
 */
export * from './pki/index.js';
export * from './spec/index.js';
export * from './constructs/index.js';
export * from './runtime/index.js';
