import type { CsrRuntimeError, CsrRuntimeErrorOptions } from '../errors.js';
import { ObjectWatch, type ObjectWatchOptions } from '../object-watch.js';
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
export interface WaitForCertificateRequestOptions extends ObjectWatchOptions {
  /** The client of the object's namespace, for the safety-net reads. */
  readonly client: CertificateRequestClient;
  /** The issuer, as `Kind/name`, for messages. */
  readonly issuer: string;
  /** Called once when the request is seen approved, with the condition's reason. @default - none */
  readonly onApproved?: (reason: string | undefined) => void;
}

/**
 * Waits for one CertificateRequest to be issued (see {@link ObjectWatch} for the watch, its reconnects and the
 * safety-net poll). Denied, InvalidRequest and Ready=False/Failed end the wait at once with their reason and message;
 * a timeout says whether approval or issuance was missing, and what the issuer last said.
 */
export class CertificateRequestWatch extends ObjectWatch<CertificateRequestObject> {
  private stage: CertificateRequestStage = 'pending-approval';
  private lastReady: CertificateRequestCondition | undefined;

  public constructor(private readonly options: WaitForCertificateRequestOptions) {
    super(options);
  }

  protected get collectionPath(): string {
    return this.options.client.collectionPath;
  }

  protected read(signal: AbortSignal): Promise<CertificateRequestObject> {
    return this.options.client.read(this.options.name, signal);
  }

  /** Decides from one observed state of the object. */
  protected evaluate(cr: CertificateRequestObject): void {
    if (this.isSettled) return;
    const denied = trueCondition(cr, 'Denied');
    if (denied) return this.failOnCondition('denied', this.options.issuer, 'was denied', denied);
    const invalid = trueCondition(cr, 'InvalidRequest');
    if (invalid)
      return this.failOnCondition(
        'invalid-request',
        this.options.issuer,
        'is invalid and will never be issued',
        invalid,
      );
    const ready = readyCondition(cr);
    if (ready?.status === 'False' && ready.reason === 'Failed')
      return this.failOnCondition('failed', this.options.issuer, 'failed', ready);
    if (ready?.status === 'False' && ready.reason === 'Denied')
      return this.failOnCondition('denied', this.options.issuer, 'was denied', ready);
    if (ready) this.lastReady = ready;
    const approved = trueCondition(cr, 'Approved');
    if (approved && this.stage === 'pending-approval') {
      this.stage = 'approved-awaiting-issuer';
      this.options.onApproved?.(approved.reason);
    }
    if (ready?.status === 'True' && cr.status?.certificate) this.succeed(cr);
  }

  protected get describe(): string {
    return `CertificateRequest ${this.options.client.namespace}/${this.options.name}`;
  }

  protected get errorOptions(): CsrRuntimeErrorOptions {
    return { csrName: this.options.name, namespace: this.options.client.namespace };
  }

  protected timeoutError(): CsrRuntimeError {
    const { issuer, name } = this.options;
    const namespace = this.options.client.namespace;
    const last = this.lastReady
      ? ` (last: Ready=${this.lastReady.status}${this.lastReady.reason ? `, ${this.lastReady.reason}` : ''}` +
        `${this.lastReady.message ? `: ${this.lastReady.message}` : ''})`
      : '';
    return this.stage === 'pending-approval'
      ? this.timeoutFailure(
          'approval',
          `it was never approved${last}`,
          `cert-manager's approver did not approve it (it does not run, or an approval policy leaves ${issuer} to ` +
            `people): approve it (cmctl approve -n ${namespace} ${name}) or set autoApprove`,
        )
      : this.timeoutFailure(
          'issuance',
          `it was approved but ${issuer} never issued a certificate${last}`,
          `check that ${issuer} exists and is Ready (${this.issuerCommand()}), and that a controller serves its type`,
        );
  }

  /** The kubectl command that shows the issuer. */
  private issuerCommand(): string {
    const [kind = 'Issuer', name = ''] = this.options.issuer.split('/');
    const resource = kind.toLowerCase().split('.')[0] ?? 'issuer';
    return resource === 'clusterissuer'
      ? `kubectl get clusterissuer ${name}`
      : `kubectl get ${kind.toLowerCase()} -n ${this.options.client.namespace} ${name}`;
  }
}

/**
 * Waits until a CertificateRequest is issued: watches it (reconnecting on a drop or a 410, with a safety-net poll);
 * Denied, InvalidRequest and Ready=False/Failed end the wait at once with their reason and message; a timeout says
 * whether approval or issuance was missing, and what the issuer last said.
 */
export function waitForCertificateRequest(
  options: WaitForCertificateRequestOptions,
): Promise<CertificateRequestObject> {
  return new CertificateRequestWatch(options).start();
}
