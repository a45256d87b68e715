import type { CertificatesV1Api, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { conditionOf } from './conditions.js';
import { CSR_COLLECTION_PATH, CsrApi } from './csr-api.js';
import type { CsrRuntimeError, CsrRuntimeErrorOptions } from './errors.js';
import { ObjectWatch, type ObjectWatchOptions, type ObservedVia } from './object-watch.js';

/** What the wait saw last, for the timeout message. */
export type IssuanceStage = 'pending-approval' | 'approved-awaiting-signature';

/** Options of {@link waitForCertificate}. */
export interface WaitForCertificateOptions extends ObjectWatchOptions {
  /** The certificates.k8s.io/v1 client, for the safety-net reads. */
  readonly api: CertificatesV1Api;
  /** spec.signerName of the request, for the messages. */
  readonly signerName: string;
  /**
   * The caller's own approval of the object, in flight (openCertificateSigningRequest approves while the watch
   * connects). The object it resolves with counts as seen; when the timeout fires first, the wait stops watching but
   * reports the timeout only once the approval has settled, so the message says whether the approval or the
   * signature was missing whatever the timing.
   * @default - none
   */
  readonly approval?: Promise<V1CertificateSigningRequest>;
  /** Called on every change seen. @default - none */
  readonly onChange?: (stage: IssuanceStage, via: ObservedVia | 'approval') => void;
}

/**
 * Waits until one CertificateSigningRequest carries a certificate (see {@link ObjectWatch} for the watch, its
 * reconnects and the safety-net poll). Denied and Failed end the wait at once with their reason and message; a
 * timeout says whether the approval or the signature never came (`missing`) and names the signer.
 */
export class CertificateSigningRequestWatch extends ObjectWatch<V1CertificateSigningRequest> {
  private stage: IssuanceStage = 'pending-approval';
  private readonly csrApi: CsrApi;
  /** The caller's approval, evaluated like an event once it answers; a timeout waits for it to settle. */
  private readonly approvalSettled: Promise<void> | undefined;

  public constructor(private readonly options: WaitForCertificateOptions) {
    super(options);
    this.csrApi = new CsrApi(options.kc, options.api);
    this.approvalSettled = options.approval?.then(
      (csr) => this.evaluate(csr, 'approval'),
      () => undefined, // the caller reports its own approval's failure
    );
  }

  protected get collectionPath(): string {
    return CSR_COLLECTION_PATH;
  }

  protected read(signal: AbortSignal): Promise<V1CertificateSigningRequest> {
    return this.csrApi.read(this.options.name, signal);
  }

  protected evaluate(csr: V1CertificateSigningRequest, via: ObservedVia | 'approval'): void {
    if (this.isSettled) return;
    for (const type of ['Denied', 'Failed'] as const) {
      const condition = conditionOf(csr, type);
      if (condition) {
        const [code, verb] = type === 'Denied' ? (['denied', 'was denied'] as const) : (['failed', 'failed'] as const);
        return this.failOnCondition(code, `signer ${this.options.signerName}`, verb, { ...condition, type });
      }
    }
    const next: IssuanceStage = conditionOf(csr, 'Approved') ? 'approved-awaiting-signature' : 'pending-approval';
    if (next !== this.stage) this.options.onChange?.(next, via);
    this.stage = next;
    if (this.stage === 'approved-awaiting-signature' && csr.status?.certificate) this.succeed(csr);
  }

  protected override timedOut(): void {
    if (this.approvalSettled) void this.approvalSettled.then(() => super.timedOut());
    else super.timedOut();
  }

  protected get describe(): string {
    return `CertificateSigningRequest "${this.options.name}"`;
  }

  protected get errorOptions(): CsrRuntimeErrorOptions {
    return { csrName: this.options.name, signerName: this.options.signerName };
  }

  protected timeoutError(): CsrRuntimeError {
    return this.stage === 'pending-approval'
      ? this.timeoutFailure(
          'approval',
          'it was never approved',
          'approve it (kube-csr approve, kubectl certificate approve) or set autoApprove',
        )
      : this.timeoutFailure(
          'issuance',
          `it was approved but the signer ${this.options.signerName} never issued a certificate`,
          'check that a controller serves this signer (kube-controller-manager serves only the kubernetes.io/* ' +
            'signers, and only with --cluster-signing-* set)',
        );
  }
}

/**
 * Waits until the CertificateSigningRequest `name` carries a certificate, by watching that one object from
 * `resourceVersion` and re-establishing the watch whenever it ends (re-reading the object when the version expired),
 * with a slow poll as a safety net. Denied and Failed end the wait at once with their reason and message.
 * Resolves with the object as last seen (approved, with status.certificate).
 */
export function waitForCertificate(options: WaitForCertificateOptions): Promise<V1CertificateSigningRequest> {
  return new CertificateSigningRequestWatch(options).start();
}
