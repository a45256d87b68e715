import { errorDiagnostic, type Diagnostic } from '../values/diagnostics.js';
import { isRuntimeError, runtimeErrorDiagnostics, type DiagnosticFields } from './runtime-diagnostics.js';

/** What Close needs: the object's name, and whether Open managed to delete it. */
interface PrivateState {
  readonly name: string;
  readonly deleted: boolean;
}

/** What the runtime's open functions return, as much as Close needs. */
export interface OpenedRequest {
  readonly deleted: boolean;
  close(): Promise<void>;
}

/**
 * The requests a type opened whose object Open could not delete, so that Close can retry. Open deletes the object
 * before it returns; this is the fallback for a deletion that failed (the API server restarting, say).
 */
export class OpenedRequests {
  private readonly pending = new Map<string, OpenedRequest>();

  /**
   * Remembers `opened` when its object still exists; returns the private bytes Terraform hands back to Close.
   * `name` identifies the object (namespace/name for a namespaced one).
   */
  public remember(name: string, opened: OpenedRequest): Buffer {
    if (!opened.deleted) this.pending.set(name, opened);
    const state: PrivateState = { name, deleted: opened.deleted };
    return Buffer.from(JSON.stringify(state));
  }

  /** Terraform's Close: deletes the object if Open could not. */
  public async close(privateData: Buffer | undefined, fields?: DiagnosticFields): Promise<readonly Diagnostic[]> {
    if (!privateData || privateData.length === 0) return [];
    const state = JSON.parse(privateData.toString('utf8')) as PrivateState;
    const opened = this.pending.get(state.name);
    if (state.deleted || !opened) return [];
    try {
      await opened.close();
      this.pending.delete(state.name);
      return [];
    } catch (error) {
      return isRuntimeError(error)
        ? runtimeErrorDiagnostics(error, fields)
        : [errorDiagnostic('Close failed', String(error))];
    }
  }
}
