import { CsrRuntimeError } from './errors.js';

/**
 * The deletion of one object that open created: done once on the way out of open (success or failure), then
 * retried by Terraform's Close when it failed. Safe to close more than once.
 */
export class ObjectCleanup {
  private done = false;
  private failure: CsrRuntimeError | undefined;

  public constructor(
    /** Deletes the object; returns the failure instead of throwing it. */
    private readonly remove: () => Promise<CsrRuntimeError | undefined>,
    /** Called when the first deletion succeeds, for progress output. */
    private readonly onDeleted: () => void = () => undefined,
  ) {}

  /** Whether the object has been deleted. */
  public get deleted(): boolean {
    return this.done;
  }

  /** The last deletion failure, while the object is not deleted. */
  public get cleanupError(): CsrRuntimeError | undefined {
    return this.failure;
  }

  /** The deletion on the way out of open; returns its failure. */
  public async run(): Promise<CsrRuntimeError | undefined> {
    this.failure = await this.remove();
    this.done = !this.failure;
    if (this.done) this.onDeleted();
    return this.failure;
  }

  /** Terraform's Close: deletes the object if open could not. @throws CsrRuntimeError when it fails again */
  public async close(): Promise<void> {
    if (this.done) return;
    const error = await this.remove();
    if (error) {
      this.failure = error;
      throw error;
    }
    this.done = true;
    this.failure = undefined;
  }
}

/**
 * Runs open's steps after the object was created, and deletes the object on every path: success, error, timeout
 * and abort. `steps` gets a signal that ends its waits when it fails for another reason (e.g. the approval), so no
 * watch or poll outlives the call. A failure that is not a CsrRuntimeError is worded by `toFailure`; a failed
 * deletion is added to the failure as its clean-up note.
 */
export async function runThenDelete<R>(
  steps: (stopWaiting: AbortSignal) => Promise<R>,
  cleanup: ObjectCleanup,
  toFailure: (error: unknown) => CsrRuntimeError,
): Promise<R> {
  const stopWaiting = new AbortController();
  let result: R;
  try {
    result = await steps(stopWaiting.signal);
  } catch (error) {
    stopWaiting.abort();
    const failure = CsrRuntimeError.isCsrRuntimeError(error) ? error : toFailure(error);
    const cleanupError = await cleanup.run();
    throw cleanupError ? failure.withCleanupError(cleanupError) : failure;
  }
  await cleanup.run();
  return result;
}
