import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CertificatesV1Api, type KubeConfig } from '@kubernetes/client-node';
import { PROVIDER_UNAVAILABLE, suppliedProviderBinary } from '../../dev/toolchain/provider-mirror.js';

/**
 * The hashicorp/kubernetes provider binary named by CDKTF_CSR_KUBERNETES_PROVIDER, and the `skip` option of the tests
 * that need it: false when it is supplied, else the reason (PROVIDER_UNAVAILABLE), so that CI output shows the
 * skipped tests and why.
 */
export const hashicorpKubernetes: { readonly binary: string | undefined; readonly skip: false | string } = (() => {
  const binary = suppliedProviderBinary();
  return { binary, skip: binary ? false : PROVIDER_UNAVAILABLE };
})();

/** A Terraform provider that serves the ephemeral `kubernetes_certificate_signing_request_v1`. */
export interface CsrProvider {
  /** How the tests name it. */
  readonly name: 'kubecsr' | 'hashicorp/kubernetes';
  /** False, or why the tests through it are skipped. */
  readonly skip: false | string;
  /** The hashicorp/kubernetes binary a mirror must hold for it; undefined for kubecsr (always installed). */
  readonly kubernetesBinary: string | undefined;
}

/** kubecsr, this package's provider: built from this repository, so the tests through it always run. */
export const KUBECSR: CsrProvider = { name: 'kubecsr', skip: false, kubernetesBinary: undefined };

/** hashicorp/kubernetes (>= 2.34): the tests through it run only where CDKTF_CSR_KUBERNETES_PROVIDER supplies it. */
export const HASHICORP_KUBERNETES: CsrProvider = {
  name: 'hashicorp/kubernetes',
  skip: hashicorpKubernetes.skip,
  kubernetesBinary: hashicorpKubernetes.binary,
};

const CLI = fileURLToPath(new URL('../../lib/cli/main.js', import.meta.url));

/**
 * Runs the built `kube-csr gc --older-than 0s --json` against the cluster of `kubeconfig` and returns the names it
 * deleted. It only ever deletes objects labelled as this package's (see src/runtime/gc.ts).
 */
export function kubeCsrGc(kubeconfig: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'gc', '--older-than', '0s', '--json', '--kubeconfig', kubeconfig],
      { encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kube-csr gc failed: ${stderr}`, { cause: error }));
        else resolve((JSON.parse(stdout) as { deleted: string[] }).deleted);
      },
    );
  });
}

/** Deletes the CertificateSigningRequest `name`, as a user cleans up by hand (`kubectl delete csr <name>`). */
export async function deleteCsr(admin: KubeConfig, name: string): Promise<void> {
  await admin.makeApiClient(CertificatesV1Api).deleteCertificateSigningRequest({ name });
}

/** Resolves once `check` holds; rejects after `attempts` tries 100 ms apart (a bound far above what the step needs). */
export async function eventually(check: () => Promise<boolean>, what: string, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}
