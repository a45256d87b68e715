/**
 * The rules of a cert-manager CertificateRequest (cert-manager.io/v1), shared by the runtime and the construct:
 * the CertificateSigningRequest rules that apply to it (name, request, usages), then cert-manager's own, as its
 * webhook (internal/apis/certmanager/validation, v1.21) applies them, plus a duration floor.
 */
import type { ParsedCertificateRequest } from '../pki/index.js';
import type { CertManagerField } from './cert-manager-request.js';
import { describeValue } from './describe.js';
import { formatGoDuration, GO_DURATION_UNITS } from './duration.js';
import { KEY_USAGE_BITS } from './usages.js';
import { dns1123LabelProblems, dns1123SubdomainProblems } from './names.js';
import type { Rule } from './engine.js';

/** The API group of cert-manager's own issuers, the default of `spec.issuerRef.group`. */
export const CERT_MANAGER_GROUP = 'cert-manager.io';
/** The kinds of `spec.issuerRef.kind` in the cert-manager.io group. `Issuer` is the default. */
export const CERT_MANAGER_ISSUER_KINDS = ['Issuer', 'ClusterIssuer'] as const;
/** A kind of {@link CERT_MANAGER_ISSUER_KINDS}. */
export type CertManagerIssuerKind = (typeof CERT_MANAGER_ISSUER_KINDS)[number];

/**
 * The shortest `spec.duration` accepted: cert-manager's `MinimumCertificateDuration` (1h, pkg/apis/certmanager/v1).
 * cert-manager's webhook enforces it on Certificates; on a CertificateRequest nothing does (the CA issuer signs any
 * positive duration), and this library applies the same floor so that the two kinds of object agree.
 */
export const MIN_CERT_MANAGER_DURATION_MS = 3_600_000;
/** The lifetime cert-manager's issuers give when `spec.duration` is unset: 90 days (`DefaultCertificateDuration`). */
export const DEFAULT_CERT_MANAGER_DURATION_MS = 90 * 24 * 3_600_000;
/** The usages cert-manager applies when `spec.usages` is empty (`DefaultKeyUsages`). */
export const DEFAULT_CERT_MANAGER_USAGES: readonly string[] = ['digital signature', 'key encipherment'];

/**
 * The fields of a `CertManagerRequestSpecDraft` the rules look at, flat, as the rule tables read them. Any field may
 * be absent or an unresolved token.
 */
export interface CertManagerRequestInput {
  /** metadata.name (Terraform `metadata.name`). @default - not set */
  readonly name?: string;
  /** metadata.generateName (Terraform `metadata.generate_name`). @default - not set */
  readonly generateName?: string;
  /** metadata.namespace (Terraform `metadata.namespace`). @default - not set */
  readonly namespace?: string;
  /** spec.request (Terraform `spec.request`): the PEM "CERTIFICATE REQUEST" text. @default - not set */
  readonly request?: string;
  /** spec.issuerRef.name (Terraform `spec.issuer_ref.name`). @default - not set */
  readonly issuerName?: string;
  /** spec.issuerRef.kind (Terraform `spec.issuer_ref.kind`). @default - not set (cert-manager reads it as Issuer) */
  readonly issuerKind?: string;
  /** spec.issuerRef.group (Terraform `spec.issuer_ref.group`). @default - not set (cert-manager.io) */
  readonly issuerGroup?: string;
  /** spec.duration (Terraform `spec.duration`): a Go duration string such as "24h". @default - not set (90 days) */
  readonly duration?: string;
  /** spec.usages (Terraform `spec.usages`). @default - not set (digital signature, key encipherment) */
  readonly usages?: readonly string[];
  /** spec.isCA (Terraform `spec.is_ca`). @default - not set (false) */
  readonly isCA?: boolean;
}

/** A field of {@link CertManagerRequestInput}. */
export type CertManagerInputKey = keyof CertManagerRequestInput;
type InputKey = CertManagerInputKey;

/** What a rule needs: a resolved input value, or the parsed request. */
export type CertManagerRuleNeed = InputKey | 'parsed';

/** What a rule sees. Values that are unresolved are listed in `unresolved` and left undefined here. */
export interface CertManagerRuleContext extends CertManagerRequestInput {
  /** spec.duration in milliseconds, when it parses. */
  readonly durationMs?: number;
  /** Why spec.duration does not parse, when it does not. */
  readonly durationProblem?: string;
  /** The parsed request, when it could be parsed. */
  readonly parsed?: ParsedCertificateRequest;
  /** Inputs that were given but are not known yet. */
  readonly unresolved: ReadonlySet<InputKey>;
}

/** A rule of a CertificateRequest, as data (see {@link Rule}). */
export type CertManagerRule = Rule<CertManagerField, CertManagerRuleContext, CertManagerRuleNeed>;

/** The CertificateSigningRequest rules that hold for a CertificateRequest too (same fields, same meaning). */
export const SHARED_CSR_RULE_IDS: readonly string[] = [
  'name-dns-subdomain',
  'generate-name-prefix',
  'usages-valid',
  'usages-unique',
  'request-required',
  'request-not-private-key',
  'request-parse',
  'request-signature',
];

const q = (v: unknown): string => JSON.stringify(v);

function isCertManagerGroup(c: CertManagerRuleContext): boolean {
  return !c.unresolved.has('issuerGroup') && (c.issuerGroup === undefined || c.issuerGroup === CERT_MANAGER_GROUP);
}

/** What cert-manager derives from spec.usages and spec.isCA: the keyUsage words (a set) and the extKeyUsage list. */
export function expectedCertManagerUsages(
  usages: readonly string[] | undefined,
  isCA: boolean | undefined,
): { readonly keyUsages: string[]; readonly extendedKeyUsages: string[] } {
  const words = usages && usages.length > 0 ? usages : DEFAULT_CERT_MANAGER_USAGES;
  const keyUsages = new Set<string>(isCA ? ['cert sign'] : []);
  const extendedKeyUsages: string[] = [];
  for (const word of words) {
    if (KEY_USAGE_WORDS.has(word)) keyUsages.add(word === 'signing' ? 'digital signature' : word);
    else extendedKeyUsages.push(word === 's/mime' ? 'email protection' : word);
  }
  return { keyUsages: [...keyUsages].sort(), extendedKeyUsages };
}

/** spec.usages words that are keyUsage bits (the rest are extended key usages). */
const KEY_USAGE_WORDS: ReadonlySet<string> = new Set(KEY_USAGE_BITS);

function usagesMismatch(c: CertManagerRuleContext): string | undefined {
  const requested = c.parsed?.requestedExtensions;
  if (!requested || (requested.keyUsages === undefined && requested.extendedKeyUsages === undefined)) return undefined;
  const expected = expectedCertManagerUsages(c.usages, c.isCA);
  const csrKeyUsages = [...(requested.keyUsages ?? [])].sort();
  const csrExtended = requested.extendedKeyUsages ?? [];
  if (q(csrKeyUsages) !== q(expected.keyUsages)) {
    return `the CSR asks for key usages ${q(csrKeyUsages)} but spec.usages and spec.isCA give ${q(expected.keyUsages)}`;
  }
  if (q(csrExtended) !== q(expected.extendedKeyUsages)) {
    return `the CSR asks for extended key usages ${q(csrExtended)} but spec.usages gives ${q(expected.extendedKeyUsages)}`;
  }
  return undefined;
}

/** cert-manager's own rules, in the order they are reported. */
export const CERT_MANAGER_RULES: readonly CertManagerRule[] = [
  {
    rule: 'namespace-required',
    field: 'metadata.namespace',
    needs: [],
    check: (c) => c.unresolved.has('namespace') || (c.namespace ?? '') !== '',
    message: () => 'is required: a CertificateRequest is a namespaced object',
    allowed: 'the name of an existing namespace, a DNS-1123 label such as "default"',
    fix: 'set metadata.namespace to the namespace to create the CertificateRequest in',
  },
  {
    rule: 'namespace-dns-label',
    field: 'metadata.namespace',
    needs: ['namespace'],
    when: (c) => c.namespace !== '',
    check: (c) => dns1123LabelProblems(c.namespace ?? '').length === 0,
    message: (c) => dns1123LabelProblems(c.namespace ?? '').join(' and '),
    allowed: "a DNS-1123 label: at most 63 characters, lowercase letters, digits and '-'",
    fix: 'use the name of the namespace as kubectl get namespaces prints it',
  },
  {
    rule: 'issuer-name-required',
    field: 'spec.issuerRef.name',
    needs: [],
    check: (c) => c.unresolved.has('issuerName') || (c.issuerName ?? '') !== '',
    message: () => 'is required: cert-manager needs to know which issuer signs the request',
    allowed: 'the name of an Issuer in the same namespace or of a ClusterIssuer',
    fix: 'set spec.issuerRef.name, and spec.issuerRef.kind = "ClusterIssuer" for a cluster-wide issuer',
  },
  {
    rule: 'issuer-name-format',
    field: 'spec.issuerRef.name',
    needs: ['issuerName'],
    when: (c) => c.issuerName !== '',
    check: (c) => dns1123SubdomainProblems(c.issuerName ?? '').length === 0,
    message: (c) => dns1123SubdomainProblems(c.issuerName ?? '').join(' and '),
    allowed: 'an object name: a DNS-1123 subdomain such as "ca-issuer"',
    fix: 'use the name as kubectl get issuers,clusterissuers prints it',
  },
  {
    rule: 'issuer-group-format',
    field: 'spec.issuerRef.group',
    needs: ['issuerGroup'],
    check: (c) => dns1123SubdomainProblems(c.issuerGroup ?? '').length === 0,
    message: (c) => `is not an API group: ${dns1123SubdomainProblems(c.issuerGroup ?? '').join(' and ')}`,
    allowed: `${q(CERT_MANAGER_GROUP)} for cert-manager's own issuers, or the API group of an external issuer`,
    fix: `leave it unset for cert-manager's own issuers (it defaults to ${q(CERT_MANAGER_GROUP)})`,
  },
  {
    rule: 'issuer-kind',
    field: 'spec.issuerRef.kind',
    needs: ['issuerKind'],
    when: isCertManagerGroup,
    check: (c) => (CERT_MANAGER_ISSUER_KINDS as readonly string[]).includes(c.issuerKind ?? ''),
    message: () => `must be one of Issuer or ClusterIssuer in the ${CERT_MANAGER_GROUP} group`,
    allowed: `"Issuer" (the default: an issuer in the request's namespace) or "ClusterIssuer"`,
    fix: 'use "ClusterIssuer" for a cluster-wide issuer; for an external issuer also set spec.issuerRef.group',
  },
  {
    rule: 'duration-format',
    field: 'spec.duration',
    needs: ['duration'],
    check: (c) => c.durationProblem === undefined,
    message: (c) => c.durationProblem ?? '',
    allowed: `a Go duration: numbers with units ${GO_DURATION_UNITS.join(', ')}, e.g. "24h", "1h30m", "2160h" (no "d")`,
    fix: 'write days as hours, e.g. "720h" for 30 days',
  },
  {
    rule: 'duration-minimum',
    field: 'spec.duration',
    needs: ['duration'],
    when: (c) => c.durationMs !== undefined,
    check: (c) => (c.durationMs ?? 0) >= MIN_CERT_MANAGER_DURATION_MS,
    message: (c) =>
      `${formatGoDuration(c.durationMs ?? 0)} is shorter than cert-manager's minimum certificate duration (1h)`,
    allowed: 'a duration of at least "1h"; unset gives the issuer default (90 days for CA and SelfSigned issuers)',
    fix: 'ask for "1h" or more; the issuer may still shorten it (a CA issuer never goes past its CA certificate)',
  },
  {
    rule: 'request-is-ca-matches',
    field: 'spec.isCA',
    needs: ['parsed'],
    when: (c) => !c.unresolved.has('isCA') && c.parsed?.requestedExtensions.isCa !== undefined,
    check: (c) => c.parsed?.requestedExtensions.isCa === (c.isCA ?? false),
    message: (c) =>
      `the CSR's basicConstraints asks for CA:${c.parsed?.requestedExtensions.isCa ? 'TRUE' : 'FALSE'} but spec.isCA ` +
      `is ${c.isCA ?? false}; cert-manager refuses a request whose CSR and spec disagree`,
    received: (c) => describeValue(c.isCA),
    allowed: "spec.isCA equal to the CSR's basicConstraints CA flag",
    fix: (c) =>
      `set spec.isCA = ${String(c.parsed?.requestedExtensions.isCa)}, or create the CSR without basicConstraints`,
  },
  {
    rule: 'request-usages-match',
    field: 'spec.usages',
    needs: ['parsed'],
    when: (c) => !c.unresolved.has('usages') && !c.unresolved.has('isCA'),
    check: (c) => usagesMismatch(c) === undefined,
    message: (c) => `${usagesMismatch(c) ?? ''}; cert-manager refuses a request whose CSR and spec disagree`,
    allowed: `spec.usages naming exactly the CSR's key usages and extended key usages (default ${q(DEFAULT_CERT_MANAGER_USAGES)}, plus "cert sign" when spec.isCA)`,
    fix: "list the CSR's usages in spec.usages, or create the CSR without keyUsage and extKeyUsage extensions",
  },
];

/**
 * The name cert-manager's approval check uses for the issuer a request refers to: the `resourceNames` entry of an
 * RBAC rule granting verb `approve` on resource `signers` of API group cert-manager.io, e.g.
 * `issuers.cert-manager.io/<namespace>.<name>` or `clusterissuers.cert-manager.io/<name>`. Undefined for external
 * issuer groups, whose resource name this library cannot know without discovery.
 */
export function certManagerSignerName(issuer: {
  readonly name: string;
  readonly kind?: string;
  readonly group?: string;
  readonly namespace: string;
}): string | undefined {
  if ((issuer.group ?? CERT_MANAGER_GROUP) !== CERT_MANAGER_GROUP) return undefined;
  return (issuer.kind ?? 'Issuer') === 'ClusterIssuer'
    ? `clusterissuers.${CERT_MANAGER_GROUP}/${issuer.name}`
    : `issuers.${CERT_MANAGER_GROUP}/${issuer.namespace}.${issuer.name}`;
}
