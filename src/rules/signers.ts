import type { KeyUsage } from './usages.js';

/** kube-controller-manager signs client certificates for kube-apiserver with it; never auto-approved. */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
/** Kubelet client certificates; csrapproving may auto-approve them. */
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
/** Kubelet serving certificates; never auto-approved. */
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
/** The v1beta1 catch-all signer; certificates.k8s.io/v1 refuses it. */
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** How a signer treats subjectAltName extensions. */
export type SubjectAltNamePolicy =
  /** any SAN may be requested */
  | 'any'
  /** no SAN of any kind may be present */
  | 'forbidden'
  /** at least one DNS or IP SAN; no email or URI SANs */
  | 'dns-or-ip-required';

/**
 * What an in-tree signer of kube-controller-manager (csrsigning controller) accepts. Sources: the Kubernetes docs on
 * signers (reference/access-authn-authz/certificate-signing-requests) and the checks the signer runs
 * (pkg/controller/certificates/signer, pkg/apis/certificates/helpers.go).
 */
export interface SignerProfile {
  /** The signerName. */
  readonly signerName: string;
  /** One line on what the signer issues. */
  readonly purpose: string;
  /** Usages that must all be present. */
  readonly requiredUsages: readonly KeyUsage[];
  /** Usages that may be present; anything else is refused. */
  readonly permittedUsages: readonly KeyUsage[];
  /**
   * When set, the usages must equal one of these sets exactly (order ignored).
   * @default - no exact-set rule
   */
  readonly exactUsageSets?: readonly (readonly KeyUsage[])[];
  /**
   * When set, the CSR subject's organizations (O) must be exactly this list.
   * @default - any organizations
   */
  readonly organizations?: readonly string[];
  /**
   * When set, the CSR subject's common name (CN) must start with it.
   * @default - any common name
   */
  readonly commonNamePrefix?: string;
  /** SAN policy. */
  readonly subjectAltNames: SubjectAltNamePolicy;
  /** A usage list that satisfies the profile, used in fix hints. */
  readonly suggestedUsages: readonly KeyUsage[];
}

/** The well-known signers kube-controller-manager issues for, keyed by signerName. */
export const WELL_KNOWN_SIGNERS: Readonly<Record<string, SignerProfile>> = {
  [KUBE_APISERVER_CLIENT_SIGNER]: {
    signerName: KUBE_APISERVER_CLIENT_SIGNER,
    purpose: 'client certificates that authenticate to kube-apiserver',
    requiredUsages: ['client auth'],
    permittedUsages: ['digital signature', 'key encipherment', 'client auth'],
    subjectAltNames: 'any',
    suggestedUsages: ['client auth'],
  },
  [KUBE_APISERVER_CLIENT_KUBELET_SIGNER]: {
    signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
    purpose: 'client certificates kubelets use to authenticate to kube-apiserver',
    requiredUsages: ['digital signature', 'client auth'],
    permittedUsages: ['digital signature', 'key encipherment', 'client auth'],
    exactUsageSets: [
      ['digital signature', 'key encipherment', 'client auth'],
      ['digital signature', 'client auth'],
    ],
    organizations: ['system:nodes'],
    commonNamePrefix: 'system:node:',
    subjectAltNames: 'forbidden',
    suggestedUsages: ['digital signature', 'client auth'],
  },
  [KUBELET_SERVING_SIGNER]: {
    signerName: KUBELET_SERVING_SIGNER,
    purpose: 'serving certificates for kubelet TLS endpoints',
    requiredUsages: ['digital signature', 'server auth'],
    permittedUsages: ['digital signature', 'key encipherment', 'server auth'],
    exactUsageSets: [
      ['digital signature', 'key encipherment', 'server auth'],
      ['digital signature', 'server auth'],
    ],
    organizations: ['system:nodes'],
    commonNamePrefix: 'system:node:',
    subjectAltNames: 'dns-or-ip-required',
    suggestedUsages: ['digital signature', 'server auth'],
  },
};

/** The profile of a well-known signer, or undefined for custom signers. */
export function wellKnownSigner(signerName: string): SignerProfile | undefined {
  return Object.prototype.hasOwnProperty.call(WELL_KNOWN_SIGNERS, signerName)
    ? WELL_KNOWN_SIGNERS[signerName]
    : undefined;
}
