import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError, type CsrRuntimeErrorOptions } from './errors.js';
import { httpStatusOf, isNetworkError, toRuntimeError } from './kube-client.js';

/** What every object watch needs (the CertificateSigningRequest and the CertificateRequest waits). */
export interface ObjectWatchOptions {
  /** The cluster connection the watch and the safety-net reads use. */
  readonly kc: KubeConfig;
  /** The object's name. */
  readonly name: string;
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
}

/** Where an observed state of the object came from. */
export type ObservedVia = 'watch' | 'poll';

const FIRST_RESTART_DELAY_MS = 50;
const MAX_RESTART_DELAY_MS = 1000;

/**
 * Waits for one object to reach a final state, in the shape of client-node's ListWatch: {@link start} watches that
 * object from a resourceVersion, {@link onEvent} hands each change to the subclass's {@link evaluate}, the watch is
 * re-established whenever it ends (re-reading the object first when the version expired: 410 Gone), and a slow
 * poll reads it as a safety net. The subclass ends the wait with {@link succeed} or {@link fail}; abort, timeout
 * and deletion by someone else end it with errors that name the object the subclass describes. Nothing keeps
 * running once the promise settles.
 */
export abstract class ObjectWatch<T extends { readonly metadata?: { readonly resourceVersion?: string } }> {
  /** The last network failure, for a timeout message ("the API server was unreachable at the end"). */
  protected lastNetworkError: unknown;
  private settled = false;
  /** True once nothing is watched or polled any more: settled, or timed out while something else is awaited. */
  private stopped = false;
  private resourceVersion: string | undefined;
  private watchController: AbortController | undefined;
  private readonly reads = new AbortController();
  private restartDelayMs = FIRST_RESTART_DELAY_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private resolve: (object: T) => void = () => undefined;
  private reject: (error: CsrRuntimeError) => void = () => undefined;

  protected constructor(private readonly watchOptions: ObjectWatchOptions) {
    this.resourceVersion = watchOptions.resourceVersion;
  }

  /** Starts watching; resolves with the object as last seen in its final state. */
  public start(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { abortSignal, timeoutSignal } = this.watchOptions;
      if (abortSignal?.aborted) return this.onAbort();
      if (timeoutSignal.aborted) return this.onTimeout();
      abortSignal?.addEventListener('abort', this.onAbort, { once: true });
      timeoutSignal.addEventListener('abort', this.onTimeout, { once: true });
      this.pollTimer = setInterval(() => void this.readOnce(), this.watchOptions.pollIntervalMs ?? 2000);
      this.startWatch();
    });
  }

  /** The collection's URL path to watch. */
  protected abstract get collectionPath(): string;
  /** Reads the object once; fails with a CsrRuntimeError whose cause is the API's error. */
  protected abstract read(signal: AbortSignal): Promise<T>;
  /** Decides from one observed state of the object: {@link succeed}, {@link fail}, or keep waiting. */
  protected abstract evaluate(object: T, via: ObservedVia): void;
  /** The object, for messages: e.g. `CertificateSigningRequest "x"`. */
  protected abstract get describe(): string;
  /** What every error of the wait carries besides its message: the object's name, its signer or namespace. */
  protected abstract get errorOptions(): CsrRuntimeErrorOptions;
  /** The error when the time is up, saying what never came (see {@link timeoutFailure}). */
  protected abstract timeoutError(): CsrRuntimeError;

  /** A `timeout` error: what never came (`problem`, `missing`) and how to fix it. */
  protected timeoutFailure(missing: 'approval' | 'issuance', problem: string, remedy: string): CsrRuntimeError {
    const unreachable = this.lastNetworkError ? ' (the API server was unreachable at the end)' : '';
    return new CsrRuntimeError(
      'timeout',
      `timed out after ${this.watchOptions.timeoutMs} ms waiting for ${this.describe}${unreachable}: ${problem}`,
      { ...this.errorOptions, cause: this.lastNetworkError, remedy, missing },
    );
  }

  /**
   * Ends the wait on a condition that is final (Denied, Failed, InvalidRequest), with its reason and message:
   * "<object> for <by> <verb> (<reason>: <message>)".
   */
  protected failOnCondition(
    code: 'denied' | 'failed' | 'invalid-request',
    by: string,
    verb: string,
    condition: { readonly type: string; readonly reason?: string; readonly message?: string },
  ): void {
    const why = [condition.reason, condition.message].filter(Boolean).join(': ') || 'no reason given';
    this.fail(
      new CsrRuntimeError(code, `${this.describe} for ${by} ${verb} (${why})`, {
        ...this.errorOptions,
        condition: { type: condition.type, reason: condition.reason, message: condition.message },
      }),
    );
  }

  private abortedError(): CsrRuntimeError {
    return new CsrRuntimeError('aborted', `stopped waiting for ${this.describe}: aborted`, {
      ...this.errorOptions,
      cause: this.watchOptions.abortSignal?.reason,
    });
  }

  private deletedError(cause?: unknown): CsrRuntimeError {
    return new CsrRuntimeError(
      'api-error',
      `${this.describe} was deleted by someone else while waiting for its certificate`,
      { ...this.errorOptions, cause },
    );
  }

  /** Whether the wait has ended. */
  protected get isSettled(): boolean {
    return this.settled;
  }

  /** Ends the wait with the object. */
  protected succeed(object: T): void {
    this.settle(() => this.resolve(object));
  }

  /** Ends the wait with an error. */
  protected fail(error: CsrRuntimeError): void {
    this.settle(() => this.reject(error));
  }

  /**
   * The timeout fired: stop watching and polling, then end with {@link timeoutError}. A subclass that awaits
   * something else first (the caller's own approval) overrides it.
   */
  protected timedOut(): void {
    this.fail(this.timeoutError());
  }

  /** Stops the watch, the poll and any read in flight; observed states are ignored from now on. */
  protected stopWatching(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.restartTimer);
    this.watchController?.abort();
    this.reads.abort();
  }

  /** Takes an observed state: remembers its version and evaluates it, unless the wait has stopped. */
  protected observe(object: T, via: ObservedVia): void {
    if (this.stopped) return;
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    this.evaluate(object, via);
  }

  private settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching();
    this.watchOptions.abortSignal?.removeEventListener('abort', this.onAbort);
    this.watchOptions.timeoutSignal.removeEventListener('abort', this.onTimeout);
    report();
  }

  private readonly onAbort = (): void => this.fail(this.abortedError());

  private readonly onTimeout = (): void => {
    this.stopWatching();
    this.timedOut();
  };

  private async readOnce(): Promise<void> {
    let object: T;
    try {
      object = await this.read(this.reads.signal);
    } catch (error) {
      if (this.stopped) return;
      if (isNetworkError(error)) {
        this.lastNetworkError = error; // the server may be restarting: keep waiting until the timeout
        return;
      }
      const { kc, name } = this.watchOptions;
      this.fail(
        httpStatusOf(error) === 404
          ? this.deletedError(error)
          : CsrRuntimeError.isCsrRuntimeError(error)
            ? error.withContext(this.errorOptions)
            : toRuntimeError(error, `read ${this.describe}`, { kc, csrName: name, ...this.errorOptions }),
      );
      return;
    }
    this.lastNetworkError = undefined;
    this.observe(object, 'poll');
  }

  private onEvent(type: string, object: unknown, expired: { gone: boolean }): void {
    if (this.stopped) return;
    if (type === 'ERROR') {
      // A Status: 410 Gone means our resourceVersion is too old to watch from.
      expired.gone ||= (object as { code?: number }).code === 410;
      return;
    }
    this.restartDelayMs = FIRST_RESTART_DELAY_MS;
    const changed = object as T;
    if (type === 'BOOKMARK') {
      const version = changed.metadata?.resourceVersion;
      if (version) this.resourceVersion = version;
      return;
    }
    if (type === 'DELETED') return this.fail(this.deletedError());
    this.observe(changed, 'watch');
  }

  /** Re-establishes the watch after a drop, with backoff; from scratch (after a read) when the version expired. */
  private reconnect(needsRelist: boolean): void {
    if (this.stopped) return;
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
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
  }

  private startWatch(): void {
    if (this.stopped) return;
    const expired = { gone: false };
    const query = {
      fieldSelector: `metadata.name=${this.watchOptions.name}`,
      allowWatchBookmarks: true,
      timeoutSeconds: 300,
      resourceVersion: this.resourceVersion,
    };
    new Watch(this.watchOptions.kc)
      .watch(
        this.collectionPath,
        query,
        (type: string, object: unknown) => this.onEvent(type, object, expired),
        (error: unknown) => {
          if (error && isNetworkError(error)) this.lastNetworkError = error;
          const status = (error as { statusCode?: number } | null)?.statusCode;
          this.reconnect(expired.gone || status === 410);
        },
      )
      .then(
        (controller) => {
          this.watchController = controller;
          if (this.stopped) controller.abort();
        },
        (error: unknown) => {
          this.lastNetworkError = error;
          this.reconnect(false);
        },
      );
  }
}
