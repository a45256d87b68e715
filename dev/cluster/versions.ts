/**
 * Every pinned version of the test toolchain, in one place. The Go wrapper module (controlplane/go.mod) must agree;
 * test/cluster/versions.test.ts checks that it does.
 */
export const CONTROL_PLANE_VERSIONS = {
  /** kube-apiserver and kube-controller-manager: k8s.io/kubernetes, the staging modules at v0.<minor>.<patch>. */
  kubernetes: 'v1.33.13',
  /** The etcd server, at the version Kubernetes v1.33.13 pins in its go.mod. */
  etcd: 'v3.5.21',
} as const;

/** The oldest Terraform that has write-only attributes (ephemeral resources need 1.10). */
export const MINIMUM_TERRAFORM = '1.11.0';

/** OpenTofu built from its Go module when no Terraform >= MINIMUM_TERRAFORM is on the machine. */
export const OPENTOFU_MODULE_VERSION = 'v1.12.6';

/**
 * The hashicorp/kubernetes provider version @cdktf/provider-kubernetes 12.1.1 pins in `required_providers` (it has
 * the ephemeral CSR since 2.34.0 and `kubernetes_secret_v1.data_wo` since 2.36.0). The provider cannot be obtained
 * on this project's machines; see dev/toolchain/provider-mirror.ts.
 */
export const KUBERNETES_PROVIDER_VERSION = '2.38.0';

/**
 * github.com/cert-manager/cert-manager, whose controllers the cert-manager wrapper module (certmanager/go.mod) runs
 * and whose CRDs (deploy/crds) the local cluster installs. Kept apart from CONTROL_PLANE_VERSIONS, whose value keys
 * the control plane's build cache.
 */
export const CERT_MANAGER_VERSION = 'v1.21.2';
