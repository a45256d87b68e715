import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError } from '../errors.js';
import { httpStatusOf, isNetworkError, toRuntimeError } from '../kube-client.js';
import {
  readyCondition,
  trueCondition,
  type CertificateRequestClient,
  type CertificateRequestCondition,
  type CertificateRequestObject,
} from './client.js';

/** What the wait saw last, for the timeout message. */
export type CertificateRequestStage = 'pending-approval' | 'approved-awaiting-issuer';

/** Options of {@link waitForCertificateRequest}. */
export interface WaitForCertificateRequestOptions {
  /** The cluster connection the watch uses. */
  readonly kc: KubeConfig;
  /** The client of the object's namespace, for the safety-net reads. */
  readonly client: CertificateRequestClient;
  /** metadata.name of the CertificateRequest to wait for. */
  readonly name: string;
  /** The issuer, as `Kind/name`, for messages. */
  readonly issuer: string;
  /** Watch from here (the creation's resourceVersion), so no change is missed. @default - from now */
  readonly resourceVersion?: string;
  /** Ends the wait with an `aborted` error. @default - none */
  readonly abortSignal?: AbortSignal;
  /** Ends the wait with a `timeout` error. */
  readonly timeoutSignal: AbortSignal;
  /** The timeout, for the message. */
  readonly timeoutMs: number;
  /** How often the safety-net poll reads the object while the watch is quiet. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Called once when the request is seen approved, with the condition's reason. @default - none */
  readonly onApproved?: (reason: string | undefined) => void;
}

type Outcome = { readonly cr: CertificateRequestObject } | { readonly error: CsrRuntimeError };

/**
 * Waits for one CertificateRequest to be issued: watches that object from a resourceVersion, re-establishes the
 * watch whenever it ends (re-reading the object when the version expired), and reads it on a slow poll as a safety
 * net. Denied, InvalidRequest and Ready=False/Failed end the wait at once with their reason and message; a timeout
 * says whether approval or issuance was missing, and what the issuer last said.
 */
export class CertificateRequestWatch {
  private settled = false;
  private stage: CertificateRequestStage = 'pending-approval';
  private lastReady: CertificateRequestCondition | undefined;
  private resourceVersion: string | undefined;
  private watchController: AbortController | undefined;
  private restartDelayMs = 50;
  private restartTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastNetworkError: unknown;
  private resolve: (cr: CertificateRequestObject) => void = () => undefined;
  private reject: (error: CsrRuntimeError) => void = () => undefined;

  public constructor(private readonly options: WaitForCertificateRequestOptions) {
    this.resourceVersion = options.resourceVersion;
  }

  private get where(): string {
    return `CertificateRequest ${this.options.client.namespace}/${this.options.name}`;
  }

  /** Starts watching; resolves with the object as last seen (Ready=True/Issued, with status.certificate). */
  public start(): Promise<CertificateRequestObject> {
    return new Promise<CertificateRequestObject>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { abortSignal, timeoutSignal } = this.options;
      if (abortSignal?.aborted) return this.onAbort();
      if (timeoutSignal.aborted) return this.onTimeout();
      abortSignal?.addEventListener('abort', this.onAbort, { once: true });
      timeoutSignal.addEventListener('abort', this.onTimeout, { once: true });
      this.pollTimer = setInterval(() => void this.readOnce(), this.options.pollIntervalMs ?? 2000);
      this.startWatch();
    });
  }

  private finish(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.restartTimer);
    this.watchController?.abort();
    this.options.abortSignal?.removeEventListener('abort', this.onAbort);
    this.options.timeoutSignal.removeEventListener('abort', this.onTimeout);
    if ('cr' in outcome) this.resolve(outcome.cr);
    else this.reject(outcome.error);
  }

  private fail(code: 'denied' | 'failed' | 'invalid-request', verb: string, condition: CertificateRequestCondition) {
    const why = [condition.reason, condition.message].filter(Boolean).join(': ') || 'no reason given';
    this.finish({
      error: new CsrRuntimeError(code, `${this.where} for ${this.options.issuer} ${verb} (${why})`, {
        csrName: this.options.name,
        namespace: this.options.client.namespace,
        condition: { type: condition.type, reason: condition.reason, message: condition.message },
      }),
    });
  }

  /** Decides from one observed state of the object. */
  private evaluate(cr: CertificateRequestObject): void {
    if (this.settled) return;
    if (cr.metadata.resourceVersion) this.resourceVersion = cr.metadata.resourceVersion;
    const denied = trueCondition(cr, 'Denied');
    if (denied) return this.fail('denied', 'was denied', denied);
    const invalid = trueCondition(cr, 'InvalidRequest');
    if (invalid) return this.fail('invalid-request', 'is invalid and will never be issued', invalid);
    const ready = readyCondition(cr);
    if (ready?.status === 'False' && ready.reason === 'Failed') return this.fail('failed', 'failed', ready);
    if (ready?.status === 'False' && ready.reason === 'Denied') return this.fail('denied', 'was denied', ready);
    if (ready) this.lastReady = ready;
    const approved = trueCondition(cr, 'Approved');
    if (approved && this.stage === 'pending-approval') {
      this.stage = 'approved-awaiting-issuer';
      this.options.onApproved?.(approved.reason);
    }
    if (ready?.status === 'True' && cr.status?.certificate) this.finish({ cr });
  }

  private readonly onAbort = (): void =>
    this.finish({
      error: new CsrRuntimeError('aborted', `stopped waiting for ${this.where}: aborted`, {
        csrName: this.options.name,
        namespace: this.options.client.namespace,
        cause: this.options.abortSignal?.reason,
      }),
    });

  private readonly onTimeout = (): void => {
    const { issuer, timeoutMs, name } = this.options;
    const namespace = this.options.client.namespace;
    const unreachable = this.lastNetworkError ? ' (the API server was unreachable at the end)' : '';
    const last = this.lastReady
      ? ` (last: Ready=${this.lastReady.status}${this.lastReady.reason ? `, ${this.lastReady.reason}` : ''}` +
        `${this.lastReady.message ? `: ${this.lastReady.message}` : ''})`
      : '';
    const [problem, remedy] =
      this.stage === 'pending-approval'
        ? [
            `it was never approved${last}`,
            `cert-manager's approver did not approve it (it does not run, or an approval policy leaves ${issuer} to ` +
              `people): approve it (cmctl approve -n ${namespace} ${name}) or set autoApprove`,
          ]
        : [
            `it was approved but ${issuer} never issued a certificate${last}`,
            `check that ${issuer} exists and is Ready ` +
              `(${this.issuerCommand()}), and that a controller serves its type`,
          ];
    this.finish({
      error: new CsrRuntimeError(
        'timeout',
        `timed out after ${timeoutMs} ms waiting for ${this.where}${unreachable}: ${problem}`,
        {
          csrName: name,
          namespace,
          cause: this.lastNetworkError,
          remedy,
          missing: this.stage === 'pending-approval' ? 'approval' : 'issuance',
        },
      ),
    });
  };

  /** The kubectl command that shows the issuer. */
  private issuerCommand(): string {
    const [kind = 'Issuer', name = ''] = this.options.issuer.split('/');
    const resource = kind.toLowerCase().split('.')[0] ?? 'issuer';
    return resource === 'clusterissuer'
      ? `kubectl get clusterissuer ${name}`
      : `kubectl get ${kind.toLowerCase()} -n ${this.options.client.namespace} ${name}`;
  }

  private async readOnce(): Promise<void> {
    try {
      const cr = await this.options.client.read(this.options.name);
      this.lastNetworkError = undefined;
      this.evaluate(cr);
    } catch (error) {
      if (this.settled) return;
      if (httpStatusOf(error) === 404) {
        this.deletedBySomeoneElse(error);
      } else if (isNetworkError(error)) {
        this.lastNetworkError = error; // the server may be restarting: keep waiting until the timeout
      } else {
        this.finish({
          error: toRuntimeError(error, `read ${this.where}`, { kc: this.options.kc, csrName: this.options.name }),
        });
      }
    }
  }

  private deletedBySomeoneElse(cause?: unknown): void {
    this.finish({
      error: new CsrRuntimeError(
        'api-error',
        `${this.where} was deleted by someone else while waiting for its certificate`,
        {
          csrName: this.options.name,
          namespace: this.options.client.namespace,
          cause,
        },
      ),
    });
  }

  private scheduleRestart(needsRelist: boolean): void {
    if (this.settled) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      void (async () => {
        if (needsRelist) {
          this.resourceVersion = undefined;
          await this.readOnce();
        }
        this.startWatch();
      })();
    }, this.restartDelayMs);
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, 1000);
  }

  private startWatch(): void {
    if (this.settled) return;
    let expired = false;
    const query = {
      fieldSelector: `metadata.name=${this.options.name}`,
      allowWatchBookmarks: true,
      timeoutSeconds: 300,
      resourceVersion: this.resourceVersion,
    };
    new Watch(this.options.kc)
      .watch(
        this.options.client.collectionPath,
        query,
        (type: string, object: unknown) => {
          if (type === 'ERROR') {
            // A Status: 410 Gone means our resourceVersion is too old to watch from.
            expired ||= (object as { code?: number }).code === 410;
            return;
          }
          this.restartDelayMs = 50;
          const cr = object as CertificateRequestObject;
          if (type === 'BOOKMARK') {
            if (cr.metadata.resourceVersion) this.resourceVersion = cr.metadata.resourceVersion;
            return;
          }
          if (type === 'DELETED') return this.deletedBySomeoneElse();
          this.evaluate(cr);
        },
        (error: unknown) => {
          if (error && isNetworkError(error)) this.lastNetworkError = error;
          const status = (error as { statusCode?: number } | null)?.statusCode;
          this.scheduleRestart(expired || status === 410);
        },
      )
      .then(
        (controller) => {
          this.watchController = controller;
          if (this.settled) controller.abort();
        },
        (error: unknown) => {
          this.lastNetworkError = error;
          this.scheduleRestart(false);
        },
      );
  }
}

/** Waits until a CertificateRequest is issued; see {@link CertificateRequestWatch}. */
export function waitForCertificateRequest(
  options: WaitForCertificateRequestOptions,
): Promise<CertificateRequestObject> {
  return new CertificateRequestWatch(options).start();
}
