import { CertificatesV1Api, type KubeConfig } from '@kubernetes/client-node';
import { decide } from '../../../src/runtime/approval.js';

/** Waits for a CSR whose name starts with `prefix` and denies it, like a person running `kubectl certificate deny`. */
export async function denyWhenCreated(admin: KubeConfig, prefix: string, signal?: AbortSignal): Promise<string> {
  const api = admin.makeApiClient(CertificatesV1Api);
  for (;;) {
    signal?.throwIfAborted();
    const list = await api.listCertificateSigningRequest();
    const csr = list.items.find((item) => item.metadata?.name?.startsWith(prefix));
    if (csr) {
      await decide(admin, api, csr, { decision: 'Denied', reason: 'TestDenied', message: 'not for you' });
      return csr.metadata?.name ?? '';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
