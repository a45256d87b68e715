/**
 * The entry points that check a cert-manager CertificateRequest ({@link CertManagerRequestSpecDraft}) against the
 * CertificateSigningRequest rules that apply to it and cert-manager's own (cert-manager.ts), and brand what passed.
 */
import { parseCertificateRequest } from '../pki/index.js';
import type { ParsedCertificateRequest } from '../pki/index.js';
import { CERT_MANAGER_RULES, SHARED_CSR_RULE_IDS } from './cert-manager.js';
import type { CertManagerInputKey, CertManagerRequestInput, CertManagerRuleContext } from './cert-manager.js';
import { CERT_MANAGER_TERRAFORM_FIELD_NAMES } from './cert-manager-request.js';
import type { CertManagerField, CertManagerRequestSpec, CertManagerRequestSpecDraft } from './cert-manager-request.js';
import { describeValue } from './describe.js';
import { parseGoDuration } from './duration.js';
import { evaluateRules } from './engine.js';
import type { SpecViolation } from './engine.js';
import { inputReader } from './inputs.js';
import { describeRequest, throwOnErrors, validateCsr } from './validate.js';
import { brandValidatedCertManagerRequest } from './validated-cert-manager-request.js';
import type { ValidatedCertManagerRequest } from './validated-cert-manager-request.js';

/** Options of {@link validateCertManagerRequest}. */
export interface ValidateCertManagerRequestOptions {
  /**
   * Tells whether a value is not known yet (e.g. a cdktf token); rules that need such a value are skipped.
   * @default - every value is treated as resolved
   */
  readonly isUnresolved?: (value: unknown) => boolean;
  /**
   * The names the caller's users know the fields by, when they are not the API paths (e.g. a CLI's flags): used in
   * the shared rules' fixes and as {@link SpecViolation.terraformField}, as validateCsr's `fieldNames`.
   * @default - the API paths, `CERT_MANAGER_TERRAFORM_FIELD_NAMES` as terraformField
   */
  readonly fieldNames?: Partial<Readonly<Record<CertManagerField, string>>>;
}

/** Options of {@link assertValidCertManagerRequest} and {@link toValidatedCertManagerRequest}. */
export interface AssertValidCertManagerRequestOptions extends ValidateCertManagerRequestOptions {
  /**
   * What is being validated, for the first line of the error message (e.g. a construct path).
   * @default - no subject in the message
   */
  readonly subject?: string;
}

/** What {@link checkCertManagerRequest} found. */
export interface CertManagerRequestCheck {
  /** Every violation, errors and warnings; empty when the request is fine. */
  readonly violations: SpecViolation<CertManagerField>[];
  /**
   * The request, branded as validated with its parsed CSR: present when there is no error and every value is known
   * (nothing was skipped as unresolved).
   */
  readonly validated?: ValidatedCertManagerRequest;
}

/** The flat view of a draft the rule context is built from. */
function flatten({ metadata, spec }: CertManagerRequestSpecDraft): CertManagerRequestInput {
  return {
    name: metadata?.name,
    generateName: metadata?.generateName,
    namespace: metadata?.namespace,
    request: spec?.request,
    issuerName: spec?.issuerRef?.name,
    issuerKind: spec?.issuerRef?.kind,
    issuerGroup: spec?.issuerRef?.group,
    duration: spec?.duration,
    usages: spec?.usages,
    isCA: spec?.isCA,
  };
}

function buildContext(
  input: CertManagerRequestInput,
  options: ValidateCertManagerRequestOptions,
): CertManagerRuleContext {
  const { take, takeList, takeText, unresolved } = inputReader<CertManagerInputKey>(options.isUnresolved);
  const usages = takeList('usages', input.usages);
  const request = takeText('request', input.request);
  let parsed: ParsedCertificateRequest | undefined;
  try {
    parsed = request === undefined ? undefined : parseCertificateRequest(request);
  } catch {
    parsed = undefined; // the shared request-parse rule reports why
  }
  const duration = take('duration', input.duration);
  const parsedDuration = duration === undefined ? undefined : parseGoDuration(duration);
  return {
    name: take('name', input.name),
    generateName: take('generateName', input.generateName),
    namespace: take('namespace', input.namespace),
    request,
    issuerName: take('issuerName', input.issuerName),
    issuerKind: take('issuerKind', input.issuerKind),
    issuerGroup: take('issuerGroup', input.issuerGroup),
    duration,
    durationMs: parsedDuration && 'ms' in parsedDuration ? parsedDuration.ms : undefined,
    durationProblem: parsedDuration && 'problem' in parsedDuration ? parsedDuration.problem : undefined,
    usages,
    isCA: take('isCA', input.isCA),
    parsed,
    unresolved,
  };
}

const FIELD_INPUT: Readonly<Record<CertManagerField, CertManagerInputKey>> = {
  'metadata.name': 'name',
  'metadata.generateName': 'generateName',
  'metadata.namespace': 'namespace',
  'spec.request': 'request',
  'spec.issuerRef.name': 'issuerName',
  'spec.issuerRef.kind': 'issuerKind',
  'spec.issuerRef.group': 'issuerGroup',
  'spec.duration': 'duration',
  'spec.usages': 'usages',
  'spec.isCA': 'isCA',
};

function isCertManagerField(field: string): field is CertManagerField {
  return field in FIELD_INPUT;
}

function evaluate(
  input: CertManagerRequestInput,
  options: ValidateCertManagerRequestOptions,
): { c: CertManagerRuleContext; violations: SpecViolation<CertManagerField>[] } {
  const shared = validateCsr(
    {
      metadata: { name: input.name, generateName: input.generateName },
      spec: { request: input.request, usages: input.usages },
    },
    { isUnresolved: options.isUnresolved, fieldNames: options.fieldNames },
  ).flatMap((v) =>
    SHARED_CSR_RULE_IDS.includes(v.rule) && isCertManagerField(v.field) ? [{ ...v, field: v.field }] : [],
  );
  const c = buildContext(input, options);
  const own = evaluateRules(CERT_MANAGER_RULES, c, {
    terraformFieldNames: { ...CERT_MANAGER_TERRAFORM_FIELD_NAMES, ...options.fieldNames },
    available: (context, need) =>
      need === 'parsed' ? context.parsed !== undefined : !context.unresolved.has(need) && context[need] !== undefined,
    received: (_c, field) => {
      const key = FIELD_INPUT[field];
      return key === 'request' ? describeRequest(input.request) : describeValue(input[key]);
    },
  });
  return { c, violations: [...shared, ...own] };
}

/**
 * Checks a cert-manager CertificateRequest against the CertificateSigningRequest rules that apply to it too (name,
 * request, usages: `SHARED_CSR_RULE_IDS`) and cert-manager's own (`CERT_MANAGER_RULES`). Returns every
 * violation, empty when the request is fine. Values for which `options.isUnresolved` returns true are skipped.
 */
export function validateCertManagerRequest(
  request: CertManagerRequestSpecDraft,
  options: ValidateCertManagerRequestOptions = {},
): SpecViolation<CertManagerField>[] {
  return evaluate(flatten(request), options).violations;
}

/**
 * Like {@link validateCertManagerRequest}, but throws a {@link CsrSpecError} listing the errors when there is any,
 * and returns the warnings otherwise. Accepts unresolved values (see {@link toValidatedCertManagerRequest} for a
 * request that is wholly known).
 */
export function assertValidCertManagerRequest(
  request: CertManagerRequestSpecDraft,
  options: AssertValidCertManagerRequestOptions = {},
): SpecViolation<CertManagerField>[] {
  return throwOnErrors(validateCertManagerRequest(request, options), {
    subject: options.subject,
    kind: 'cert-manager CertificateRequest',
  });
}

/**
 * {@link validateCertManagerRequest}, and the {@link ValidatedCertManagerRequest} to open when the request passed:
 * for callers that report the violations in their own words (the provider's diagnostics, the CLI's flags) and then
 * open what they checked.
 */
export function checkCertManagerRequest(
  request: CertManagerRequestSpecDraft,
  options: ValidateCertManagerRequestOptions = {},
): CertManagerRequestCheck {
  const { c, violations } = evaluate(flatten(request), options);
  const passed = c.unresolved.size === 0 && c.parsed !== undefined && violations.every((v) => v.severity !== 'error');
  if (!passed) return { violations };
  const warnings = violations.filter((v) => v.severity === 'warning');
  // Every rule passed with every value known, so metadata.namespace, spec.request and spec.issuerRef.name are set:
  // the draft is a whole CertManagerRequestSpec.
  return {
    violations,
    validated: brandValidatedCertManagerRequest(request as CertManagerRequestSpec, c.parsed, warnings),
  };
}

/**
 * Validates a wholly known cert-manager CertificateRequest (the rules read its CSR) and returns it branded, so that
 * `openCertificateRequest` opens it without validating or parsing it again.
 *
 * @throws CsrSpecError listing every error
 */
export function toValidatedCertManagerRequest(
  request: CertManagerRequestSpec,
  options: Omit<AssertValidCertManagerRequestOptions, 'isUnresolved'> = {},
): ValidatedCertManagerRequest {
  const { violations, validated } = checkCertManagerRequest(request, options);
  throwOnErrors(violations, { subject: options.subject, kind: 'cert-manager CertificateRequest' });
  if (validated === undefined) {
    // Unreachable: a request that does not parse breaks rule request-parse, an error thrown above.
    throw new Error('toValidatedCertManagerRequest: spec.request passed the rules but was not parsed');
  }
  return validated;
}
