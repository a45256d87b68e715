import type { KeyObject } from 'node:crypto';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import {
  CsrSpecError,
  DEFAULT_GENERATE_NAME,
  isValidatedCsr,
  toValidatedCsr,
  type CsrSpec,
  type ValidatedCsr,
} from '../rules/index.js';
import { AUTO_APPROVE_MESSAGE, AUTO_APPROVE_REASON, decide } from './approval.js';
import { ObjectCleanup, runThenDelete } from './cleanup.js';
import { CsrApi } from './csr-api.js';
import { CsrRuntimeError } from './errors.js';
import { verifyIssuedChain, type VerifiedChain } from './issued-chain.js';
import { loadKubeConfig, toRuntimeError, type ClusterConnectionOptions } from './kube-client.js';
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
  /** The step just completed. */
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

/**
 * An issued certificate, as read from status.certificate and checked against the request; `certificate` is
 * status.certificate as issued (the provider's `certificate`).
 */
export interface IssuedCertificate extends VerifiedChain {
  /** The name the CertificateSigningRequest object had. */
  readonly csrName: string;
}

/** What {@link openCertificateSigningRequest} returns: the issued certificate, and the lifecycle calls after open. */
export interface OpenedCertificateSigningRequest extends IssuedCertificate {
  /** Whether the object has been deleted (false only when deletion failed; {@link OpenedCertificateSigningRequest.close} retries it). */
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

  // What is created is what was validated: a frozen copy, which no callback can change before create.
  const csr = validated(config);
  const requestKey = csr.parsedRequest.publicKey;
  progress('validated');
  options.signal?.throwIfAborted();

  const kc = loadKubeConfig(options);
  const api = new CsrApi(kc);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutSignal = AbortSignal.timeout(timeoutMs);

  // Not abortable: an abort could cut the reply of a create the API server has already done, leaving an object whose
  // generated name nobody knows. Once it exists, an abort is seen at the first step below and the object is deleted.
  const created = await api.create(objectOf(csr));
  const csrName = created.metadata?.name ?? '';
  progress('created', csrName);

  const cleanup = new ObjectCleanup(
    () => api.delete(csrName),
    () => progress('deleted', csrName),
  );
  const result = await runThenDelete(
    async (stopWaiting) => {
      options.signal?.throwIfAborted();
      // Approve while the watch connects: the watch starts from the creation's version, so it misses nothing. The
      // wait is given the approval too, so a timeout reports what the approval did, however long it took.
      const approving =
        (config.autoApprove ?? true)
          ? decide(
              kc,
              api.api,
              created,
              { decision: 'Approved', reason: AUTO_APPROVE_REASON, message: AUTO_APPROVE_MESSAGE },
              options.signal,
            )
          : undefined;
      const issued = waitForCertificate({
        kc,
        api: api.api,
        name: csrName,
        signerName,
        resourceVersion: created.metadata?.resourceVersion,
        abortSignal: options.signal ? AbortSignal.any([options.signal, stopWaiting]) : stopWaiting,
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
      const verified = verifyIssued(csr, requestKey, csrName, signerName, options.caBundlePem);
      progress('verified', csrName);
      return verified;
    },
    cleanup,
    (error) =>
      options.signal?.aborted
        ? new CsrRuntimeError('aborted', `stopped waiting for CertificateSigningRequest "${csrName}": aborted`, {
            csrName,
            signerName,
            cause: error,
          })
        : toRuntimeError(error, `issue a certificate for CertificateSigningRequest "${csrName}"`, {
            kc,
            csrName,
            signerName,
          }),
  );
  return {
    ...result,
    get deleted() {
      return cleanup.deleted;
    },
    get cleanupError() {
      return cleanup.cleanupError;
    },
    renew(now = new Date()) {
      return { valid: now < result.notAfter, renewAt: result.renewAt };
    },
    close: () => cleanup.close(),
  };
}

/** The object to create: the config, base64 for spec.request, and the managed-by label. */
function objectOf(config: CsrSpec): V1CertificateSigningRequest {
  return {
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
      signerName: config.spec.signerName,
      ...(config.spec.expirationSeconds === undefined ? {} : { expirationSeconds: config.spec.expirationSeconds }),
      ...(config.spec.usages ? { usages: [...config.spec.usages] } : {}),
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
  const verified = verifyIssuedChain({
    certificate: Buffer.from(csr.status?.certificate ?? '', 'base64').toString('utf8'),
    requestKey,
    bundles: [{ pem: caBundlePem }],
    unusable: (detail, cause) =>
      new CsrRuntimeError(
        'bad-certificate',
        `the signer ${signerName} issued an unusable certificate for "${csrName}": ${detail}`,
        { csrName, signerName, cause },
      ),
    wrongKey: () =>
      new CsrRuntimeError(
        'bad-certificate',
        `the certificate issued for "${csrName}" by ${signerName} is not for the request's public key; do not use it`,
        { csrName, signerName },
      ),
  });
  return { ...verified, csrName };
}
