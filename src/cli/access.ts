/** What the identity in a kubeconfig is and may do: whoami, and the RoleBinding of `kube-csr issue --role`. */
import { RbacAuthorizationV1Api, type KubeConfig, type V1RoleBinding } from '@kubernetes/client-node';
import {
  loadKubeConfig,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  reviewSelf,
  type ReviewedIdentity,
} from '../runtime/index.js';
import { httpStatusOf, toRuntimeError } from '../runtime/kube-client.js';
import { toDns1123Subdomain } from '../rules/index.js';
import { CliError } from './errors.js';

/** The values of the cluster flags. */
export interface ClusterFlagValues {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/**
 * Loads the kubeconfig the way kubectl does (--kubeconfig, else KUBECONFIG, else ~/.kube/config, else in-cluster;
 * --context). Having none at all is an error (the runtime refuses client-node's silent localhost:8080 fallback).
 */
export function kubeConfigFrom(values: ClusterFlagValues): KubeConfig {
  return loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context });
}

/**
 * Who the kubeconfig file at `path` authenticates as (a SelfSubjectReview made with it, not with the caller's):
 * proves that new credentials work.
 */
export async function whoAmI(path: string, signal?: AbortSignal): Promise<ReviewedIdentity> {
  return reviewSelf(loadKubeConfig({ kubeconfig: path }), signal);
}

/** The role a RoleBinding refers to. */
export interface RoleRef {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
}

/** A role found by {@link resolveRole}. */
export interface ResolvedRole extends RoleRef {
  /** How many rules it has now; 0 means a binding grants nothing. */
  readonly ruleCount: number;
  /** Whether it is an aggregated ClusterRole (its rules are filled in by kube-controller-manager). */
  readonly aggregated: boolean;
}

/**
 * Finds the role `spec` names: `role/NAME` or `clusterrole/NAME` say the kind; a bare NAME is a Role in `namespace`
 * when one exists, else a ClusterRole. Fails when there is none, before anything is created.
 */
export async function resolveRole(kc: KubeConfig, spec: string, namespace: string): Promise<ResolvedRole> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const match = /^(role|clusterrole)\/(.+)$/i.exec(spec);
  const wanted = match?.[1]?.toLowerCase();
  const name = match?.[2] ?? spec;
  const find = async (kind: RoleRef['kind']): Promise<ResolvedRole | undefined> => {
    try {
      if (kind === 'Role') {
        const role = await rbac.readNamespacedRole({ name, namespace });
        return { kind, name, ruleCount: role.rules?.length ?? 0, aggregated: false };
      }
      const role = await rbac.readClusterRole({ name });
      return { kind, name, ruleCount: role.rules?.length ?? 0, aggregated: role.aggregationRule !== undefined };
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw toRuntimeError(
        error,
        `read ${kind} "${name}"${kind === 'Role' ? ` in namespace "${namespace}"` : ''} (for --role)`,
        { kc },
      );
    }
  };
  const found =
    (wanted === 'clusterrole' ? undefined : await find('Role')) ??
    (wanted === 'role' ? undefined : await find('ClusterRole'));
  if (found) return found;
  const looked =
    wanted === 'role'
      ? `no Role "${name}" in namespace "${namespace}"`
      : wanted === 'clusterrole'
        ? `no ClusterRole "${name}"`
        : `no Role "${name}" in namespace "${namespace}" and no ClusterRole "${name}"`;
  throw new CliError(
    `invalid value ${JSON.stringify(spec)} for --role: there is ${looked}; create it first or name an existing one ` +
      '(e.g. the ClusterRoles view, edit, admin)',
  );
}

/** The RoleBinding {@link bindRole} made or found. */
export interface RoleBindingResult {
  readonly name: string;
  readonly namespace: string;
  readonly roleRef: RoleRef;
  /** false when an identical binding existed already. */
  readonly created: boolean;
}

/**
 * Creates a RoleBinding in `namespace` that binds `user` to `role` (`kubectl create rolebinding`). An existing binding
 * of the same name and role gets the user added when missing; one for another role is an error (roleRef is immutable).
 */
export async function bindRole(
  kc: KubeConfig,
  user: string,
  role: RoleRef,
  namespace: string,
): Promise<RoleBindingResult> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const name = toDns1123Subdomain(`kube-csr-${user}-${role.kind === 'Role' ? 'role' : 'clusterrole'}-${role.name}`);
  const subject = { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user };
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.name };
  const body: V1RoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
    roleRef,
    subjects: [subject],
  };
  const what = `create RoleBinding "${name}" in namespace "${namespace}"`;
  try {
    await rbac.createNamespacedRoleBinding({ namespace, body });
    return { name, namespace, roleRef: { kind: role.kind, name: role.name }, created: true };
  } catch (error) {
    if (httpStatusOf(error) !== 409) throw toRuntimeError(error, what, { kc });
  }
  try {
    const existing = await rbac.readNamespacedRoleBinding({ name, namespace });
    if (existing.roleRef.kind !== role.kind || existing.roleRef.name !== role.name) {
      throw new CliError(
        `RoleBinding "${name}" in namespace "${namespace}" exists for ${existing.roleRef.kind} "${existing.roleRef.name}", ` +
          `not ${role.kind} "${role.name}": delete it or bind another role`,
      );
    }
    const subjects = existing.subjects ?? [];
    if (subjects.some((s) => s.kind === 'User' && s.name === user)) {
      return { name, namespace, roleRef: { kind: role.kind, name: role.name }, created: false };
    }
    await rbac.replaceNamespacedRoleBinding({
      name,
      namespace,
      body: { ...existing, subjects: [...subjects, subject] },
    });
    return { name, namespace, roleRef: { kind: role.kind, name: role.name }, created: false };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw toRuntimeError(error, `update RoleBinding "${name}" in namespace "${namespace}"`, { kc });
  }
}
