import type { KeyObject } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { generateKey, KEY_TYPES, type KeyType } from '../../pki/keys.js';
import type { CsrRuntimeError } from '../../runtime/errors.js';
import type { OpenedCertificateSigningRequest } from '../../runtime/open.js';
import { kubecsrGenerateName } from '../../rules/names.js';
import { wellKnownSigner, type SignerProfile } from '../../rules/signers.js';
import type { SpecViolation } from '../../rules/engine.js';
import type { CsrField, CsrSpec } from '../../rules/csr-spec.js';
import { errorDiagnostic, hasError, type Diagnostic } from '../values/diagnostics.js';
import { UNKNOWN, type TerraformObject } from '../values/dynamic-value.js';
import { parseDuration } from '../values/duration.js';
import { known, read } from '../values/read.js';
import type { AttributeSchema, BlockSchema } from '../values/schema.js';
import { OpenedRequests } from './opened-requests.js';
import {
  runtimeErrorDiagnostics,
  violationDiagnostics,
  type DiagnosticFields,
  type Remedy,
} from './runtime-diagnostics.js';
import type { EphemeralResourceType, OpenOutcome, ServeContext } from './types.js';

/** The key type generated when `key_type` is not set: fast, small, and signed by kube-controller-manager (checked for kube-apiserver-client). */
export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';
/** How long Open waits for approval and signature when `timeout` is not set. */
export const DEFAULT_ISSUE_TIMEOUT = '5m';

/** The parts of a request that the configuration sets; each type says which attribute sets which part. */
export type RequestPart =
  | 'commonName'
  | 'organizations'
  | 'dnsNames'
  | 'ipAddresses'
  | 'uris'
  | 'usages'
  | 'signerName'
  | 'expirationSeconds'
  | 'keyType'
  | 'autoApprove'
  | 'timeout';

type Maybe<T> = T | typeof UNKNOWN | undefined;
type MaybeList = (string | typeof UNKNOWN)[] | typeof UNKNOWN | undefined;

/** The request as the configuration describes it; during validation any value may be {@link UNKNOWN}. */
export interface RequestDraft {
  readonly commonName: Maybe<string>;
  readonly organizations: MaybeList;
  readonly dnsNames: MaybeList;
  readonly ipAddresses: MaybeList;
  readonly uris: MaybeList;
  /** undefined: the type's default for the signer ({@link IssuingType.defaultUsages}). */
  readonly usages: MaybeList;
  readonly signerName: Maybe<string>;
  readonly expirationSeconds: Maybe<number>;
  readonly keyType: Maybe<string>;
  readonly autoApprove: Maybe<boolean>;
  readonly timeout: Maybe<string>;
}

/** What a type's extra results are made from. */
export interface IssuedMaterial {
  readonly config: TerraformObject;
  readonly kubeConfig: KubeConfig;
  /** Leaf, then intermediates. */
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** What a type that generates its key in Open says about itself; {@link KeyIssuance} does the rest. */
export interface IssuingType {
  /** The Terraform type name, e.g. kubecsr_certificate. */
  readonly typeName: string;
  readonly schema: BlockSchema;
  /** The attribute that sets each part. Parts a type derives (a client identity's usages) name their source. */
  readonly paths: Readonly<Record<RequestPart, string>>;
  /** Reads the request from the configuration. */
  draft(config: TerraformObject): RequestDraft;
  /** Usages when the configuration sets none; undefined leaves the rule "usages are required" to speak. */
  defaultUsages(profile: SignerProfile | undefined): readonly string[] | undefined;
  /** Checks of attributes that are not part of the request (e.g. a kubeconfig's namespace). @default - none */
  extraDiagnostics?(config: TerraformObject): Diagnostic[];
  /** Results beyond certificate, private_key_pem, ca_certificate and not_after. @default - none */
  extraResults?(material: IssuedMaterial): Promise<TerraformObject>;
}

/** The parts every key-generating type sets with the same attributes ({@link issuanceAttributes}). */
export const ISSUANCE_PATHS = {
  expirationSeconds: 'expiration_seconds',
  keyType: 'key_type',
  autoApprove: 'auto_approve',
  timeout: 'timeout',
} as const satisfies Partial<Record<RequestPart, string>>;

/** Reads the attributes of {@link ISSUANCE_PATHS}: the parts of the draft that every key-generating type sets alike. */
export function issuanceDraft(
  config: TerraformObject,
): Pick<RequestDraft, 'expirationSeconds' | 'keyType' | 'autoApprove' | 'timeout'> {
  return {
    expirationSeconds: read.number(config.expiration_seconds),
    keyType: read.string(config.key_type),
    autoApprove: read.bool(config.auto_approve),
    timeout: read.string(config.timeout),
  };
}

/** The attributes every key-generating type has, beside its subject: how to issue, and the results. */
export function issuanceAttributes(): Record<string, AttributeSchema> {
  return {
    expiration_seconds: {
      type: 'number',
      optional: true,
      description:
        'Requested validity in seconds, at least 600; the signer may shorten it. Default: the signer decides.',
    },
    key_type: {
      type: 'string',
      optional: true,
      description:
        `The key generated in memory for this certificate: one of ${KEY_TYPES.map((t) => `"${t}"`).join(', ')}. ` +
        `Default "${DEFAULT_KEY_TYPE}".`,
    },
    auto_approve: {
      type: 'bool',
      optional: true,
      description:
        'Approve the request (the default); needs RBAC verb "approve" on the signer. false waits for someone else to.',
    },
    timeout: {
      type: 'string',
      optional: true,
      description: `How long to wait for approval and signature, e.g. "90s" or "5m". Default "${DEFAULT_ISSUE_TIMEOUT}".`,
    },
    certificate: {
      type: 'string',
      computed: true,
      description: 'The issued certificate (PEM): the leaf, then any intermediates.',
    },
    private_key_pem: {
      type: 'string',
      computed: true,
      sensitive: true,
      description:
        'The private key (PKCS#8 PEM), generated in the provider process during Open; it is never written anywhere.',
    },
    ca_certificate: {
      type: 'string',
      computed: true,
      description:
        "The cluster CA (PEM) from the provider's configuration, null when it names none. It verifies the API " +
        'server; it issued the certificate only for kubernetes.io signers of clusters that sign with the cluster CA.',
    },
    not_after: {
      type: 'string',
      computed: true,
      description: 'When the certificate expires (RFC 3339, UTC).',
    },
  };
}

/** Words of a Denied or Failed condition, and the part of the request they are about. Checked in order. */
const CONDITION_WORDS: readonly { readonly words: RegExp; readonly part: RequestPart }[] = [
  { words: /\b(usages?|digital signature|key encipherment|client auth|server auth)\b/i, part: 'usages' },
  { words: /\b(keys?|key types?|algorithms?|ed25519|ecdsa|rsa|curves?)\b/i, part: 'keyType' },
  { words: /\b(expiration|duration|lifetime|validity)\b/i, part: 'expirationSeconds' },
  { words: /\b(dns|dns names?|sans?|subject alt(ernative)? names?)\b/i, part: 'dnsNames' },
  { words: /\b(ip|ip address(es)?)\b/i, part: 'ipAddresses' },
  { words: /\b(uris?)\b/i, part: 'uris' },
  { words: /\b(groups?|organi[sz]ations?)\b/i, part: 'organizations' },
  { words: /\b(users?|user names?|common names?|cn)\b/i, part: 'commonName' },
];

/** A condition's reason and message as words: `UnsupportedKeyType` reads as "Unsupported Key Type". */
function conditionText(error: CsrRuntimeError): string {
  const { reason = '', message = '' } = error.condition ?? {};
  return `${reason.replace(/([a-z0-9])([A-Z])/g, '$1 $2')} ${message}`;
}

/** Parts of the request each spec rule about spec.request is about (the provider built the request from them). */
const REQUEST_RULE_PARTS: Readonly<Record<string, RequestPart>> = {
  'signer-organizations': 'organizations',
  'signer-common-name-prefix': 'commonName',
  'client-common-name': 'commonName',
  'signer-sans-dns-or-ip-required': 'dnsNames',
  'signer-sans-no-email-uri': 'uris',
};

const FIELD_PARTS: Readonly<Record<CsrField, RequestPart>> = {
  'metadata.name': 'commonName',
  'metadata.generateName': 'commonName',
  'spec.request': 'commonName',
  'spec.signerName': 'signerName',
  'spec.expirationSeconds': 'expirationSeconds',
  'spec.usages': 'usages',
};

const q = (value: unknown): string => JSON.stringify(value);

/** The name prefix of the CertificateSigningRequest objects: from the common name, unique per Open. */
export const generateNameFor: (commonName: string | undefined) => string = kubecsrGenerateName;

function isRuntimeError(error: unknown): error is CsrRuntimeError {
  return error instanceof Error && error.name === 'CsrRuntimeError';
}

function isKeyType(value: string): value is KeyType {
  return (KEY_TYPES as readonly string[]).includes(value);
}

/** The list when it and every entry are known, else undefined. */
function knownList(value: MaybeList): string[] | undefined {
  if (value === UNKNOWN || value === undefined) return undefined;
  return value.every((v): v is string => v !== UNKNOWN) ? value : undefined;
}

function isKnown(value: MaybeList | Maybe<string>): boolean {
  if (value === UNKNOWN) return false;
  return !Array.isArray(value) || value.every((v) => v !== UNKNOWN);
}

/** Stands for a request that cannot be built yet: the rules that need its content are skipped. */
const UNKNOWN_REQUEST = '\u0000unknown request';

let validationKey: Promise<KeyObject> | undefined;

/** A throwaway key that signs the request validation checks; the rules look at its subject and names, not its key. */
async function throwawayKey(): Promise<KeyObject> {
  validationKey ??= generateKey('ecdsa-p256').then((key) => key.privateKey);
  return validationKey;
}

/**
 * Open for the types that generate their own key: validates the request the configuration describes with the shared
 * rules, generates the key in memory, builds and signs the request, has the runtime issue it (create, approve, watch,
 * check the leaf against the key, delete on every path) and returns key and certificate as ephemeral values.
 */
export class KeyIssuance implements EphemeralResourceType {
  public readonly typeName: string;
  public readonly schema: BlockSchema;
  private readonly opened = new OpenedRequests();
  public readonly fields: DiagnosticFields;
  /** The attributes that set the request's fields, for the rules' fixes; derived fields keep their API names. */
  private readonly fieldNames: Partial<Record<CsrField, string>>;

  public constructor(private readonly type: IssuingType) {
    this.typeName = type.typeName;
    this.schema = type.schema;
    const paths = type.paths;
    this.fields = {
      signerName: paths.signerName,
      autoApprove: paths.autoApprove,
      violationPath: (violation) => paths[this.partOf(violation)],
      conditionRemedy: (error) => this.conditionRemedy(error),
    };
    // A part whose attribute is another part's (a client identity's usages come from its signer) is derived: the
    // rules' fixes keep its API name rather than suggest setting an attribute that does not set it.
    const fieldNames: Partial<Record<CsrField, string>> = {};
    for (const field of ['spec.signerName', 'spec.usages', 'spec.expirationSeconds'] as const) {
      const part = FIELD_PARTS[field];
      if (part === 'signerName' || paths[part] !== paths.signerName) fieldNames[field] = paths[part];
    }
    this.fieldNames = fieldNames;
  }

  private partOf(violation: SpecViolation): RequestPart {
    return REQUEST_RULE_PARTS[violation.rule] ?? FIELD_PARTS[violation.field as CsrField];
  }

  private conditionRemedy(error: CsrRuntimeError): Remedy {
    const paths = this.type.paths;
    const signer = error.signerName ?? 'the signer';
    const final =
      'Denied and Failed are final for that object: the next plan or apply generates a new key and submits a new request.';
    const text = conditionText(error);
    const match = CONDITION_WORDS.find((entry) => entry.words.test(text));
    if (match) {
      const path = paths[match.part];
      const hint =
        match.part === 'keyType'
          ? `Choose a key type ${signer} accepts, e.g. ${path} = "${DEFAULT_KEY_TYPE}" (the default) or "rsa-2048"; ` +
            `kubecsr generates ${KEY_TYPES.map((t) => q(t)).join(', ')}.`
          : `Change ${path} to what ${signer} accepts.`;
      return { text: `The reason points at ${path}. ${hint} ${final}`, path };
    }
    return error.code === 'denied'
      ? {
          text:
            'An approver denied it; ask them what to change (the reason above). To approve your own requests set ' +
            `${paths.autoApprove} = true (needs RBAC verb "approve" on signers/${signer}). ${final}`,
          path: paths.autoApprove,
        }
      : {
          text: `${signer} refused to sign it; check what it issues (its documentation or its controller's log), or pick another ${paths.signerName}. ${final}`,
          path: paths.signerName,
        };
  }

  /** Checks the configuration; values may be unknown. */
  public async validate(config: TerraformObject): Promise<Diagnostic[]> {
    const draft = this.type.draft(config);
    const paths = this.type.paths;
    const diagnostics: Diagnostic[] = [...(this.type.extraDiagnostics?.(config) ?? [])];
    const keyType = known(draft.keyType);
    if (keyType !== undefined && !isKeyType(keyType)) {
      diagnostics.push(
        errorDiagnostic(
          `Invalid ${paths.keyType}`,
          `${paths.keyType}: kubecsr does not generate this key type.\nReceived: ${q(keyType)}.\n` +
            `Allowed: ${KEY_TYPES.map((t) => q(t)).join(', ')}.\nFix: write one of them, or leave it out for "${DEFAULT_KEY_TYPE}".`,
          paths.keyType,
        ),
      );
    }
    const timeout = known(draft.timeout);
    if (timeout !== undefined && (parseDuration(timeout) ?? 0) <= 0) {
      diagnostics.push(
        errorDiagnostic(
          `Invalid ${paths.timeout}`,
          `${paths.timeout}: not a duration.\nReceived: ${q(timeout)}.\nAllowed: a positive duration such as "90s", "5m" or "1h30m".\n` +
            'Fix: write a number followed by ms, s, m or h.',
          paths.timeout,
        ),
      );
    }
    const nameProblems = await this.nameDiagnostics(draft);
    diagnostics.push(...nameProblems);
    diagnostics.push(...(await this.ruleDiagnostics(draft, nameProblems.length === 0)));
    return diagnostics;
  }

  /** The subject and subjectAltNames, checked by the PKI encoders that build the request. */
  private async nameDiagnostics(draft: RequestDraft): Promise<Diagnostic[]> {
    const [{ encodeSubject }, { encodeSans }] = await Promise.all([
      import('../../pki/names.js'),
      import('../../pki/san.js'),
    ]);
    const checks: readonly [RequestPart, () => unknown][] = [
      ['commonName', () => encodeSubject(known(draft.commonName) ?? '')],
      ['organizations', () => encodeSubject('cn', knownList(draft.organizations))],
      ['dnsNames', () => encodeSans({ dnsNames: knownList(draft.dnsNames) })],
      ['ipAddresses', () => encodeSans({ ipAddresses: knownList(draft.ipAddresses) })],
      ['uris', () => encodeSans({ uris: knownList(draft.uris) })],
    ];
    const diagnostics: Diagnostic[] = [];
    for (const [part, check] of checks) {
      if (!isKnown(draft[part] as MaybeList)) continue;
      if (part === 'commonName' && draft.commonName === undefined) continue; // Terraform requires it
      try {
        check();
      } catch (error) {
        const path = this.type.paths[part];
        const message = error instanceof Error ? error.message : String(error);
        diagnostics.push(
          errorDiagnostic(
            `Invalid ${path}`,
            `${path}: ${message}.\nFix: correct the value; it goes into the certificate request as is.`,
            path,
          ),
        );
      }
    }
    return diagnostics;
  }

  /** The shared CertificateSigningRequest rules, on the request the configuration describes. */
  private async ruleDiagnostics(draft: RequestDraft, namesValid: boolean): Promise<Diagnostic[]> {
    const { validateCsr } = await import('../../rules/validate.js');
    const request = namesValid ? await this.buildRequest(draft, await throwawayKey()) : undefined;
    const violations = validateCsr(this.csrOf(draft, request ?? UNKNOWN_REQUEST), {
      isUnresolved: (value) => value === UNKNOWN || value === UNKNOWN_REQUEST,
      fieldNames: this.fieldNames,
    });
    return violationDiagnostics(violations, this.fields);
  }

  /**
   * The request to submit, as the shared model. During validation unknown values stay {@link UNKNOWN} (the rules skip
   * them); at Open every value is known.
   */
  private csrOf(draft: RequestDraft, request: string): CsrSpec {
    return {
      metadata: { generateName: generateNameFor(known(draft.commonName)) },
      spec: {
        request,
        signerName: draft.signerName as string,
        expirationSeconds: draft.expirationSeconds as number | undefined,
        usages: this.usagesOf(draft) as string[] | undefined,
      },
    };
  }

  private usagesOf(draft: RequestDraft): MaybeList {
    if (draft.usages !== undefined) return draft.usages;
    const signerName = known(draft.signerName);
    if (signerName === undefined) return draft.signerName === UNKNOWN ? UNKNOWN : undefined;
    const defaults = this.type.defaultUsages(wellKnownSigner(signerName));
    return defaults ? [...defaults] : undefined;
  }

  /** The PEM request for the draft, or undefined while a part of its subject or names is unknown. */
  private async buildRequest(draft: RequestDraft, privateKey: KeyObject): Promise<string | undefined> {
    const parts = [draft.commonName, draft.organizations, draft.dnsNames, draft.ipAddresses, draft.uris];
    if (!parts.every((part) => isKnown(part as MaybeList))) return undefined;
    const { createCertificateRequest } = await import('../../pki/csr.js');
    return createCertificateRequest({
      privateKey,
      commonName: known(draft.commonName) ?? '',
      organizations: knownList(draft.organizations),
      dnsNames: knownList(draft.dnsNames),
      ipAddresses: knownList(draft.ipAddresses),
      uris: knownList(draft.uris),
    });
  }

  /** Terraform's Open; the configuration is wholly known. */
  public async open(config: TerraformObject, context: ServeContext): Promise<OpenOutcome> {
    const invalid = await this.validate(config);
    if (hasError(invalid)) return { diagnostics: invalid };
    const draft = this.type.draft(config);
    try {
      const kubeConfig = await context.kubeConfig();
      const [{ openCertificateSigningRequest }, { clusterCaData }] = await Promise.all([
        import('../../runtime/open.js'),
        import('../../runtime/user-kubeconfig.js'),
      ]);
      const caData = clusterCaData(kubeConfig);
      const key = await generateKey((known(draft.keyType) ?? DEFAULT_KEY_TYPE) as KeyType);
      const request = (await this.buildRequest(draft, key.privateKey)) ?? '';
      const opened: OpenedCertificateSigningRequest = await openCertificateSigningRequest(
        { ...this.csrOf(draft, request), autoApprove: known(draft.autoApprove) ?? true },
        {
          kubeConfig,
          timeoutMs: parseDuration(known(draft.timeout) ?? DEFAULT_ISSUE_TIMEOUT),
          signal: context.signal,
          onProgress: (progress) =>
            context.log(
              'DEBUG',
              `kubecsr: CertificateSigningRequest ${progress.csrName ?? ''} ${progress.step} after ${progress.elapsedMs} ms`,
            ),
        },
      );
      context.log('INFO', `kubecsr: certificate issued for CertificateSigningRequest ${opened.csrName}`);
      const certificatePem = [opened.leafPem, ...opened.intermediatesPem].join('');
      const extra =
        (await this.type.extraResults?.({ config, kubeConfig, certificatePem, privateKeyPem: key.privateKeyPem })) ??
        {};
      return {
        result: {
          ...config,
          certificate: certificatePem,
          private_key_pem: key.privateKeyPem,
          ca_certificate: caData === undefined ? null : Buffer.from(caData, 'base64').toString('utf8'),
          not_after: opened.notAfter.toISOString(),
          ...extra,
        },
        private: this.opened.remember(opened.csrName, opened),
        diagnostics: opened.cleanupError
          ? runtimeErrorDiagnostics(opened.cleanupError, this.fields).map((d) => ({ ...d, severity: 2 as const }))
          : [],
      };
    } catch (error) {
      return { diagnostics: this.failureDiagnostics(error, context) };
    }
  }

  private failureDiagnostics(error: unknown, context: ServeContext): Diagnostic[] {
    if (isRuntimeError(error)) return runtimeErrorDiagnostics(error, this.fields);
    if (error instanceof Error && error.name === 'ProviderConfigError') {
      return [errorDiagnostic('The kubecsr provider cannot reach a cluster', error.message)];
    }
    if (context.signal.aborted) {
      return [
        errorDiagnostic(
          'Stopped waiting for the certificate',
          'Terraform was interrupted before the request was sent; nothing was created.',
        ),
      ];
    }
    // PKI and other errors name the value at fault, never key material.
    return [
      errorDiagnostic(
        'kubecsr could not issue the certificate',
        error instanceof Error ? error.message : String(error),
      ),
    ];
  }

  /** Terraform's Close, with the private bytes Open returned. */
  public close(privateData: Buffer | undefined): Promise<readonly Diagnostic[]> {
    return this.opened.close(privateData, this.fields);
  }
}
