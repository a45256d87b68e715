import type { KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError } from './errors.js';
import { httpStatusOf, isNetworkError, toRuntimeError } from './kube-client.js';

/** What {@link deleteWithRetry} deletes, for its error. */
export interface DeletedObject {
  /** The operation, e.g. `delete CertificateSigningRequest "x"`. */
  readonly what: string;
  /** The object's name. */
  readonly name: string;
  /** Its namespace, for namespaced objects. @default - none */
  readonly namespace?: string;
  /** How to delete it by hand, e.g. "delete it with `kubectl delete csr x` or `kube-csr gc`". */
  readonly remedy: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Deletes an object, retrying through short outages (an API server restart) for up to ~10 s. A 404 counts as done.
 * Returns the failure (code `cleanup-failed`) instead of throwing it, so callers can report it beside their own
 * outcome.
 */
export async function deleteWithRetry(
  kc: KubeConfig,
  object: DeletedObject,
  remove: () => Promise<unknown>,
): Promise<CsrRuntimeError | undefined> {
  let delayMs = 100;
  for (let attempt = 0; ; attempt++) {
    try {
      await remove();
      return undefined;
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      if (isNetworkError(error) && attempt < 7) {
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 3000);
        continue;
      }
      const cause = toRuntimeError(error, object.what, { kc, csrName: object.name });
      return new CsrRuntimeError('cleanup-failed', cause.message, {
        csrName: object.name,
        namespace: object.namespace,
        cause,
        remedy: object.remedy,
      });
    }
  }
}
