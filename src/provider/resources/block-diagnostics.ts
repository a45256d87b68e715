import { errorDiagnostic, type Diagnostic } from '../values/diagnostics.js';
import type { TerraformObject } from '../values/dynamic-value.js';

/** A required block (`metadata`, `spec`, ...) is null; `hint` says what to add. */
export function missingBlock(path: string, hint: string): Diagnostic {
  return errorDiagnostic(`Missing ${path} block`, hint, path);
}

/**
 * Open was given a configuration the rules could not check wholly: Terraform opens known configurations only, so this
 * guards against a value still unknown.
 */
export function notKnownAtOpen(): Diagnostic {
  return errorDiagnostic('Configuration not known at open', 'A value of metadata or spec is still unknown.');
}

/**
 * The `metadata` rule every type that creates a named object shares: `name` and `generate_name` exclude each other.
 * Empty when the block is absent or sets at most one of them.
 */
export function nameConflictDiagnostics(metadata: TerraformObject | undefined): Diagnostic[] {
  if (!metadata || metadata.name === null || metadata.generate_name === null) return [];
  return [
    errorDiagnostic(
      'Conflicting metadata.name and metadata.generate_name',
      'Set one: name (fails if taken) or generate_name (a prefix the API server completes).',
      'metadata.generate_name',
    ),
  ];
}
