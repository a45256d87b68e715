import type { V1CertificateSigningRequest } from '@kubernetes/client-node';

/** An object's metadata.creationTimestamp in ms: the API server's clock, in whole seconds. */
export function createdAt(csr: V1CertificateSigningRequest): number {
  const stamp = csr.metadata?.creationTimestamp;
  if (!stamp) throw new Error(`${csr.metadata?.name ?? 'the object'} has no creationTimestamp`);
  return new Date(stamp).getTime();
}

/**
 * Creates an object that the API server stamps strictly later than `earlier` (a creationTimestamp has whole seconds,
 * so objects made within one second share it): while it is not, deletes it and creates it again a moment later.
 * Tests that tell objects apart by age take their ages from these stamps instead of from sleeps, so the time the
 * test itself spends cannot change what counts as old. Gives up after a minute (the clock would have stopped).
 */
export async function createLaterThan(
  earlier: readonly V1CertificateSigningRequest[],
  create: () => Promise<V1CertificateSigningRequest>,
  remove: () => Promise<unknown>,
): Promise<V1CertificateSigningRequest> {
  const latest = Math.max(...earlier.map(createdAt));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const created = await create();
    if (createdAt(created) > latest) return created;
    await remove();
    if (Date.now() > deadline) throw new Error(`the API server's clock did not pass ${new Date(latest).toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
