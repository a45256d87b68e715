/**
 * The rule engine shared by every rule table of this folder: a rule is data ({ rule, field, needs, when, check,
 * message, allowed, fix }), and one loop turns the broken ones into violations whose message names the field, the
 * value received, what is allowed and how to fix it.
 */

/** `error`: the API server or signer would refuse or never sign it. `warning`: it would be signed but is likely wrong. */
export type Severity = 'error' | 'warning';

/** One broken rule. `F` is the set of field paths of the object the rules are about. */
export interface SpecViolation<F extends string = string> {
  /** Machine-readable rule id, e.g. `usages-valid`. */
  readonly rule: string;
  /** Whether the API/signer refuses it (`error`) or it is only suspicious (`warning`). */
  readonly severity: Severity;
  /** Kubernetes API path of the field (same as the camelCase construct prop path). */
  readonly field: F;
  /** Terraform attribute path of the field. */
  readonly terraformField: string;
  /** Safe description of the value received (PEM and key material are never echoed). */
  readonly received: string;
  /** What is wrong, lowercase. */
  readonly problem: string;
  /** What is allowed. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
  /** One line with all of the above. */
  readonly message: string;
}

/**
 * A rule as data: it runs only when everything in `needs` is available, and fails when `check` returns false.
 * `F` is the field type, `C` what the rule sees, `N` what it may need.
 */
export interface Rule<F extends string, C, N extends string> {
  /** Machine-readable rule id. */
  readonly rule: string;
  /** The field reported. */
  readonly field: F;
  /** @default 'error' */
  readonly severity?: Severity;
  /** What must be available for the rule to run. */
  readonly needs: readonly N[];
  /** Extra applicability condition. @default - always applies */
  readonly when?: (c: C) => boolean;
  /** True when the input satisfies the rule. */
  readonly check: (c: C) => boolean;
  /** What is wrong, lowercase. */
  readonly message: (c: C) => string;
  /** What is allowed. */
  readonly allowed: string | ((c: C) => string);
  /** How to fix it. */
  readonly fix: string | ((c: C) => string);
  /** Description of the value received. @default - the field's value, described by the rule set */
  readonly received?: (c: C) => string;
}

/** How a rule table reads its context: what is available, how a field's value is described, its Terraform name. */
export interface RuleSetAdapter<F extends string, C, N extends string> {
  /** The Terraform (HCL/JSON) attribute path of each field. */
  readonly terraformFieldNames: Readonly<Record<F, string>>;
  /** Whether what a rule needs is there (resolved, parsed...). */
  readonly available: (c: C, need: N) => boolean;
  /** A safe description of a field's value, for "received ...". */
  readonly received: (c: C, field: F) => string;
}

function resolveText<C>(text: string | ((c: C) => string), c: C): string {
  return typeof text === 'function' ? text(c) : text;
}

/** Runs `rules` in order and returns a violation for each one that applies and fails. */
export function evaluateRules<F extends string, C, N extends string>(
  rules: readonly Rule<F, C, N>[],
  c: C,
  adapter: RuleSetAdapter<F, C, N>,
): SpecViolation<F>[] {
  const violations: SpecViolation<F>[] = [];
  for (const rule of rules) {
    if (!rule.needs.every((need) => adapter.available(c, need))) continue;
    if (rule.when && !rule.when(c)) continue;
    if (rule.check(c)) continue;
    const terraformField = adapter.terraformFieldNames[rule.field];
    const label = terraformField === rule.field ? rule.field : `${rule.field} (terraform: ${terraformField})`;
    const problem = rule.message(c);
    const received = rule.received ? rule.received(c) : adapter.received(c, rule.field);
    const allowed = resolveText(rule.allowed, c);
    const fix = resolveText(rule.fix, c);
    const severity = rule.severity ?? 'error';
    violations.push({
      rule: rule.rule,
      severity,
      field: rule.field,
      terraformField,
      received,
      problem,
      allowed,
      fix,
      message: `${severity === 'warning' ? 'warning: ' : ''}${label}: ${problem}; received ${received}; allowed: ${allowed}; fix: ${fix}`,
    });
  }
  return violations;
}
