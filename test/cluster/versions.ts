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
