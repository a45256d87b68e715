import type { CsrRuntimeError } from './errors.js';
import { CsrApi } from './csr-api.js';
import { loadKubeConfig, type ClusterConnectionOptions } from './kube-client.js';

/** Options of {@link collectGarbage}. */
export interface GcOptions extends ClusterConnectionOptions {
  /** Delete only objects created at least this long ago, in milliseconds. @default 3600000 (1 hour) */
  readonly olderThanMs?: number;
  /**
   * Delete only objects created before this instant (their metadata.creationTimestamp, the API server's clock, is
   * earlier); takes the place of `olderThanMs` and `now`. An absolute cut-off such as the start of a CI job, or the
   * creationTimestamp of an object that must survive, does not depend on how long gc itself takes.
   * @default - `olderThanMs` before `now`
   */
  readonly createdBefore?: Date;
  /** List what would be deleted without deleting. @default false */
  readonly dryRun?: boolean;
  /** The current time, for tests. @default - now */
  readonly now?: Date;
  /** Aborts the listing. @default - none */
  readonly signal?: AbortSignal;
}

/** What {@link collectGarbage} found. */
export interface GcResult {
  /** Names deleted (or, with dryRun, that would be). */
  readonly deleted: string[];
  /** Names of this library's objects that are younger than the cut-off, kept. */
  readonly kept: string[];
  /** Deletions that failed. */
  readonly failed: { readonly name: string; readonly error: CsrRuntimeError }[];
}

/** Whether an object created at a time (ms since the epoch) is old enough to collect, per the options. */
function oldEnough(options: GcOptions): (createdMs: number) => boolean {
  if (options.createdBefore) {
    const before = options.createdBefore.getTime();
    return (createdMs) => createdMs < before;
  }
  const cutoff = (options.now ?? new Date()).getTime() - (options.olderThanMs ?? 3_600_000);
  return (createdMs) => createdMs <= cutoff;
}

/**
 * Deletes CertificateSigningRequests this library created (by its managed-by label) that are older than a given
 * age: what a crash or `kill -9` left behind. Objects of others are never touched.
 */
export async function collectGarbage(options: GcOptions = {}): Promise<GcResult> {
  const api = new CsrApi(loadKubeConfig(options));
  const isOld = oldEnough(options);
  const items = await api.listManaged(options.signal);
  const result: GcResult = { deleted: [], kept: [], failed: [] };
  for (const csr of items) {
    const name = csr.metadata?.name ?? '';
    const created = csr.metadata?.creationTimestamp ? new Date(csr.metadata.creationTimestamp).getTime() : 0;
    if (!isOld(created)) {
      result.kept.push(name);
      continue;
    }
    if (options.dryRun) {
      result.deleted.push(name);
      continue;
    }
    const error = await api.delete(name);
    if (error) result.failed.push({ name, error });
    else result.deleted.push(name);
  }
  return result;
}
