/** The label this library puts on every CertificateSigningRequest it creates, so that leftovers can be found. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY_VALUE = 'cdktf-kubernetes-csr';
