import type { KeyObject } from 'node:crypto';
import type { CertificatesV1Api, KubeConfig, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { parseCertificateChain, publicKeysEqual, verifyChain, type CertificateChain } from '../pki/index.js';
import { CsrSpecError, isValidatedCsr, toValidatedCsr, type CsrSpec, type ValidatedCsr } from '../rules/index.js';
import { AUTO_APPROVE_MESSAGE, AUTO_APPROVE_REASON, decide } from './approval.js';
import { CsrRuntimeError } from './errors.js';
import { deleteWithRetry } from './delete-object.js';
import {
  certificatesApi,
  httpStatusOf,
  loadKubeConfig,
  toRuntimeError,
  type ClusterConnectionOptions,
} from './kube-client.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './labels.js';
import { waitForCertificate } from './wait-for-certificate.js';

/**
 * The CertificateSigningRequest to submit: the shared model ({@link CsrSpec}; metadata.name, else metadata.generateName,
 * default "kube-csr-"; the managed-by label is always added), or a {@link ValidatedCsr} that is opened without being
 * validated again, and whether to approve it.
 */
export type CertificateSigningRequestConfig = CsrSpec & {
  /**
   * Approve the request through /approval (needs RBAC verb `approve` on the signer). Like the Go provider, the
   * default is to approve.
   * @default true
   */
  readonly autoApprove?: boolean;
};

/** A step of {@link openCertificateSigningRequest}, for progress output. */
export type OpenStep = 'validated' | 'created' | 'approved' | 'signed' | 'verified' | 'deleted';

/** Progress of {@link openCertificateSigningRequest}. */
export interface OpenProgress {
  readonly step: OpenStep;
  /** The object's name, once known. */
  readonly csrName?: string;
  /** Milliseconds since open started. */
  readonly elapsedMs: number;
}

/** Options of {@link openCertificateSigningRequest}. */
export interface OpenOptions extends ClusterConnectionOptions {
  /**
   * How long to wait for approval and signature, in milliseconds.
   * @default 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /** Aborts the wait; the object is deleted before the returned promise rejects. @default - none */
  readonly signal?: AbortSignal;
  /** Called after each step. @default - none */
  readonly onProgress?: (progress: OpenProgress) => void;
  /**
   * PEM CA certificates the issued chain must verify against (for kube-apiserver-client on most clusters, the
   * cluster CA).
   * @default - the chain's order and validity are checked, its root is not
   */
  readonly caBundlePem?: string;
  /** The safety-net poll interval while the watch is quiet, in milliseconds. @default 2000 */
  readonly pollIntervalMs?: number;
}

/** An issued certificate, as read from status.certificate and checked against the request. */
export interface IssuedCertificate {
  /** status.certificate as issued: the leaf PEM block followed by any intermediates (the provider's `certificate`). */
  readonly certificate: string;
  /** The issued (leaf) certificate, one PEM block. */
  readonly leafPem: string;
  /** The intermediates, one PEM block each, in order. */
  readonly intermediatesPem: readonly string[];
  /** The parsed chain. */
  readonly chain: CertificateChain;
  /** Start of validity (signers may backdate it). */
  readonly notBefore: Date;
  /** End of validity (signers may shorten the requested expiration). */
  readonly notAfter: Date;
  /** When to issue a new certificate: two thirds into its validity. */
  readonly renewAt: Date;
  /** The name the CertificateSigningRequest object had. */
  readonly csrName: string;
}

/** What {@link openCertificateSigningRequest} returns: the issued certificate, and the lifecycle calls after open. */
export interface OpenedCertificateSigningRequest extends IssuedCertificate {
  /** Whether the object has been deleted (false only when deletion failed; {@link close} retries it). */
  readonly deleted: boolean;
  /** The deletion failure, when `deleted` is false. */
  readonly cleanupError?: CsrRuntimeError;
  /**
   * Terraform's Renew: a certificate cannot be extended, so this only reports whether it is still valid and when to
   * look again. Open again to get a new one.
   */
  renew(now?: Date): { readonly valid: boolean; readonly renewAt: Date };
  /** Terraform's Close: deletes the object if open could not. Safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_GENERATE_NAME = 'kube-csr-';

/**
 * Deletes the object, retrying through short outages (an API server restart) for up to ~10 s. A 404 counts as done.
 * Returns the failure instead of throwing it, so callers can report it beside their own outcome.
 */
export async function deleteCertificateSigningRequest(
  kc: KubeConfig,
  api: CertificatesV1Api,
  name: string,
): Promise<CsrRuntimeError | undefined> {
  return deleteWithRetry(
    kc,
    {
      what: `delete CertificateSigningRequest "${name}"`,
      name,
      remedy:
        `it is labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}: delete it with ` +
        `\`kubectl delete csr ${name}\` or \`kube-csr gc\``,
    },
    () => api.deleteCertificateSigningRequest({ name }),
  );
}

/** The config as validated by the rules: as given when it carries the brand, else validated and parsed here. */
function validated(config: CertificateSigningRequestConfig): ValidatedCsr {
  if (isValidatedCsr(config)) return config;
  try {
    return toValidatedCsr({
      metadata: {
        ...config.metadata,
        generateName: config.metadata?.name ? undefined : (config.metadata?.generateName ?? DEFAULT_GENERATE_NAME),
      },
      spec: config.spec,
    });
  } catch (error) {
    if (error instanceof CsrSpecError) {
      throw new CsrRuntimeError('invalid-spec', error.message, { cause: error, signerName: config.spec.signerName });
    }
    throw error;
  }
}

function splitPemBlocks(chain: CertificateChain): { leafPem: string; intermediatesPem: string[] } {
  return { leafPem: chain.leaf.pem, intermediatesPem: chain.intermediates.map((cert) => cert.pem) };
}

/**
 * Terraform's Open for `kubernetes_certificate_signing_request_v1`, done right: validates the input, creates the
 * CertificateSigningRequest (labelled as this library's), approves it when asked, watches it until the signer
 * issues the certificate (Denied and Failed end the wait at once), checks that the certificate is for the request's
 * key, and deletes the object on every path: success, error, timeout and abort.
 *
 * @throws CsrRuntimeError with a `code` for each way it can fail
 */
export async function openCertificateSigningRequest(
  config: CertificateSigningRequestConfig,
  options: OpenOptions = {},
): Promise<OpenedCertificateSigningRequest> {
  const started = Date.now();
  const progress = (step: OpenStep, csrName?: string) =>
    options.onProgress?.({ step, csrName, elapsedMs: Date.now() - started });
  const signerName = config.spec.signerName;

  const requestKey = validated(config).parsedRequest.publicKey;
  progress('validated');
  options.signal?.throwIfAborted();

  const kc = loadKubeConfig(options);
  const api = certificatesApi(kc);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutSignal = AbortSignal.timeout(timeoutMs);

  const body: V1CertificateSigningRequest = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: {
      ...(config.metadata?.name
        ? { name: config.metadata.name }
        : { generateName: config.metadata?.generateName ?? DEFAULT_GENERATE_NAME }),
      labels: { ...config.metadata?.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    },
    spec: {
      request: Buffer.from(config.spec.request).toString('base64'),
      signerName,
      ...(config.spec.expirationSeconds === undefined ? {} : { expirationSeconds: config.spec.expirationSeconds }),
      ...(config.spec.usages ? { usages: [...config.spec.usages] } : {}),
    },
  };
  let created: V1CertificateSigningRequest;
  try {
    created = await api.createCertificateSigningRequest({ body });
  } catch (error) {
    if (httpStatusOf(error) === 409) {
      throw new CsrRuntimeError(
        'already-exists',
        `a CertificateSigningRequest named "${config.metadata?.name}" already exists; it was left untouched: ` +
          'choose another metadata.name, use generateName, or delete the old object if it is yours',
        { csrName: config.metadata?.name, signerName, cause: error },
      );
    }
    throw toRuntimeError(error, 'create the CertificateSigningRequest', {
      kc,
      csrName: config.metadata?.name,
      signerName,
    });
  }
  const csrName = created.metadata?.name ?? '';
  progress('created', csrName);

  let result: IssuedCertificate;
  // Ends the wait when open fails for another reason (e.g. the approval), so no watch or poll outlives the call.
  const stopWaiting = new AbortController();
  try {
    options.signal?.throwIfAborted();
    // Approve while the watch connects: the watch starts from the creation's version, so it misses nothing. The
    // wait is given the approval too, so a timeout reports what the approval did, however long it took.
    const approving =
      (config.autoApprove ?? true)
        ? decide(kc, api, created, { decision: 'Approved', reason: AUTO_APPROVE_REASON, message: AUTO_APPROVE_MESSAGE })
        : undefined;
    const issued = waitForCertificate({
      kc,
      api,
      name: csrName,
      signerName,
      resourceVersion: created.metadata?.resourceVersion,
      abortSignal: options.signal ? AbortSignal.any([options.signal, stopWaiting.signal]) : stopWaiting.signal,
      timeoutSignal,
      timeoutMs,
      pollIntervalMs: options.pollIntervalMs,
      approval: approving,
    });
    if (approving) {
      issued.catch(() => undefined); // the approval's failure wins; the wait's own failure is read below
      await approving;
      progress('approved', csrName);
    }
    const csr = await issued;
    progress('signed', csrName);
    result = verifyIssued(csr, requestKey, csrName, signerName, options.caBundlePem);
    progress('verified', csrName);
  } catch (error) {
    stopWaiting.abort();
    const failure = CsrRuntimeError.isCsrRuntimeError(error)
      ? error
      : options.signal?.aborted
        ? new CsrRuntimeError('aborted', `stopped waiting for CertificateSigningRequest "${csrName}": aborted`, {
            csrName,
            signerName,
            cause: error,
          })
        : toRuntimeError(error, `issue a certificate for CertificateSigningRequest "${csrName}"`, {
            kc,
            csrName,
            signerName,
          });
    const cleanupError = await deleteCertificateSigningRequest(kc, api, csrName);
    if (!cleanupError) progress('deleted', csrName);
    throw cleanupError ? failure.withCleanupError(cleanupError) : failure;
  }

  const cleanupError = await deleteCertificateSigningRequest(kc, api, csrName);
  if (!cleanupError) progress('deleted', csrName);
  let deleted = !cleanupError;
  let pendingCleanupError = cleanupError;
  return {
    ...result,
    get deleted() {
      return deleted;
    },
    get cleanupError() {
      return pendingCleanupError;
    },
    renew(now = new Date()) {
      return { valid: now < result.notAfter, renewAt: result.renewAt };
    },
    async close() {
      if (deleted) return;
      const error = await deleteCertificateSigningRequest(kc, api, csrName);
      if (error) {
        pendingCleanupError = error;
        throw error;
      }
      deleted = true;
      pendingCleanupError = undefined;
    },
  };
}

function verifyIssued(
  csr: V1CertificateSigningRequest,
  requestKey: KeyObject,
  csrName: string,
  signerName: string,
  caBundlePem: string | undefined,
): IssuedCertificate {
  const certificate = Buffer.from(csr.status?.certificate ?? '', 'base64').toString('utf8');
  let chain: CertificateChain;
  try {
    chain = parseCertificateChain(certificate);
    if (caBundlePem) verifyChain(chain, caBundlePem);
  } catch (error) {
    throw new CsrRuntimeError(
      'bad-certificate',
      `the signer ${signerName} issued an unusable certificate for "${csrName}": ${error instanceof Error ? error.message : String(error)}`,
      { csrName, signerName, cause: error },
    );
  }
  if (!publicKeysEqual(chain.leaf.x509.publicKey, requestKey)) {
    throw new CsrRuntimeError(
      'bad-certificate',
      `the certificate issued for "${csrName}" by ${signerName} is not for the request's public key; do not use it`,
      { csrName, signerName },
    );
  }
  const { notBefore, notAfter } = chain.leaf;
  const renewAt = new Date(notBefore.getTime() + ((notAfter.getTime() - notBefore.getTime()) * 2) / 3);
  return { certificate, ...splitPemBlocks(chain), chain, notBefore, notAfter, renewAt, csrName };
}
