import { Watch, type KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';

/** Certificates the cluster issued while a run went on, read from a watch the test opened before the run. */
export interface IssuedCertificates {
  /** status.certificate of each watched object that got one, PEM, by object name. */
  readonly byName: ReadonlyMap<string, string>;
  /** Ends the watch. */
  stop(): void;
}

/**
 * Watches CertificateSigningRequests whose name starts with `prefix` and keeps every certificate a signer puts in
 * their status, so a test knows the exact certificates a Terraform run received without Terraform telling it. The
 * watch is open when this resolves: nothing the run does afterwards is missed.
 */
export async function watchIssuedCertificates(kc: KubeConfig, prefix: string): Promise<IssuedCertificates> {
  const byName = new Map<string, string>();
  const controller = await new Watch(kc).watch(
    '/apis/certificates.k8s.io/v1/certificatesigningrequests',
    {},
    (_phase: string, csr: V1CertificateSigningRequest) => {
      const name = csr.metadata?.name ?? '';
      const certificate = csr.status?.certificate;
      if (name.startsWith(prefix) && certificate) byName.set(name, Buffer.from(certificate, 'base64').toString('utf8'));
    },
    () => undefined,
  );
  return { byName, stop: () => controller.abort() };
}

/**
 * What a key or certificate looks like at rest, in any of the forms a leak would take: the PEM markers, their base64
 * (a kubeconfig's client-key-data, at each of the three alignments), and for each known certificate two lines of its
 * PEM body and a run of the base64 of its whole PEM.
 */
export function secretNeedles(certificates: Iterable<string>): string[] {
  const needles = ['PRIVATE KEY', 'BEGIN CERTIFICATE'];
  for (const marker of [`-----BEGIN ${'PRIVATE KEY'}-----`, '-----BEGIN CERTIFICATE-----']) {
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.from(`${'x'.repeat(shift)}${marker}`).toString('base64');
      needles.push(encoded.slice(4, -4));
    }
  }
  for (const pem of certificates) {
    const body = pem.split('\n').filter((line) => line.length === 64);
    needles.push(...body.slice(1, 3));
    needles.push(Buffer.from(pem).toString('base64').slice(40, 120));
  }
  return needles;
}
