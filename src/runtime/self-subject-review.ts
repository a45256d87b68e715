import { AuthenticationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { serverOf, toRuntimeError } from './kube-client.js';

/** Who a set of credentials is, as the API server sees it (a SelfSubjectReview, `kubectl auth whoami`). */
export interface ReviewedIdentity {
  /** The user name (a certificate's CN). */
  readonly username: string;
  /** The user's UID, empty when the authenticator sets none (as for certificates). */
  readonly uid: string;
  /** The groups (a certificate's O values, plus `system:authenticated`). */
  readonly groups: readonly string[];
  /** Extra attributes the authenticator set, by key. */
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

/**
 * Asks the API server who the kubeconfig's credentials authenticate as.
 *
 * @throws CsrRuntimeError (`forbidden` when the credentials are refused, `unreachable`, ...)
 */
export async function reviewSelf(kc: KubeConfig, signal?: AbortSignal): Promise<ReviewedIdentity> {
  try {
    signal?.throwIfAborted();
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    const info = review.status?.userInfo;
    return {
      username: info?.username ?? '',
      uid: info?.uid ?? '',
      groups: info?.groups ?? [],
      extra: info?.extra ?? {},
    };
  } catch (error) {
    throw toRuntimeError(error, `create a SelfSubjectReview at ${serverOf(kc)}`, { kc });
  }
}
