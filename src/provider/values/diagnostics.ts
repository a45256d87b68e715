/** The protocol's Diagnostic: what Terraform prints under "Error:" or "Warning:", pointing at an attribute. */
export interface Diagnostic {
  readonly severity: 1 | 2;
  readonly summary: string;
  readonly detail: string;
  readonly attribute?: { readonly steps: readonly { readonly attribute_name: string }[] };
}

function attributePath(path: string | undefined): Diagnostic['attribute'] {
  if (!path) return undefined;
  return { steps: path.split('.').map((name) => ({ attribute_name: name })) };
}

/** An error diagnostic; `path` is a Terraform attribute path such as `spec.signer_name`. */
export function errorDiagnostic(summary: string, detail: string, path?: string): Diagnostic {
  return { severity: 1, summary, detail, attribute: attributePath(path) };
}

/** A warning diagnostic; `path` is a Terraform attribute path such as `spec.usages`. */
export function warningDiagnostic(summary: string, detail: string, path?: string): Diagnostic {
  return { severity: 2, summary, detail, attribute: attributePath(path) };
}

/** True when any diagnostic is an error. */
export function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 1);
}
