import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Annotations, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { createCertificateRequest, KEY_TYPES } from '../pki/index.js';
import { encodeSubject } from '../pki/names.js';
import { encodeSans } from '../pki/san.js';
import { assertValidCsr, kubecsrGenerateName } from '../rules/index.js';
import { timeoutProblem } from './timeout-rule.js';

/**
 * The request a kubecsr key-generating type (kubecsr_certificate, kubecsr_client_identity) builds from its
 * configuration, as far as a construct knows it: any value may be a token, and is then not checked.
 */
export interface IssuanceDraft {
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly uris?: readonly string[];
  /** The usages the provider will request: the configured ones, else the type's default for the signer. */
  readonly usages?: readonly string[];
  readonly signerName: string;
  readonly expirationSeconds?: number;
  readonly keyType?: string;
  readonly timeout?: string;
}

/** A construct prop and the Terraform attribute it sets. */
export interface IssuanceField {
  readonly prop: string;
  readonly terraform: string;
}

/** What a type calls the parts of its request that differ between the types. */
export interface IssuanceFieldNames {
  /** The subject common name: `commonName` (common_name), or a client identity's `user`. */
  readonly commonName: IssuanceField;
  /** The subject organizations: `organizations`, or a client identity's `groups`. */
  readonly organizations: IssuanceField;
  /** Whether `usages` is an attribute of the type (a client identity takes its usages from the signer). */
  readonly usagesAttribute: boolean;
}

type Part = 'commonName' | 'organizations' | 'dnsNames' | 'ipAddresses' | 'uris';

const isUnresolved = (value: unknown): boolean => Token.isUnresolved(value);
const isLiteral = (value: unknown): value is string => typeof value === 'string' && !isUnresolved(value);
const q = (value: unknown): string => JSON.stringify(value);

/** A list whose entries are all known, else undefined (tokens are checked by the provider, once Terraform knows them). */
function resolvedList(value: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined || isUnresolved(value) || value.some((entry) => isUnresolved(entry))) return undefined;
  return value;
}

/** Rules on the attributes that are not part of the request, as data: the field, the value, what is allowed, the fix. */
const SETTING_RULES: readonly {
  readonly when: (d: IssuanceDraft) => boolean;
  readonly message: (d: IssuanceDraft) => string;
}[] = [
  {
    when: (d) => isLiteral(d.keyType) && !(KEY_TYPES as readonly string[]).includes(d.keyType),
    message: (d) =>
      `keyType (terraform: key_type) is not a key type kubecsr generates, received ${q(d.keyType)}; allowed: ` +
      `${KEY_TYPES.map((t) => q(t)).join(', ')}; fix: write one of them, or leave it out for "ecdsa-p256"`,
  },
  { when: (d) => timeoutProblem(d.timeout) !== undefined, message: (d) => timeoutProblem(d.timeout) ?? '' },
];

/** Each part of the subject and subjectAltNames, checked by the encoder that builds the request. */
const NAME_CHECKS: readonly { readonly part: Part; readonly check: (d: IssuanceDraft) => unknown }[] = [
  { part: 'commonName', check: (d) => encodeSubject(d.commonName) },
  { part: 'organizations', check: (d) => encodeSubject('cn', d.organizations) },
  { part: 'dnsNames', check: (d) => encodeSans({ dnsNames: d.dnsNames }) },
  { part: 'ipAddresses', check: (d) => encodeSans({ ipAddresses: d.ipAddresses }) },
  { part: 'uris', check: (d) => encodeSans({ uris: d.uris }) },
];

const TERRAFORM_NAMES: Readonly<Record<Exclude<Part, 'commonName' | 'organizations'>, string>> = {
  dnsNames: 'dns_names',
  ipAddresses: 'ip_addresses',
  uris: 'uris',
};

let throwawayKey: KeyObject | undefined;

/** A key that signs the request the rules look at; they read its subject and names, never its key. Made once. */
function validationKey(): KeyObject {
  throwawayKey ??= generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return throwawayKey;
}

/**
 * Validates, at construction, the request a kubecsr key-generating type would build, with the rules the provider
 * applies at validate time: the key type, the timeout, the subject and subjectAltNames (encoded as the provider
 * encodes them), and the shared CertificateSigningRequest rules of `src/rules` on a request signed by a throwaway key.
 * Values that are tokens are skipped. Throws an Error listing the setting and name problems, or a CsrSpecError for
 * the shared rules; adds the rules' warnings to `scope`.
 */
export function assertValidIssuance(
  scope: IConstruct,
  kind: string,
  draft: IssuanceDraft,
  names: IssuanceFieldNames,
): void {
  const where = `'${scope.node.path}'`;
  const problems = SETTING_RULES.filter((rule) => rule.when(draft)).map((rule) => rule.message(draft));
  const resolved: IssuanceDraft = {
    ...draft,
    organizations: resolvedList(draft.organizations),
    dnsNames: resolvedList(draft.dnsNames),
    ipAddresses: resolvedList(draft.ipAddresses),
    uris: resolvedList(draft.uris),
  };
  const known = (part: Part): boolean =>
    part === 'commonName' ? !isUnresolved(draft.commonName) : resolved[part] !== undefined || draft[part] === undefined;
  for (const { part, check } of NAME_CHECKS) {
    if (!known(part)) continue;
    try {
      check(resolved);
    } catch (error) {
      const field =
        part === 'commonName' || part === 'organizations'
          ? names[part]
          : { prop: part, terraform: TERRAFORM_NAMES[part] };
      const message = error instanceof Error ? error.message : String(error);
      problems.push(
        `${field.prop} (terraform: ${field.terraform}): ${message}; fix: correct the value, it goes into the certificate request as is`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`invalid ${kind} in ${where}: ${problems.join('; ')}`);
  }
  const allNamesKnown = NAME_CHECKS.every(({ part }) => known(part));
  const request = allNamesKnown
    ? createCertificateRequest({
        privateKey: validationKey(),
        commonName: draft.commonName,
        organizations: resolved.organizations && [...resolved.organizations],
        dnsNames: resolved.dnsNames && [...resolved.dnsNames],
        ipAddresses: resolved.ipAddresses && [...resolved.ipAddresses],
        uris: resolved.uris && [...resolved.uris],
      })
    : UNKNOWN_REQUEST;
  const warnings = assertValidCsr(
    {
      metadata: { generateName: kubecsrGenerateName(isUnresolved(draft.commonName) ? undefined : draft.commonName) },
      spec: {
        request,
        signerName: draft.signerName,
        expirationSeconds: draft.expirationSeconds,
        usages: draft.usages,
      },
    },
    {
      isUnresolved: (value) => value === UNKNOWN_REQUEST || isUnresolved(value),
      fieldNames: {
        'spec.signerName': 'signer_name',
        'spec.expirationSeconds': 'expiration_seconds',
        ...(names.usagesAttribute ? { 'spec.usages': 'usages' } : {}),
      },
      subject: where,
    },
  );
  for (const warning of warnings) {
    Annotations.of(scope).addWarning(warning.message);
  }
}

/** Stands for a request that cannot be built yet (a part of its subject is a token): rules that read it are skipped. */
const UNKNOWN_REQUEST = '\u0000unknown request';
