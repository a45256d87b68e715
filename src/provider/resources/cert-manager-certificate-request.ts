import type { CsrRuntimeError } from '../../runtime/errors.js';
import type { CertManagerRequestSpecDraft } from '../../rules/cert-manager-request.js';
import type { CertManagerRequestCheck } from '../../rules/cert-manager-validate.js';
import type { ValidatedCertManagerRequest } from '../../rules/validated-cert-manager-request.js';
import { DEFAULT_GENERATE_NAME } from '../../rules/names.js';
import type { OpenedCertificateRequest } from '../../runtime/cert-manager/types.js';
import { errorDiagnostic, hasError, type Diagnostic } from '../values/diagnostics.js';
import { UNKNOWN, type TerraformObject, type TerraformValue } from '../values/dynamic-value.js';
import { known, read } from '../values/read.js';
import type { BlockSchema } from '../values/schema.js';
import { missingBlock, nameConflictDiagnostics, notKnownAtOpen } from './block-diagnostics.js';
import { OpenedRequests } from './opened-requests.js';
import {
  openFailureDiagnostics,
  runtimeErrorDiagnostics,
  violationDiagnostics,
  type DiagnosticFields,
} from './runtime-diagnostics.js';
import type { EphemeralResourceType, OpenOutcome, ServeContext } from './types.js';

/** The type name: a cert-manager CertificateRequest as an ephemeral resource of kubecsr. */
export const CERT_MANAGER_REQUEST_TYPE = 'kubecsr_cert_manager_certificate_request';

const DEFAULT_TIMEOUT = '5m';
/** The prefix when the configuration names the object neither way, as the runtime does. */

/**
 * The schema, in cert-manager's words (CertificateRequest, cert-manager.io/v1): the same shape the
 * CertManagerCertificateRequest construct synthesizes.
 */
export const CERT_MANAGER_REQUEST_SCHEMA: BlockSchema = {
  description:
    'Submits a PKCS#10 request as a cert-manager CertificateRequest, approves it when asked, waits until the issuer ' +
    'has issued it and returns the certificate and the CA; the object is deleted before the values are returned.',
  attributes: {
    auto_approve: {
      type: 'bool',
      optional: true,
      description:
        'Approve the request (status condition Approved; needs RBAC verb "approve" on cert-manager signers). ' +
        "Default false: cert-manager's approver, a policy or a person approves.",
    },
    timeout: {
      type: 'string',
      optional: true,
      description: `How long to wait for approval and issuance, a Go duration such as "90s" or "5m". Default ${DEFAULT_TIMEOUT}.`,
    },
    certificate: { type: 'string', computed: true, description: 'status.certificate: the leaf, then intermediates.' },
    ca: { type: 'string', computed: true, description: 'status.ca: the CA certificate the issuer reports, or null.' },
    not_after: { type: 'string', computed: true, description: 'The end of the leaf certificate validity, RFC 3339.' },
  },
  blocks: {
    metadata: {
      nesting: 'single',
      block: {
        description: 'Metadata of the CertificateRequest object.',
        attributes: {
          name: { type: 'string', optional: true, description: 'The object name; or set generate_name.' },
          generate_name: { type: 'string', optional: true, description: 'A name prefix the API server completes.' },
          namespace: { type: 'string', required: true, description: 'The namespace of the CertificateRequest.' },
        },
      },
    },
    spec: {
      nesting: 'single',
      block: {
        description: 'The request, as cert-manager.io/v1 defines it.',
        attributes: {
          request: { type: 'string', required: true, description: 'The PEM CERTIFICATE REQUEST (PKCS#10).' },
          duration: { type: 'string', optional: true, description: 'Requested validity, a Go duration, e.g. "24h".' },
          usages: { type: ['list', 'string'], optional: true, description: 'Key usages, e.g. ["client auth"].' },
          is_ca: { type: 'bool', optional: true, description: 'Ask for a CA certificate.' },
        },
        blocks: {
          issuer_ref: {
            nesting: 'single',
            block: {
              description: 'The Issuer or ClusterIssuer that signs.',
              attributes: {
                name: { type: 'string', required: true, description: 'The issuer name.' },
                kind: { type: 'string', optional: true, description: 'Issuer (default) or ClusterIssuer.' },
                group: {
                  type: 'string',
                  optional: true,
                  description: 'The issuer API group (default cert-manager.io).',
                },
              },
            },
          },
        },
      },
    },
  },
};

const FIELDS: DiagnosticFields = {
  violationPath: (violation) => violation.terraformField,
  signerName: 'spec.issuer_ref.name',
  autoApprove: 'auto_approve',
  name: 'metadata.name',
  kind: 'CertificateRequest',
  timeoutRemedy: (error: CsrRuntimeError) =>
    error.missing === 'approval'
      ? {
          text: "Set auto_approve = true, let an approver (cert-manager's, or a policy) approve it, or raise timeout.",
          path: 'auto_approve',
        }
      : { text: 'Check that the issuer exists, is Ready, and can sign this request.', path: 'spec.issuer_ref.name' },
};

interface Blocks {
  readonly metadata?: TerraformObject;
  readonly spec?: TerraformObject;
  readonly issuerRef?: TerraformObject;
}

function blocksOf(config: TerraformObject): Blocks {
  const spec = read.object(config.spec);
  return { metadata: read.object(config.metadata), spec, issuerRef: read.object(spec?.issuer_ref) };
}

function structuralDiagnostics(config: TerraformObject): Diagnostic[] {
  const { metadata, spec } = blocksOf(config);
  const diagnostics: Diagnostic[] = [];
  if (config.metadata === null) {
    diagnostics.push(missingBlock('metadata', 'Add metadata { namespace = "..." generate_name = "...-" }.'));
  }
  if (config.spec === null) {
    diagnostics.push(missingBlock('spec', 'Add spec { request = ... issuer_ref { name = "..." } }.'));
  } else if (spec && spec.issuer_ref === null) {
    diagnostics.push(missingBlock('spec.issuer_ref', 'Add issuer_ref { name = "...", kind = "ClusterIssuer" }.'));
  }
  diagnostics.push(...nameConflictDiagnostics(metadata));
  return diagnostics;
}

async function timeoutDiagnostics(config: TerraformObject): Promise<Diagnostic[]> {
  const timeout = known(read.string(config.timeout));
  if (timeout === undefined) return [];
  const { parseGoDuration } = await import('../../rules/duration.js');
  const parsed = parseGoDuration(timeout);
  if ('ms' in parsed && parsed.ms > 0) return [];
  return [
    errorDiagnostic(
      'Invalid timeout',
      `Received ${JSON.stringify(timeout)}. Allowed: a positive Go duration such as "90s", "5m" or "1h30m". ` +
        'Fix: write a number followed by s, m or h.',
      'timeout',
    ),
  ];
}

/**
 * The configuration as the shared model, with the runtime's generate_name default when the object is named neither
 * way. Unknown values stay {@link UNKNOWN} (the rules skip them), nulls are absent; once the rules have passed at
 * Open every value is known.
 */
function certManagerRequestOf(config: TerraformObject): CertManagerRequestSpecDraft {
  const { metadata, spec, issuerRef } = blocksOf(config);
  const value = <T>(v: TerraformValue | undefined): T | undefined => (v ?? undefined) as T | undefined;
  return {
    metadata: {
      name: value(metadata?.name),
      generateName:
        value(metadata?.generate_name) ?? ((metadata?.name ?? null) === null ? DEFAULT_GENERATE_NAME : undefined),
      namespace: value(metadata?.namespace),
    },
    spec: spec && {
      request: value(spec.request),
      issuerRef: { name: value(issuerRef?.name), kind: value(issuerRef?.kind), group: value(issuerRef?.group) },
      duration: value(spec.duration),
      usages: value(read.strings(spec.usages)),
      isCA: value(spec.is_ca),
    },
  };
}

/** The shared rules' verdict on the configuration, and the validated request to open when it passed. */
async function checkRules(config: TerraformObject): Promise<CertManagerRequestCheck> {
  if (!blocksOf(config).spec) return { violations: [] };
  const { checkCertManagerRequest } = await import('../../rules/cert-manager-validate.js');
  return checkCertManagerRequest(certManagerRequestOf(config), { isUnresolved: (v) => v === UNKNOWN });
}

/**
 * `kubecsr_cert_manager_certificate_request`: a cert-manager CertificateRequest opened by the runtime (validated,
 * created with generate_name, approved when asked, watched until issued, Denied/Failed/InvalidRequest at once, the
 * leaf checked against the request's key and status.ca, deleted on every path).
 */
export class CertManagerCertificateRequest implements EphemeralResourceType {
  public readonly typeName = CERT_MANAGER_REQUEST_TYPE;
  public readonly schema = CERT_MANAGER_REQUEST_SCHEMA;
  private readonly opened = new OpenedRequests();

  public async validate(config: TerraformObject): Promise<Diagnostic[]> {
    return (await this.check(config)).diagnostics;
  }

  private async check(
    config: TerraformObject,
  ): Promise<{ diagnostics: Diagnostic[]; validated?: ValidatedCertManagerRequest }> {
    const { violations, validated } = await checkRules(config);
    return {
      diagnostics: [
        ...structuralDiagnostics(config),
        ...(await timeoutDiagnostics(config)),
        ...violationDiagnostics(violations, FIELDS),
      ],
      validated,
    };
  }

  public async open(config: TerraformObject, context: ServeContext): Promise<OpenOutcome> {
    const { diagnostics: invalid, validated } = await this.check(config);
    if (hasError(invalid)) return { diagnostics: invalid };
    if (validated === undefined) return { diagnostics: [notKnownAtOpen()] };
    const { openCertificateRequest } = await import('../../runtime/cert-manager/open.js');
    const { parseGoDuration } = await import('../../rules/duration.js');
    const timeout = parseGoDuration(known(read.string(config.timeout)) ?? DEFAULT_TIMEOUT);
    let opened: OpenedCertificateRequest;
    try {
      opened = await openCertificateRequest(
        { ...validated, autoApprove: known(read.bool(config.auto_approve)) ?? false },
        {
          kubeConfig: await context.kubeConfig(),
          timeoutMs: 'ms' in timeout ? timeout.ms : undefined,
          signal: context.signal,
        },
      );
    } catch (error) {
      const diagnostics = openFailureDiagnostics(error, FIELDS);
      if (diagnostics) return { diagnostics };
      throw error;
    }
    context.log('INFO', `kubecsr: certificate issued for CertificateRequest ${opened.namespace}/${opened.name}`);
    return {
      result: {
        ...config,
        certificate: opened.certificate,
        ca: opened.caPem ?? null,
        not_after: opened.notAfter.toISOString(),
      },
      private: this.opened.remember(`${opened.namespace}/${opened.name}`, opened),
      diagnostics: opened.cleanupError
        ? runtimeErrorDiagnostics(opened.cleanupError, FIELDS).map((d) => ({ ...d, severity: 2 as const }))
        : [],
    };
  }

  public close(privateData: Buffer | undefined): Promise<readonly Diagnostic[]> {
    return this.opened.close(privateData, FIELDS);
  }
}
