import { parseCertificateRequest } from '../pki/index.js';
import type { ParsedCertificateRequest } from '../pki/index.js';
import { containsPrivateKey, describeValue, redactPem } from './describe.js';
import { CsrSpecError } from './errors.js';
import type { CsrSpecErrorOptions } from './errors.js';
import { MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS, TERRAFORM_FIELD_NAMES } from './csr-spec.js';
import type { CsrField, CsrSpec, CsrSpecDraft } from './csr-spec.js';
import {
  dns1123SubdomainProblems,
  generateNamePrefixProblems,
  isKubernetesSignerName,
  signerNameProblems,
} from './names.js';
import { LEGACY_UNKNOWN_SIGNER, KUBE_APISERVER_CLIENT_SIGNER, WELL_KNOWN_SIGNERS, wellKnownSigner } from './signers.js';
import type { SignerProfile } from './signers.js';
import { evaluateRules } from './engine.js';
import type { Rule, SpecViolation } from './engine.js';
import { inputReader, toText } from './inputs.js';
import { KEY_USAGES, isKeyUsage } from './usages.js';
import { brandValidatedCsr } from './validated-csr.js';
import type { ValidatedCsr } from './validated-csr.js';

/**
 * The fields of a {@link CsrSpecDraft} the rules look at, flat, as the rule tables read them. Any field may be absent
 * or an unresolved token.
 */
export interface CsrSpecInput {
  /**
   * metadata.name (Terraform `metadata.name`).
   * @default - not set
   */
  readonly name?: string;
  /**
   * metadata.generateName (Terraform `metadata.generate_name`), for callers that support it.
   * @default - not set
   */
  readonly generateName?: string;
  /**
   * spec.request (Terraform `spec.request`): the PEM "CERTIFICATE REQUEST" text.
   * @default - not set
   */
  readonly request?: string | Uint8Array;
  /**
   * spec.signerName (Terraform `spec.signer_name`).
   * @default - not set
   */
  readonly signerName?: string;
  /**
   * spec.expirationSeconds (Terraform `spec.expiration_seconds`).
   * @default - not set (the signer picks the duration)
   */
  readonly expirationSeconds?: number;
  /**
   * spec.usages (Terraform `spec.usages`).
   * @default - not set
   */
  readonly usages?: readonly string[];
}

/** Options of {@link validateCsr}. */
export interface ValidateCsrOptions {
  /**
   * Tells whether a value is not known yet (e.g. a cdktf token); rules that need such a value are skipped.
   * @default - every value is treated as resolved
   */
  readonly isUnresolved?: (value: unknown) => boolean;
  /**
   * Parse spec.request with the PKI module and apply the rules that need its content (signature, subject, SANs).
   * @default true
   */
  readonly parseRequest?: boolean;
  /**
   * The names the caller's users know the fields by, when they are not the Kubernetes API paths: e.g. the attributes
   * of a Terraform type that builds the request itself (`spec.usages` set by `usages`). Used in the fixes and as
   * {@link SpecViolation.terraformField}.
   * @default - the API paths in messages, {@link TERRAFORM_FIELD_NAMES} as terraformField
   */
  readonly fieldNames?: Partial<Readonly<Record<CsrField, string>>>;
}

type InputKey = 'name' | 'generateName' | 'request' | 'signerName' | 'expirationSeconds' | 'usages';

/** Something a rule needs before it can run: a resolved input value, the parsed request, or a well-known signer. */
export type RuleNeed = InputKey | 'parsed' | 'profile';

/** What a rule sees. Values that are unresolved are listed in `unresolved` and left undefined here. */
export interface RuleContext {
  /** metadata.name, when given and resolved. */
  readonly name?: string;
  /** metadata.generateName, when given and resolved. */
  readonly generateName?: string;
  /** spec.request as text, when given and resolved. */
  readonly request?: string;
  /** spec.signerName, when given and resolved. */
  readonly signerName?: string;
  /** spec.expirationSeconds, when given and resolved. */
  readonly expirationSeconds?: number;
  /** spec.usages, when given and every entry is resolved. */
  readonly usages?: readonly string[];
  /** The parsed request, when it could be parsed. */
  readonly parsed?: ParsedCertificateRequest;
  /** Why the request could not be parsed, when it could not. */
  readonly parseError?: { readonly code: string; readonly message: string };
  /** The well-known signer profile for signerName, if any. */
  readonly profile?: SignerProfile;
  /** Inputs that were given but are not known yet. */
  readonly unresolved: ReadonlySet<InputKey>;
  /** The name of a field in messages: the caller's name for it (options.fieldNames), else its API path. */
  readonly fieldName: (field: CsrField) => string;
}

/** A rule of a CertificateSigningRequest spec, as data (see {@link Rule}). */
export type SpecRule = Rule<CsrField, RuleContext, RuleNeed>;

const FIELD_INPUT: Readonly<Record<CsrField, InputKey>> = {
  'metadata.name': 'name',
  'metadata.generateName': 'generateName',
  'spec.request': 'request',
  'spec.signerName': 'signerName',
  'spec.expirationSeconds': 'expirationSeconds',
  'spec.usages': 'usages',
};

const q = (v: unknown): string => JSON.stringify(v);
const list = (values: readonly string[]): string => values.map((v) => q(v)).join(', ');
const given = (c: RuleContext, key: InputKey): boolean => c.unresolved.has(key) || c[key] !== undefined;

function usagesOf(c: RuleContext): readonly string[] {
  return c.usages ?? [];
}

function subjectOf(c: RuleContext): { cn: string; orgs: readonly string[] } {
  return { cn: c.parsed?.subject.commonName ?? '', orgs: c.parsed?.subject.organizations ?? [] };
}

function sansOf(c: RuleContext): { dns: number; ip: number; uri: number; email: number } {
  const s = c.parsed?.subjectAltNames;
  return {
    dns: s?.dnsNames.length ?? 0,
    ip: s?.ipAddresses.length ?? 0,
    uri: s?.uris.length ?? 0,
    email: s?.emailAddresses.length ?? 0,
  };
}

/** Valid API usages the signer does not permit (invalid spellings are reported by usages-valid only). */
function refusedUsages(c: RuleContext): string[] {
  const permitted: readonly string[] = c.profile?.permittedUsages ?? [];
  return [...new Set(usagesOf(c))].filter((u) => isKeyUsage(u) && !permitted.includes(u));
}

const describeSubject = (c: RuleContext): string => {
  const { cn, orgs } = subjectOf(c);
  return `CSR subject O=${q(orgs)}, CN=${q(cn)}`;
};

const describeSans = (c: RuleContext): string => {
  const s = c.parsed?.subjectAltNames;
  if (!s) return 'CSR without subjectAltNames';
  const parts = [
    ...s.dnsNames.map((n) => `DNS:${n}`),
    ...s.ipAddresses.map((n) => `IP:${n}`),
    ...s.uris.map((n) => `URI:${n}`),
    ...s.emailAddresses.map((n) => `email:${n}`),
  ];
  return parts.length === 0 ? 'CSR without subjectAltNames' : `CSR subjectAltNames ${q(parts)}`;
};

/** Rules on metadata and spec fields that apply whatever the signer. */
export const FIELD_RULES: readonly SpecRule[] = [
  {
    rule: 'name-required',
    field: 'metadata.name',
    needs: [],
    check: (c) => given(c, 'name') || given(c, 'generateName'),
    message: () => 'a CertificateSigningRequest needs a name',
    allowed: 'a DNS-1123 subdomain such as "my-client-cert"',
    fix: (c) => `set ${c.fieldName('metadata.name')}`,
  },
  {
    rule: 'name-dns-subdomain',
    field: 'metadata.name',
    needs: ['name'],
    check: (c) => dns1123SubdomainProblems(c.name ?? '').length === 0,
    message: (c) => dns1123SubdomainProblems(c.name ?? '').join(' and '),
    allowed:
      "a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', alphanumeric at both ends",
    fix: 'use lowercase letters, digits and \'-\' only, e.g. "alice-client"',
  },
  {
    rule: 'generate-name-prefix',
    field: 'metadata.generateName',
    needs: ['generateName'],
    check: (c) => generateNamePrefixProblems(c.generateName ?? '').length === 0,
    message: (c) => generateNamePrefixProblems(c.generateName ?? '').join(' and '),
    allowed: "a DNS-1123 subdomain prefix; one trailing '-' is allowed (Kubernetes keeps the first 58 characters)",
    fix: 'use a prefix such as "alice-client-"',
  },
  {
    rule: 'signer-name-required',
    field: 'spec.signerName',
    needs: [],
    check: (c) => c.unresolved.has('signerName') || (c.signerName ?? '') !== '',
    message: () => 'is required by certificates.k8s.io/v1',
    allowed: `a qualified name such as ${q(KUBE_APISERVER_CLIENT_SIGNER)} or "example.com/my-signer"`,
    fix: (c) =>
      `set ${c.fieldName('spec.signerName')}, e.g. ${q(KUBE_APISERVER_CLIENT_SIGNER)} for a kube-apiserver client certificate`,
  },
  {
    rule: 'signer-name-legacy-unknown',
    field: 'spec.signerName',
    needs: ['signerName'],
    check: (c) => c.signerName !== LEGACY_UNKNOWN_SIGNER,
    message: () =>
      `${q(LEGACY_UNKNOWN_SIGNER)} is not allowed via certificates.k8s.io/v1 (the API server rejects it; it existed only in v1beta1)`,
    allowed: `one of ${list(Object.keys(WELL_KNOWN_SIGNERS))} or a custom signer name`,
    fix: `pick the signer that issues what you need, e.g. ${q(KUBE_APISERVER_CLIENT_SIGNER)} for client certificates`,
  },
  {
    rule: 'signer-name-format',
    field: 'spec.signerName',
    needs: ['signerName'],
    when: (c) => c.signerName !== '' && c.signerName !== LEGACY_UNKNOWN_SIGNER,
    check: (c) => signerNameProblems(c.signerName ?? '').length === 0,
    message: (c) => signerNameProblems(c.signerName ?? '').join('; '),
    allowed:
      "a qualified name 'domain/path': a domain of at least two DNS labels, one '/', then DNS-1123 subdomains separated by '.'",
    fix: 'write it like "example.com/my-signer"',
  },
  {
    rule: 'signer-name-unknown-kubernetes-io',
    field: 'spec.signerName',
    severity: 'warning',
    needs: ['signerName'],
    when: (c) =>
      c.signerName !== LEGACY_UNKNOWN_SIGNER &&
      signerNameProblems(c.signerName ?? '').length === 0 &&
      isKubernetesSignerName(c.signerName ?? ''),
    check: (c) => wellKnownSigner(c.signerName ?? '') !== undefined,
    message: () =>
      'signer names under kubernetes.io are reserved and kube-controller-manager does not sign this one; the request would wait until it times out',
    allowed: `one of ${list(Object.keys(WELL_KNOWN_SIGNERS))}, or a signer a controller in your cluster implements`,
    fix: 'check the spelling of the signer name',
  },
  {
    rule: 'expiration-integer',
    field: 'spec.expirationSeconds',
    needs: ['expirationSeconds'],
    check: (c) => Number.isInteger(c.expirationSeconds),
    message: () => 'must be a whole number of seconds',
    allowed: `an integer from ${MIN_EXPIRATION_SECONDS} to ${MAX_EXPIRATION_SECONDS}`,
    fix: (c) => `round it, e.g. ${Math.max(MIN_EXPIRATION_SECONDS, Math.round(c.expirationSeconds ?? 0))}`,
  },
  {
    rule: 'expiration-range',
    field: 'spec.expirationSeconds',
    needs: ['expirationSeconds'],
    when: (c) => Number.isInteger(c.expirationSeconds),
    check: (c) =>
      (c.expirationSeconds ?? 0) >= MIN_EXPIRATION_SECONDS && (c.expirationSeconds ?? 0) <= MAX_EXPIRATION_SECONDS,
    message: (c) =>
      (c.expirationSeconds ?? 0) < MIN_EXPIRATION_SECONDS
        ? 'may not be less than 600 seconds (10 minutes)'
        : 'does not fit the API field (an int32)',
    allowed: `an integer from ${MIN_EXPIRATION_SECONDS} to ${MAX_EXPIRATION_SECONDS} (signers may still issue a shorter duration)`,
    fix: (c) =>
      (c.expirationSeconds ?? 0) < MIN_EXPIRATION_SECONDS
        ? 'use at least 600, or leave it unset to get the signer default'
        : `use at most ${MAX_EXPIRATION_SECONDS}, or leave it unset to get the signer default`,
  },
  {
    rule: 'usages-required',
    field: 'spec.usages',
    needs: [],
    check: (c) => c.unresolved.has('usages') || usagesOf(c).length > 0,
    message: () => 'must list at least one key usage (certificates.k8s.io/v1 requires it)',
    allowed: `values from: ${list(KEY_USAGES)}`,
    fix: (c) =>
      `set ${c.fieldName('spec.usages')}, e.g. ["client auth"] for a client certificate or ["server auth"] for a serving certificate`,
  },
  {
    rule: 'usages-valid',
    field: 'spec.usages',
    needs: ['usages'],
    check: (c) => usagesOf(c).every((u) => isKeyUsage(u)),
    message: (c) => `unsupported key usage ${list(usagesOf(c).filter((u) => !isKeyUsage(u)))}`,
    allowed: `values from: ${list(KEY_USAGES)}`,
    fix: 'use the exact lowercase spelling with spaces, e.g. "client auth" rather than "clientAuth" or "client_auth"',
  },
  {
    rule: 'usages-unique',
    field: 'spec.usages',
    needs: ['usages'],
    check: (c) => new Set(usagesOf(c)).size === usagesOf(c).length,
    message: (c) =>
      `duplicate key usage ${list([...new Set(usagesOf(c).filter((u, i, all) => all.indexOf(u) !== i))])}`,
    allowed: 'each usage at most once',
    fix: 'remove the repeated entries',
  },
  {
    rule: 'request-required',
    field: 'spec.request',
    needs: [],
    check: (c) => c.unresolved.has('request') || (c.request ?? '').trim() !== '',
    message: () => 'is required',
    allowed: 'a PEM "CERTIFICATE REQUEST" block (PKCS#10)',
    fix: 'create a CSR from your private key (e.g. createCertificateRequest, or openssl req -new) and pass its PEM text',
  },
  {
    rule: 'request-not-private-key',
    field: 'spec.request',
    needs: ['request'],
    check: (c) => !containsPrivateKey(c.request ?? ''),
    message: () => 'contains a private key; a private key must never go into the configuration',
    allowed: 'only a PEM "CERTIFICATE REQUEST" block',
    fix: 'pass the CSR made from the key instead, and keep the key in a file outside cdktf.out (rotate it: it may have leaked)',
  },
  {
    rule: 'request-parse',
    field: 'spec.request',
    needs: ['request'],
    when: (c) => (c.request ?? '').trim() !== '' && !containsPrivateKey(c.request ?? ''),
    check: (c) => c.parseError === undefined,
    message: (c) => `is not a usable CSR (${c.parseError?.code ?? 'unknown'}: ${c.parseError?.message ?? ''})`,
    allowed: 'a PEM "CERTIFICATE REQUEST" block (PKCS#10, RFC 2986) with an RSA, ECDSA or Ed25519 key',
    fix: 'pass the full PEM text including the BEGIN/END lines, e.g. from createCertificateRequest or openssl req -new',
  },
  {
    rule: 'request-signature',
    field: 'spec.request',
    needs: ['parsed'],
    check: (c) => c.parsed?.signatureValid === true,
    message: () => 'the CSR signature does not verify against its own public key (corrupted or edited CSR)',
    allowed: 'a CSR signed by the private key it carries',
    fix: 'create the CSR again from the private key',
  },
];

/** Rules of the well-known kube-controller-manager signers, built from {@link WELL_KNOWN_SIGNERS}. */
export const SIGNER_RULES: readonly SpecRule[] = [
  {
    rule: 'signer-required-usages',
    field: 'spec.usages',
    needs: ['signerName', 'profile', 'usages'],
    check: (c) => (c.profile?.requiredUsages ?? []).every((u) => usagesOf(c).includes(u)),
    message: (c) =>
      `signer ${q(c.signerName)} requires usage ${list((c.profile?.requiredUsages ?? []).filter((u) => !usagesOf(c).includes(u)))}`,
    allowed: (c) =>
      `usages including ${list(c.profile?.requiredUsages ?? [])}, drawn from ${list(c.profile?.permittedUsages ?? [])}`,
    fix: (c) => `use ${c.fieldName('spec.usages')} = ${q(c.profile?.suggestedUsages ?? [])}`,
  },
  {
    rule: 'signer-permitted-usages',
    field: 'spec.usages',
    needs: ['signerName', 'profile', 'usages'],
    check: (c) => refusedUsages(c).length === 0,
    message: (c) => `signer ${q(c.signerName)} refuses usage ${list(refusedUsages(c))}`,
    allowed: (c) => `only ${list(c.profile?.permittedUsages ?? [])}`,
    fix: (c) => `use ${c.fieldName('spec.usages')} = ${q(c.profile?.suggestedUsages ?? [])}`,
  },
  {
    rule: 'signer-organizations',
    field: 'spec.request',
    needs: ['signerName', 'profile', 'parsed'],
    when: (c) => c.profile?.organizations !== undefined,
    check: (c) => q(subjectOf(c).orgs) === q(c.profile?.organizations),
    message: (c) =>
      `signer ${q(c.signerName)} requires the CSR subject organizations to be exactly ${q(c.profile?.organizations)}`,
    received: describeSubject,
    allowed: (c) => `subject O=${q(c.profile?.organizations)}`,
    fix: (c) => `create the CSR with O=${(c.profile?.organizations ?? []).join(', ')} and no other organization`,
  },
  {
    rule: 'signer-common-name-prefix',
    field: 'spec.request',
    needs: ['signerName', 'profile', 'parsed'],
    when: (c) => c.profile?.commonNamePrefix !== undefined,
    check: (c) => subjectOf(c).cn.startsWith(c.profile?.commonNamePrefix ?? ''),
    message: (c) =>
      `signer ${q(c.signerName)} requires the CSR common name to start with ${q(c.profile?.commonNamePrefix)}`,
    received: describeSubject,
    allowed: (c) => `CN=${c.profile?.commonNamePrefix ?? ''}<node name>`,
    fix: (c) => `create the CSR with CN=${c.profile?.commonNamePrefix ?? ''}<node name>`,
  },
  {
    rule: 'signer-sans-forbidden',
    field: 'spec.request',
    needs: ['signerName', 'profile', 'parsed'],
    when: (c) => c.profile?.subjectAltNames === 'forbidden',
    check: (c) => Object.values(sansOf(c)).every((n) => n === 0),
    message: (c) => `signer ${q(c.signerName)} forbids subjectAltNames`,
    received: describeSans,
    allowed: 'a CSR without DNS, IP, URI or email subjectAltNames',
    fix: 'create the CSR without subjectAltNames',
  },
  {
    rule: 'signer-sans-dns-or-ip-required',
    field: 'spec.request',
    needs: ['signerName', 'profile', 'parsed'],
    when: (c) => c.profile?.subjectAltNames === 'dns-or-ip-required',
    check: (c) => sansOf(c).dns + sansOf(c).ip > 0,
    message: (c) => `signer ${q(c.signerName)} requires at least one DNS or IP subjectAltName`,
    received: describeSans,
    allowed: 'one or more DNS or IP subjectAltNames',
    fix: "add the node's DNS names or IP addresses as subjectAltNames",
  },
  {
    rule: 'signer-sans-no-email-uri',
    field: 'spec.request',
    needs: ['signerName', 'profile', 'parsed'],
    when: (c) => c.profile?.subjectAltNames === 'dns-or-ip-required',
    check: (c) => sansOf(c).email + sansOf(c).uri === 0,
    message: (c) => `signer ${q(c.signerName)} forbids email and URI subjectAltNames`,
    received: describeSans,
    allowed: 'DNS and IP subjectAltNames only',
    fix: 'remove the email and URI subjectAltNames from the CSR',
  },
  {
    rule: 'client-common-name',
    field: 'spec.request',
    severity: 'warning',
    needs: ['signerName', 'parsed'],
    when: (c) => c.signerName === KUBE_APISERVER_CLIENT_SIGNER,
    check: (c) => subjectOf(c).cn !== '',
    message: () =>
      'the CSR has an empty common name; kube-apiserver does not authenticate a client certificate without one',
    received: describeSubject,
    allowed: 'CN=<user name>, O=<group> for each group',
    fix: 'create the CSR with the user name as common name',
  },
];

/** All rules, in the order they are reported. */
export const CSR_SPEC_RULES: readonly SpecRule[] = [...FIELD_RULES, ...SIGNER_RULES];

function buildContext(input: CsrSpecInput, options: ValidateCsrOptions): RuleContext {
  const { take, takeList, takeText, unresolved } = inputReader<InputKey>(options.isUnresolved);
  const name = take('name', input.name);
  const generateName = take('generateName', input.generateName);
  const signerName = take('signerName', input.signerName);
  const expirationSeconds = take('expirationSeconds', input.expirationSeconds);
  const usages = takeList('usages', input.usages);
  const request = takeText('request', input.request);

  let parsed: ParsedCertificateRequest | undefined;
  let parseError: RuleContext['parseError'];
  if (
    options.parseRequest !== false &&
    request !== undefined &&
    request.trim() !== '' &&
    !containsPrivateKey(request)
  ) {
    try {
      parsed = parseCertificateRequest(request);
    } catch (err) {
      const code =
        typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'parse-failed';
      const message = err instanceof Error ? redactPem(err.message) : 'unknown error';
      parseError = { code, message };
    }
  }
  return {
    name,
    generateName,
    request,
    signerName,
    expirationSeconds,
    usages,
    parsed,
    parseError,
    profile: signerName === undefined ? undefined : wellKnownSigner(signerName),
    unresolved,
    fieldName: (field) => options.fieldNames?.[field] ?? field,
  };
}

function available(c: RuleContext, need: RuleNeed): boolean {
  switch (need) {
    case 'parsed':
      return c.parsed !== undefined;
    case 'profile':
      return c.profile !== undefined;
    default:
      return !c.unresolved.has(need) && c[need] !== undefined;
  }
}

/**
 * A safe description of a request given as text or bytes: its length, never its content; a private key is only
 * named. Shared by every rule table that has a `spec.request`.
 */
export function describeRequest(value: string | Uint8Array | undefined): string {
  if (value === undefined) return describeValue(undefined);
  const text = toText(value);
  return containsPrivateKey(text)
    ? '<redacted: text containing a private key>'
    : text.trim() === ''
      ? '""'
      : `<${text.length} characters of PEM text>`;
}

/** The flat view of a draft the rule context is built from. */
function flatten(csr: CsrSpecDraft): CsrSpecInput {
  return {
    name: csr.metadata?.name,
    generateName: csr.metadata?.generateName,
    request: csr.spec?.request,
    signerName: csr.spec?.signerName,
    expirationSeconds: csr.spec?.expirationSeconds,
    usages: csr.spec?.usages,
  };
}

function evaluate(
  input: CsrSpecInput,
  options: ValidateCsrOptions,
): { c: RuleContext; violations: SpecViolation<CsrField>[] } {
  const c = buildContext(input, options);
  const violations = evaluateRules(CSR_SPEC_RULES, c, {
    terraformFieldNames: { ...TERRAFORM_FIELD_NAMES, ...options.fieldNames },
    available,
    received: (_c, field) => {
      const key = FIELD_INPUT[field];
      return key === 'request' ? describeRequest(input.request) : describeValue(input[key]);
    },
  });
  return { c, violations };
}

/** What {@link checkCsr} found. */
export interface CsrCheck {
  /** Every violation, errors and warnings; empty when the spec is fine. */
  readonly violations: SpecViolation<CsrField>[];
  /**
   * The spec, branded as validated with its parsed request: present when there is no error and every value is known
   * (nothing was skipped as unresolved).
   */
  readonly validated?: ValidatedCsr;
}

/**
 * {@link validateCsr}, and the {@link ValidatedCsr} to open when the spec passed: for callers that report the
 * violations in their own words (the provider's diagnostics) and then open what they checked.
 */
export function checkCsr(csr: CsrSpecDraft, options: ValidateCsrOptions = {}): CsrCheck {
  const { c, violations } = evaluate(flatten(csr), options);
  const passed = c.unresolved.size === 0 && c.parsed !== undefined && violations.every((v) => v.severity !== 'error');
  if (!passed) return { violations };
  const warnings = violations.filter((v) => v.severity === 'warning');
  // Every rule passed, so spec.request and spec.signerName are known strings: the draft is a whole CsrSpec.
  return { violations, validated: brandValidatedCsr(csr as CsrSpec, c.parsed, warnings) };
}

/** Options of {@link assertValidCsr} and {@link toValidatedCsr}. */
export interface AssertValidCsrOptions extends ValidateCsrOptions {
  /**
   * What is being validated, for the first line of the error message (e.g. a construct path).
   * @default - no subject in the message
   */
  readonly subject?: string;
}

/** Throws a {@link CsrSpecError} listing the errors when there is any; returns the warnings otherwise. */
export function throwOnErrors<F extends string>(
  violations: readonly SpecViolation<F>[],
  errorOptions: CsrSpecErrorOptions = {},
): SpecViolation<F>[] {
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    throw new CsrSpecError(errors, errorOptions);
  }
  return violations.filter((v) => v.severity === 'warning');
}

/**
 * Checks a CertificateSigningRequest against the rules of certificates.k8s.io/v1 and of the well-known
 * kube-controller-manager signers. Returns every violation (errors and warnings), empty when it is fine.
 * Values for which `options.isUnresolved` returns true are skipped, with every rule that needs them.
 */
export function validateCsr(csr: CsrSpecDraft, options: ValidateCsrOptions = {}): SpecViolation<CsrField>[] {
  return evaluate(flatten(csr), options).violations;
}

/**
 * Like {@link validateCsr}, but throws a {@link CsrSpecError} listing the errors when there is any, and returns the
 * warnings otherwise. Accepts unresolved values (see {@link toValidatedCsr} for a spec that is wholly known).
 */
export function assertValidCsr(csr: CsrSpecDraft, options: AssertValidCsrOptions = {}): SpecViolation<CsrField>[] {
  return throwOnErrors(validateCsr(csr, options), { subject: options.subject });
}

/**
 * Validates a wholly known CertificateSigningRequest and parses its request once: the result is branded, so that
 * `openCertificateSigningRequest` opens it without validating or parsing it again.
 *
 * @throws CsrSpecError listing every error
 */
export function toValidatedCsr(
  csr: CsrSpec,
  options: Omit<AssertValidCsrOptions, 'isUnresolved' | 'parseRequest'> = {},
): ValidatedCsr {
  const { violations, validated } = checkCsr(csr, options);
  throwOnErrors(violations, { subject: options.subject });
  if (validated === undefined) {
    // Unreachable: a request that does not parse breaks rule request-parse, an error thrown above.
    throw new Error('toValidatedCsr: spec.request passed the rules but was not parsed');
  }
  return validated;
}
