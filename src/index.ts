/**
 * cdktf-kubernetes-csr: ephemeral Kubernetes CertificateSigningRequests for CDK for Terraform.
 *
 * @packageDocumentation
 */
export * from './pki/index.js';
