import {
  Watch,
  type CertificatesV1Api,
  type KubeConfig,
  type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import { CsrRuntimeError } from './errors.js';
import { httpStatusOf, isNetworkError, toRuntimeError } from './kube-client.js';
import { conditionOf } from './conditions.js';

const CSR_COLLECTION_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

/** What the wait saw last, for the timeout message. */
export type IssuanceStage = 'pending-approval' | 'approved-awaiting-signature';

/** Options of {@link waitForCertificate}. */
export interface WaitForCertificateOptions {
  /** The cluster connection the watch uses. */
  readonly kc: KubeConfig;
  /** The certificates.k8s.io/v1 client, for the safety-net reads. */
  readonly api: CertificatesV1Api;
  /** metadata.name of the CertificateSigningRequest to wait for. */
  readonly name: string;
  /** spec.signerName of the request, for the messages. */
  readonly signerName: string;
  /** Watch from here (the creation's resourceVersion), so no change is missed. */
  readonly resourceVersion?: string;
  /** Ends the wait with an `aborted` error. */
  readonly abortSignal?: AbortSignal;
  /** Ends the wait with a `timeout` error. */
  readonly timeoutSignal: AbortSignal;
  /** The timeout, for the message. */
  readonly timeoutMs: number;
  /** How often the safety-net poll reads the object while the watch is quiet. @default 2000 */
  readonly pollIntervalMs?: number;
  /**
   * The caller's own approval of the object, in flight (openCertificateSigningRequest approves while the watch
   * connects). The object it resolves with counts as seen; when the timeout fires first, the wait stops watching but
   * reports the timeout only once the approval has settled, so the message says whether the approval or the
   * signature was missing whatever the timing.
   * @default - none
   */
  readonly approval?: Promise<V1CertificateSigningRequest>;
  /** Called on every change seen. @default - none */
  readonly onChange?: (stage: IssuanceStage, via: 'watch' | 'poll' | 'approval') => void;
}

function stageOf(csr: V1CertificateSigningRequest): IssuanceStage {
  return conditionOf(csr, 'Approved') ? 'approved-awaiting-signature' : 'pending-approval';
}

function missingText(stage: IssuanceStage, signerName: string): string {
  return stage === 'pending-approval'
    ? `it was never approved: approve it (kube-csr approve, kubectl certificate approve) or set autoApprove`
    : `it was approved but the signer ${signerName} never issued a certificate: check that a controller serves this ` +
        `signer (kube-controller-manager serves only the kubernetes.io/* signers, and only with --cluster-signing-* set)`;
}

/**
 * Waits until the CertificateSigningRequest `name` carries a certificate, by watching that one object from
 * `resourceVersion` and re-establishing the watch whenever it ends (re-reading the object when the version expired),
 * with a slow poll as a safety net. Denied and Failed end the wait at once with their reason and message.
 * Resolves with the object as last seen (approved, with status.certificate).
 */
export function waitForCertificate(options: WaitForCertificateOptions): Promise<V1CertificateSigningRequest> {
  const { kc, api, name, signerName } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  return new Promise<V1CertificateSigningRequest>((resolve, reject) => {
    let settled = false;
    let stage: IssuanceStage = 'pending-approval';
    let resourceVersion = options.resourceVersion;
    let watchController: AbortController | undefined;
    let restartDelayMs = 50;
    let restartTimer: NodeJS.Timeout | undefined;
    let lastNetworkError: unknown;
    // Set once the timeout fired: nothing is watched or polled any more, only the caller's approval is awaited.
    let timedOut = false;

    const stopWatching = () => {
      clearInterval(pollTimer);
      clearTimeout(restartTimer);
      watchController?.abort();
    };

    const finish = (outcome: { csr: V1CertificateSigningRequest } | { error: CsrRuntimeError }) => {
      if (settled) return;
      settled = true;
      stopWatching();
      options.abortSignal?.removeEventListener('abort', onAbort);
      options.timeoutSignal.removeEventListener('abort', onTimeout);
      if ('csr' in outcome) resolve(outcome.csr);
      else reject(outcome.error);
    };

    const evaluate = (csr: V1CertificateSigningRequest, via: 'watch' | 'poll' | 'approval') => {
      if (settled || (timedOut && via !== 'approval')) return;
      const version = csr.metadata?.resourceVersion;
      if (version) resourceVersion = version;
      for (const type of ['Denied', 'Failed'] as const) {
        const condition = conditionOf(csr, type);
        if (condition) {
          const verb = type === 'Denied' ? 'was denied' : 'failed';
          const why = [condition.reason, condition.message].filter(Boolean).join(': ') || 'no reason given';
          finish({
            error: new CsrRuntimeError(
              type === 'Denied' ? 'denied' : 'failed',
              `CertificateSigningRequest "${name}" for signer ${signerName} ${verb} (${why})`,
              { csrName: name, signerName, condition: { type, reason: condition.reason, message: condition.message } },
            ),
          });
          return;
        }
      }
      const next = stageOf(csr);
      if (next !== stage) options.onChange?.(next, via);
      stage = next;
      if (stage === 'approved-awaiting-signature' && csr.status?.certificate) finish({ csr });
    };

    const onAbort = () =>
      finish({
        error: new CsrRuntimeError('aborted', `stopped waiting for CertificateSigningRequest "${name}": aborted`, {
          csrName: name,
          signerName,
          cause: options.abortSignal?.reason,
        }),
      });
    const reportTimeout = () => {
      const unreachable = lastNetworkError ? ' (the API server was unreachable at the end)' : '';
      finish({
        error: new CsrRuntimeError(
          'timeout',
          `timed out after ${options.timeoutMs} ms waiting for CertificateSigningRequest "${name}"${unreachable}: ${missingText(stage, signerName)}`,
          {
            csrName: name,
            signerName,
            cause: lastNetworkError,
            missing: stage === 'pending-approval' ? 'approval' : 'issuance',
          },
        ),
      });
    };
    // The caller's approval: its answer is evaluated like an event; a timeout waits for it to settle.
    const approvalSettled = options.approval?.then(
      (csr) => evaluate(csr, 'approval'),
      () => undefined, // the caller reports its own approval's failure
    );
    const onTimeout = () => {
      timedOut = true;
      stopWatching();
      if (approvalSettled) void approvalSettled.then(reportTimeout);
      else reportTimeout();
    };

    const readOnce = async (via: 'watch' | 'poll') => {
      try {
        const csr = await api.readCertificateSigningRequest({ name });
        lastNetworkError = undefined;
        evaluate(csr, via);
      } catch (error) {
        if (settled || timedOut) return;
        if (httpStatusOf(error) === 404) {
          finish({
            error: new CsrRuntimeError(
              'api-error',
              `CertificateSigningRequest "${name}" was deleted by someone else while waiting for its certificate`,
              { csrName: name, signerName, cause: error },
            ),
          });
        } else if (isNetworkError(error)) {
          lastNetworkError = error; // the server may be restarting: keep waiting until the timeout
        } else {
          finish({
            error: toRuntimeError(error, `read CertificateSigningRequest "${name}"`, { kc, csrName: name, signerName }),
          });
        }
      }
    };

    const scheduleRestart = (needsRelist: boolean) => {
      if (settled || timedOut) return;
      clearTimeout(restartTimer);
      restartTimer = setTimeout(() => {
        void (async () => {
          if (needsRelist) {
            resourceVersion = undefined;
            await readOnce('poll');
          }
          startWatch();
        })();
      }, restartDelayMs);
      restartDelayMs = Math.min(restartDelayMs * 2, 1000);
    };

    const startWatch = () => {
      if (settled || timedOut) return;
      let expired = false;
      const query = {
        fieldSelector: `metadata.name=${name}`,
        allowWatchBookmarks: true,
        timeoutSeconds: 300,
        resourceVersion,
      };
      new Watch(kc)
        .watch(
          CSR_COLLECTION_PATH,
          query,
          (type: string, object: unknown) => {
            if (type === 'ERROR') {
              // A Status: 410 Gone means our resourceVersion is too old to watch from.
              expired ||= (object as { code?: number }).code === 410;
              return;
            }
            restartDelayMs = 50;
            const csr = object as V1CertificateSigningRequest;
            if (type === 'BOOKMARK') {
              if (csr.metadata?.resourceVersion) resourceVersion = csr.metadata.resourceVersion;
              return;
            }
            if (type === 'DELETED') {
              finish({
                error: new CsrRuntimeError(
                  'api-error',
                  `CertificateSigningRequest "${name}" was deleted by someone else while waiting for its certificate`,
                  { csrName: name, signerName },
                ),
              });
              return;
            }
            evaluate(csr, 'watch');
          },
          (error: unknown) => {
            if (error && isNetworkError(error)) lastNetworkError = error;
            const status = (error as { statusCode?: number } | null)?.statusCode;
            scheduleRestart(expired || status === 410);
          },
        )
        .then(
          (controller) => {
            watchController = controller;
            if (settled || timedOut) controller.abort();
          },
          (error: unknown) => {
            lastNetworkError = error;
            scheduleRestart(false);
          },
        );
    };

    const pollTimer = setInterval(() => void readOnce('poll'), pollIntervalMs);
    if (options.abortSignal?.aborted) return onAbort();
    if (options.timeoutSignal.aborted) return onTimeout();
    options.abortSignal?.addEventListener('abort', onAbort, { once: true });
    options.timeoutSignal.addEventListener('abort', onTimeout, { once: true });
    startWatch();
  });
}
