import type { CsrSpecDraft } from '../../rules/csr-spec.js';
import type { CsrCheck } from '../../rules/validate.js';
import type { ValidatedCsr } from '../../rules/validated-csr.js';
import type { OpenedCertificateSigningRequest } from '../../runtime/open.js';
import { errorDiagnostic, hasError, type Diagnostic } from '../values/diagnostics.js';
import { UNKNOWN, type TerraformObject, type TerraformValue } from '../values/dynamic-value.js';
import { parseDuration } from '../values/duration.js';
import { known, read } from '../values/read.js';
import type { BlockSchema } from '../values/schema.js';
import { missingBlock, nameConflictDiagnostics, notKnownAtOpen } from './block-diagnostics.js';
import { OpenedRequests } from './opened-requests.js';
import { openFailureDiagnostics, runtimeErrorDiagnostics, violationDiagnostics } from './runtime-diagnostics.js';
import type { EphemeralResourceType, OpenOutcome, ServeContext } from './types.js';

/** The type name hashicorp/kubernetes gives its ephemeral CSR; kubecsr serves the same one (`provider = kubecsr`). */
export const CSR_V1_TYPE = 'kubernetes_certificate_signing_request_v1';

const DEFAULT_TIMEOUT = '5m';

/**
 * hashicorp/kubernetes 2.38.0's schema for the ephemeral CSR, attribute for attribute, plus optional extras that do
 * not change the meaning of its attributes: metadata.generate_name, timeout, ca_bundle. One difference, checked by
 * the schema parity test: metadata.name is optional here, because generate_name may take its place; validation
 * requires exactly one of them.
 */
export const CSR_V1_SCHEMA: BlockSchema = {
  description:
    'Submits a PKCS#10 request to the certificates.k8s.io/v1 CertificateSigningRequest API, approves it when asked, ' +
    'waits for the signer and returns the certificate; the object is deleted before the certificate is returned.',
  attributes: {
    auto_approve: {
      type: 'bool',
      optional: true,
      description: 'Approve the request (the default, as in hashicorp/kubernetes); false waits for someone else to.',
    },
    certificate: {
      type: 'string',
      optional: true,
      computed: true,
      description: 'The issued certificate (PEM), followed by any intermediates, as in status.certificate.',
    },
    timeout: {
      type: 'string',
      optional: true,
      description: `How long to wait for approval and signature, e.g. "90s" or "5m". Default ${DEFAULT_TIMEOUT}.`,
    },
    ca_bundle: {
      type: 'string',
      optional: true,
      description:
        'PEM CA certificates the issued chain must verify against (for kube-apiserver-client, the cluster CA).',
    },
  },
  blocks: {
    metadata: {
      nesting: 'single',
      block: {
        description: 'Metadata of the CertificateSigningRequest object.',
        attributes: {
          name: {
            type: 'string',
            optional: true,
            description: 'The object name (a DNS-1123 subdomain); open fails if it is taken. Or set generate_name.',
          },
          generate_name: {
            type: 'string',
            optional: true,
            description: 'A name prefix the API server completes with a random suffix: no collisions between runs.',
          },
        },
      },
    },
    spec: {
      nesting: 'single',
      block: {
        description: 'The request, as certificates.k8s.io/v1 defines it.',
        attributes: {
          usages: {
            type: ['list', 'string'],
            optional: true,
            description: 'Key usages requested, e.g. ["client auth"].',
          },
          expiration_seconds: {
            type: 'number',
            optional: true,
            description: 'Requested validity in seconds, at least 600; the signer may shorten it.',
          },
          request: { type: 'string', required: true, description: 'The PEM CERTIFICATE REQUEST (PKCS#10).' },
          signer_name: {
            type: 'string',
            required: true,
            description: 'The signer, e.g. kubernetes.io/kube-apiserver-client.',
          },
        },
      },
    },
  },
};

interface ReadConfig {
  readonly metadata?: TerraformObject;
  readonly spec?: TerraformObject;
}

function blocksOf(config: TerraformObject): ReadConfig {
  return { metadata: read.object(config.metadata), spec: read.object(config.spec) };
}

function structuralDiagnostics(config: TerraformObject): Diagnostic[] {
  const { metadata } = blocksOf(config);
  const diagnostics: Diagnostic[] = [];
  if (config.spec === null) {
    diagnostics.push(
      missingBlock('spec', 'A CertificateSigningRequest needs spec { request, signer_name }. Add the block.'),
    );
  }
  if (config.metadata === null) {
    diagnostics.push(missingBlock('metadata', 'Add metadata { name = "..." } or metadata { generate_name = "...-" }.'));
  }
  diagnostics.push(...nameConflictDiagnostics(metadata));
  const timeout = known(read.string(config.timeout));
  if (timeout !== undefined && (parseDuration(timeout) ?? 0) <= 0) {
    diagnostics.push(
      errorDiagnostic(
        'Invalid timeout',
        `Received ${JSON.stringify(timeout)}. Allowed: a positive duration such as "90s", "5m" or "1h30m". ` +
          'Fix: write a number followed by ms, s, m or h.',
        'timeout',
      ),
    );
  }
  return diagnostics;
}

/**
 * The configuration as the shared model. Unknown values stay {@link UNKNOWN} (the rules skip them), nulls are absent;
 * once the rules have passed at Open every value is known.
 */
function csrOf(config: TerraformObject): CsrSpecDraft {
  const { metadata, spec } = blocksOf(config);
  const value = <T>(v: TerraformValue | undefined): T | undefined => (v ?? undefined) as T | undefined;
  return {
    metadata: { name: value(metadata?.name), generateName: value(metadata?.generate_name) },
    spec: spec && {
      request: value(spec.request),
      signerName: value(spec.signer_name),
      expirationSeconds: value(read.number(spec.expiration_seconds)),
      usages: value(read.strings(spec.usages)),
    },
  };
}

/** The shared rules' verdict on the configuration, and the validated spec to open when it passed. */
async function checkRules(config: TerraformObject): Promise<CsrCheck> {
  if (!blocksOf(config).spec) return { violations: [] };
  const { checkCsr } = await import('../../rules/validate.js');
  return checkCsr(csrOf(config), { isUnresolved: (value) => value === UNKNOWN });
}

/**
 * `kubernetes_certificate_signing_request_v1` served by kubecsr: hashicorp/kubernetes' ephemeral CSR with this
 * project's runtime behind it (a watch instead of sleeps, Denied/Failed at once, the leaf checked against the
 * request's key, the object deleted before Open returns).
 */
export class CertificateSigningRequestV1 implements EphemeralResourceType {
  public readonly typeName: string = CSR_V1_TYPE;
  public readonly schema = CSR_V1_SCHEMA;
  private readonly opened = new OpenedRequests();

  public async validate(config: TerraformObject): Promise<Diagnostic[]> {
    return (await this.check(config)).diagnostics;
  }

  private async check(config: TerraformObject): Promise<{ diagnostics: Diagnostic[]; validated?: ValidatedCsr }> {
    const { violations, validated } = await checkRules(config);
    return { diagnostics: [...structuralDiagnostics(config), ...violationDiagnostics(violations)], validated };
  }

  public async open(config: TerraformObject, context: ServeContext): Promise<OpenOutcome> {
    const { diagnostics: invalid, validated } = await this.check(config);
    if (hasError(invalid)) return { diagnostics: invalid };
    if (validated === undefined) return { diagnostics: [notKnownAtOpen()] };
    const { openCertificateSigningRequest } = await import('../../runtime/open.js');
    const timeoutMs = parseDuration(known(read.string(config.timeout)) ?? DEFAULT_TIMEOUT);
    let opened: OpenedCertificateSigningRequest;
    try {
      // As in hashicorp/kubernetes: null approves.
      const autoApprove = known(read.bool(config.auto_approve)) ?? true;
      opened = await openCertificateSigningRequest(
        { ...validated, autoApprove },
        {
          kubeConfig: await context.kubeConfig(),
          timeoutMs,
          signal: context.signal,
          caBundlePem: known(read.string(config.ca_bundle)),
          onProgress: (progress) =>
            context.log(
              'DEBUG',
              `kubecsr: CertificateSigningRequest ${progress.csrName ?? ''} ${progress.step} after ${progress.elapsedMs} ms`,
            ),
        },
      );
    } catch (error) {
      const diagnostics = openFailureDiagnostics(error);
      if (diagnostics) return { diagnostics };
      throw error;
    }
    context.log('INFO', `kubecsr: certificate issued for CertificateSigningRequest ${opened.csrName}`);
    const configured = read.string(config.certificate);
    return {
      result: { ...config, certificate: configured ?? opened.certificate },
      private: this.opened.remember(opened.csrName, opened),
      diagnostics: opened.cleanupError ? runtimeErrorDiagnostics(opened.cleanupError).map(asWarning) : [],
    };
  }

  public close(privateData: Buffer | undefined): Promise<readonly Diagnostic[]> {
    return this.opened.close(privateData);
  }
}

function asWarning(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic, severity: 2 };
}
