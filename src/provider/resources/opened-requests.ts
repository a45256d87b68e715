import type { OpenedCertificateSigningRequest } from '../../runtime/open.js';
import { errorDiagnostic, type Diagnostic } from '../values/diagnostics.js';
import { runtimeErrorDiagnostics, type DiagnosticFields } from './runtime-diagnostics.js';

/** What Close needs: the object's name, and whether Open managed to delete it. */
interface PrivateState {
  readonly name: string;
  readonly deleted: boolean;
}

function isRuntimeError(error: unknown): error is Parameters<typeof runtimeErrorDiagnostics>[0] {
  return error instanceof Error && error.name === 'CsrRuntimeError';
}

/**
 * The requests a type opened whose object Open could not delete, so that Close can retry. Open deletes the object
 * before it returns; this is the fallback for a deletion that failed (the API server restarting, say).
 */
export class OpenedRequests {
  private readonly pending = new Map<string, OpenedCertificateSigningRequest>();

  /** Remembers `opened` when its object still exists; returns the private bytes Terraform hands back to Close. */
  public remember(opened: OpenedCertificateSigningRequest): Buffer {
    if (!opened.deleted) this.pending.set(opened.csrName, opened);
    const state: PrivateState = { name: opened.csrName, deleted: opened.deleted };
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
