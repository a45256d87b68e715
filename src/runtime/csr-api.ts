import type { CertificatesV1Api, KubeConfig, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { callOptions } from './api-call.js';
import { deleteWithRetry } from './delete-object.js';
import { CsrRuntimeError } from './errors.js';
import { certificatesApi, httpStatusOf, serverOf, toRuntimeError } from './kube-client.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './labels.js';

/** The collection's URL path, for a watch. */
export const CSR_COLLECTION_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

/** The label selector of the objects this library created. */
export const MANAGED_BY_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/**
 * Every certificates.k8s.io/v1 CertificateSigningRequest call of the runtime and the CLI, in one place: create,
 * read, write the /approval subresource, list by label, delete with its retry. Each call takes an AbortSignal
 * (an aborted call rejects with the AbortError, passed through) and fails with a CsrRuntimeError that names the
 * operation and the object and keeps the API exception as `cause` (so `httpStatusOf` still reads its status).
 */
export class CsrApi {
  /** The generated client, for calls this class does not wrap. */
  public readonly api: CertificatesV1Api;

  public constructor(
    /** The cluster and credentials. */
    public readonly kc: KubeConfig,
    api?: CertificatesV1Api,
  ) {
    this.api = api ?? certificatesApi(kc);
  }

  /**
   * Creates the object. A name that is taken fails with `already-exists` and leaves the other object untouched.
   *
   * @throws CsrRuntimeError
   */
  public async create(body: V1CertificateSigningRequest, signal?: AbortSignal): Promise<V1CertificateSigningRequest> {
    const name = body.metadata?.name;
    const signerName = body.spec.signerName;
    try {
      return await this.api.createCertificateSigningRequest({ body }, callOptions(signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      if (httpStatusOf(error) === 409) {
        throw new CsrRuntimeError(
          'already-exists',
          `a CertificateSigningRequest named "${name}" already exists; it was left untouched: ` +
            'choose another metadata.name, use generateName, or delete the old object if it is yours',
          { csrName: name, signerName, cause: error },
        );
      }
      throw toRuntimeError(error, 'create the CertificateSigningRequest', { kc: this.kc, csrName: name, signerName });
    }
  }

  /**
   * Reads the object; a missing one fails with a message that says so (its cause's status is 404).
   *
   * @throws CsrRuntimeError
   */
  public async read(name: string, signal?: AbortSignal): Promise<V1CertificateSigningRequest> {
    try {
      return await this.api.readCertificateSigningRequest({ name }, callOptions(signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      if (httpStatusOf(error) === 404) {
        throw new CsrRuntimeError(
          'api-error',
          `CertificateSigningRequest "${name}" not found on ${serverOf(this.kc)}`,
          {
            csrName: name,
            cause: error,
            remedy: 'list them with `kubectl get csr`',
          },
        );
      }
      throw toRuntimeError(error, `read CertificateSigningRequest "${name}"`, { kc: this.kc, csrName: name });
    }
  }

  /**
   * Writes the object's /approval subresource (its Approved or Denied condition). A 409 means someone else changed
   * the object meanwhile; a 403 fails with `forbidden` naming the RBAC rules approving needs.
   *
   * @throws CsrRuntimeError
   */
  public async replaceApproval(
    body: V1CertificateSigningRequest,
    verb: 'approve' | 'deny',
    signal?: AbortSignal,
  ): Promise<V1CertificateSigningRequest> {
    const name = body.metadata?.name ?? '';
    const signerName = body.spec.signerName;
    try {
      return await this.api.replaceCertificateSigningRequestApproval({ name, body }, callOptions(signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      if (httpStatusOf(error) === 403) {
        throw new CsrRuntimeError(
          'forbidden',
          `not allowed to ${verb} CertificateSigningRequest "${name}": the identity in the kubeconfig needs verb "approve" ` +
            `on resource "signers" of API group certificates.k8s.io with resourceNames ["${signerName}"] ` +
            `(or "${signerName.split('/')[0]}/*"), and verb "update" on "certificatesigningrequests/approval"`,
          { csrName: name, signerName, cause: error },
        );
      }
      throw toRuntimeError(error, `${verb} CertificateSigningRequest "${name}"`, {
        kc: this.kc,
        csrName: name,
        signerName,
      });
    }
  }

  /**
   * Lists the objects this library created (by its managed-by label).
   *
   * @throws CsrRuntimeError
   */
  public async listManaged(signal?: AbortSignal): Promise<V1CertificateSigningRequest[]> {
    try {
      return (await this.api.listCertificateSigningRequest({ labelSelector: MANAGED_BY_SELECTOR }, callOptions(signal)))
        .items;
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toRuntimeError(error, 'list CertificateSigningRequests', { kc: this.kc });
    }
  }

  /**
   * Deletes the object, retrying through short outages (an API server restart) for up to ~10 s; a 404 counts as
   * done. Not abortable: it is the clean-up that runs after an abort. Returns the failure (`cleanup-failed`)
   * instead of throwing it, so callers can report it beside their own outcome.
   */
  public delete(name: string): Promise<CsrRuntimeError | undefined> {
    return deleteWithRetry(
      this.kc,
      {
        what: `delete CertificateSigningRequest "${name}"`,
        name,
        remedy: `it is labelled ${MANAGED_BY_SELECTOR}: delete it with \`kubectl delete csr ${name}\` or \`kube-csr gc\``,
      },
      () => this.api.deleteCertificateSigningRequest({ name }),
    );
  }
}

/**
 * Deletes the object, retrying through short outages (an API server restart) for up to ~10 s. A 404 counts as done.
 * Returns the failure instead of throwing it, so callers can report it beside their own outcome.
 */
export function deleteCertificateSigningRequest(
  kc: KubeConfig,
  api: CertificatesV1Api,
  name: string,
): Promise<CsrRuntimeError | undefined> {
  return new CsrApi(kc, api).delete(name);
}
