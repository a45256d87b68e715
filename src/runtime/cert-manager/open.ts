import type { KubeConfig } from '@kubernetes/client-node';
import {
  CsrSpecError,
  DEFAULT_GENERATE_NAME,
  isValidatedCertManagerRequest,
  toValidatedCertManagerRequest,
  type CertManagerRequestSpec,
  type ValidatedCertManagerRequest,
} from '../../rules/index.js';
import { ObjectCleanup, runThenDelete } from '../cleanup.js';
import { CsrRuntimeError } from '../errors.js';
import { loadKubeConfig, toRuntimeError } from '../kube-client.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../labels.js';
import {
  CERT_MANAGER_AUTO_APPROVE_MESSAGE,
  CERT_MANAGER_AUTO_APPROVE_REASON,
  decideCertificateRequest,
  mayApprove,
  notAllowedToApprove,
} from './approve.js';
import { CertificateRequestClient, describeIssuerRef, type CertificateRequestObject } from './client.js';
import type {
  CertificateRequestConfig,
  CertificateRequestStep,
  OpenCertificateRequestOptions,
  OpenedCertificateRequest,
} from './types.js';
import { verifyIssuedCertificateRequest } from './verify.js';
import { waitForCertificateRequest } from './wait.js';

const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Deletes a CertificateRequest, retrying through short outages; a 404 counts as done. Returns the failure instead
 * of throwing it, so callers can report it beside their own outcome.
 */
export function deleteCertificateRequest(
  _kc: KubeConfig,
  client: CertificateRequestClient,
  name: string,
): Promise<CsrRuntimeError | undefined> {
  return client.delete(name);
}

/** The config as validated by the rules: as given when it carries the brand, else validated and parsed here. */
function validated(config: CertificateRequestConfig): ValidatedCertManagerRequest {
  if (isValidatedCertManagerRequest(config)) return config;
  const { metadata, spec } = config;
  try {
    return toValidatedCertManagerRequest({
      metadata: {
        ...metadata,
        generateName: metadata.name ? undefined : (metadata.generateName ?? DEFAULT_GENERATE_NAME),
      },
      spec,
    });
  } catch (error) {
    if (error instanceof CsrSpecError) {
      throw new CsrRuntimeError('invalid-spec', error.message, { cause: error, namespace: metadata.namespace });
    }
    throw error;
  }
}

function objectOf(config: CertManagerRequestSpec): CertificateRequestObject {
  const { metadata, spec } = config;
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'CertificateRequest',
    metadata: {
      ...(metadata.name ? { name: metadata.name } : { generateName: metadata.generateName ?? DEFAULT_GENERATE_NAME }),
      namespace: metadata.namespace,
      labels: { ...metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    },
    spec: {
      request: Buffer.from(spec.request).toString('base64'),
      issuerRef: {
        name: spec.issuerRef.name,
        kind: spec.issuerRef.kind ?? 'Issuer',
        group: spec.issuerRef.group ?? 'cert-manager.io',
      },
      ...(spec.duration === undefined ? {} : { duration: spec.duration }),
      ...(spec.usages === undefined ? {} : { usages: [...spec.usages] }),
      ...(spec.isCA === undefined ? {} : { isCA: spec.isCA }),
    },
  };
}

/**
 * Opens a cert-manager CertificateRequest the way Terraform opens an ephemeral resource: validates the input with
 * the shared rules and cert-manager's own (a `ValidatedCertManagerRequest` is opened as it is), creates the
 * CertificateRequest (labelled as this library's), approves it
 * through its status when `autoApprove` is set (else cert-manager's approver or a person does), watches it until
 * the issuer sets Ready=True/Issued (Denied, InvalidRequest and Failed end the wait at once with their reason and
 * message), checks the leaf against the request's key and the chain against status.ca, and deletes the object on
 * every path: success, error, timeout and abort.
 *
 * @throws CsrRuntimeError with a `code` for each way it can fail
 */
export async function openCertificateRequest(
  config: CertificateRequestConfig,
  options: OpenCertificateRequestOptions = {},
): Promise<OpenedCertificateRequest> {
  const started = Date.now();
  const namespace = config.metadata.namespace;
  const progress = (step: CertificateRequestStep, name?: string, approvedBy?: string) =>
    options.onProgress?.({
      step,
      name,
      namespace,
      ...(approvedBy === undefined ? {} : { approvedBy }),
      elapsedMs: Date.now() - started,
    });
  const issuer = describeIssuerRef(config.spec.issuerRef);

  // What is created is what was validated: a frozen copy, which no callback can change before create.
  const request = validated(config);
  const requestKey = request.parsedRequest.publicKey;
  progress('validated');
  options.signal?.throwIfAborted();

  const kc = loadKubeConfig(options);
  const client = new CertificateRequestClient(kc, namespace);
  const body = objectOf(request);
  const autoApprove = config.autoApprove ?? false;
  // Refuse before creating anything when the identity may not approve (cert-manager's approval rule).
  if (autoApprove && (await mayApprove(kc, body, namespace)) === false) {
    throw notAllowedToApprove(body, namespace);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutSignal = AbortSignal.timeout(timeoutMs);

  // Not abortable, as in openCertificateSigningRequest: an abort is seen once the object exists, which is then deleted.
  const created = await client.create(body);
  const name = created.metadata.name ?? '';
  const where = `CertificateRequest ${namespace}/${name}`;
  progress('created', name);

  let approvedReported = false;
  const reportApproved = (by: string | undefined) => {
    if (approvedReported) return;
    approvedReported = true;
    progress('approved', name, by);
  };
  const cleanup = new ObjectCleanup(
    () => client.delete(name),
    () => progress('deleted', name),
  );
  const result = await runThenDelete(
    async (stopWaiting) => {
      options.signal?.throwIfAborted();
      const issued = waitForCertificateRequest({
        kc,
        client,
        name,
        issuer,
        resourceVersion: created.metadata.resourceVersion,
        abortSignal: options.signal ? AbortSignal.any([options.signal, stopWaiting]) : stopWaiting,
        timeoutSignal,
        timeoutMs,
        pollIntervalMs: options.pollIntervalMs,
        onApproved: reportApproved,
      });
      if (autoApprove) {
        // Approve while the watch connects: the watch starts from the creation's version, so it misses nothing.
        const approving = decideCertificateRequest(
          kc,
          client,
          created,
          {
            decision: 'Approved',
            reason: CERT_MANAGER_AUTO_APPROVE_REASON,
            message: CERT_MANAGER_AUTO_APPROVE_MESSAGE,
          },
          { permissionChecked: true, signal: options.signal },
        );
        issued.catch(() => undefined); // the approval's failure wins; the wait's own failure is read below
        const approved = await approving;
        const condition = approved.status?.conditions?.find((c) => c.type === 'Approved' && c.status === 'True');
        reportApproved(condition?.reason);
      }
      const cr = await issued;
      progress('issued', name);
      const verified = verifyIssuedCertificateRequest(cr, requestKey, where, issuer, options.caBundlePem);
      progress('verified', name);
      return verified;
    },
    cleanup,
    (error) =>
      options.signal?.aborted
        ? new CsrRuntimeError('aborted', `stopped waiting for ${where}: aborted`, {
            csrName: name,
            namespace,
            cause: error,
          })
        : toRuntimeError(error, `issue a certificate for ${where}`, { kc, csrName: name }),
  );
  return {
    ...result,
    name,
    namespace,
    get deleted() {
      return cleanup.deleted;
    },
    get cleanupError() {
      return cleanup.cleanupError;
    },
    close: () => cleanup.close(),
  };
}
