import assert from 'node:assert/strict';
import { PkiError } from '../../../src/pki/index.js';
import type { PkiErrorCode } from '../../../src/pki/index.js';

/** An assert.throws/rejects validator: a PkiError with `code` whose message matches `pattern`. */
export function expectPkiError(code: PkiErrorCode, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(PkiError.isPkiError(error), `expected a PkiError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}
