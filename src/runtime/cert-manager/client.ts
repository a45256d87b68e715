import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { callOptions } from '../api-call.js';
import { deleteWithRetry } from '../delete-object.js';
import { CsrRuntimeError } from '../errors.js';
import { httpStatusOf, toRuntimeError } from '../kube-client.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../labels.js';

/** API group, version and resource of cert-manager's CertificateRequests. */
export const CERTIFICATE_REQUEST_RESOURCE = {
  group: 'cert-manager.io',
  version: 'v1',
  plural: 'certificaterequests',
} as const;

/** A condition of a CertificateRequest's status. */
export interface CertificateRequestCondition {
  /** The condition's type, e.g. `Approved`, `Denied`, `Ready`, `InvalidRequest`. */
  readonly type: string;
  /** Whether the condition holds. */
  readonly status: 'True' | 'False' | 'Unknown';
  /** CamelCase reason, e.g. `Issued` or `Failed`. */
  readonly reason?: string;
  /** Human-readable message. */
  readonly message?: string;
  /** When the status last changed (RFC 3339). */
  readonly lastTransitionTime?: string;
}

/** The part of a cert-manager.io/v1 CertificateRequest this runtime reads and writes. */
export interface CertificateRequestObject {
  /** Always `cert-manager.io/v1`. */
  readonly apiVersion: 'cert-manager.io/v1';
  /** Always `CertificateRequest`. */
  readonly kind: 'CertificateRequest';
  /** The object's metadata (a `name` or a `generateName` when creating). */
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
    readonly uid?: string;
    readonly creationTimestamp?: string;
  };
  /** What is requested, and from which issuer. */
  readonly spec: {
    /** Base64 of the PEM request. */
    readonly request: string;
    readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
    readonly duration?: string;
    readonly usages?: readonly string[];
    readonly isCA?: boolean;
  };
  /** What cert-manager's controllers wrote: the conditions and, once issued, the chain and the CA. */
  readonly status?: {
    readonly conditions?: readonly CertificateRequestCondition[];
    /** Base64 of the PEM chain: the leaf, then intermediates. */
    readonly certificate?: string;
    /** Base64 of the PEM CA certificate. */
    readonly ca?: string;
    readonly failureTime?: string;
  };
}

/**
 * A typed client of one namespace's CertificateRequests, over client-node's CustomObjectsApi (which returns
 * `any`): create, read, replace the status, delete, and the collection path to watch. Each call takes an
 * AbortSignal (an aborted call rejects with the AbortError, passed through) and fails with a CsrRuntimeError that
 * names the operation and the object and keeps the API exception as `cause` (so `httpStatusOf` still reads it).
 */
export class CertificateRequestClient {
  private readonly api: CustomObjectsApi;

  public constructor(
    private readonly kc: KubeConfig,
    /** The namespace. */
    public readonly namespace: string,
  ) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  /** The collection's URL path, for a watch. */
  public get collectionPath(): string {
    const { group, version, plural } = CERTIFICATE_REQUEST_RESOURCE;
    return `/apis/${group}/${version}/namespaces/${this.namespace}/${plural}`;
  }

  /**
   * Creates the object. A name that is taken fails with `already-exists` and leaves the other object untouched; a
   * missing namespace or CRD says so.
   *
   * @throws CsrRuntimeError
   */
  public async create(body: CertificateRequestObject, signal?: AbortSignal): Promise<CertificateRequestObject> {
    const { namespace } = this;
    try {
      return (await this.api.createNamespacedCustomObject(
        { ...CERTIFICATE_REQUEST_RESOURCE, namespace, body },
        callOptions(signal),
      )) as CertificateRequestObject;
    } catch (error) {
      if (signal?.aborted) throw error;
      const name = body.metadata.name;
      if (httpStatusOf(error) === 409) {
        throw new CsrRuntimeError(
          'already-exists',
          `a CertificateRequest named ${namespace}/${name} already exists; it was left untouched`,
          {
            csrName: name,
            namespace,
            cause: error,
            remedy: 'choose another metadata.name, use generateName, or delete the old object if it is yours',
          },
        );
      }
      if (httpStatusOf(error) === 404) {
        throw new CsrRuntimeError(
          'api-error',
          `could not create the CertificateRequest in namespace ${namespace}: the namespace does not exist, or ` +
            'cert-manager is not installed (no certificaterequests.cert-manager.io resource)',
          {
            namespace,
            cause: error,
            remedy: `create the namespace, or install cert-manager's CRDs (kubectl get crd certificaterequests.cert-manager.io)`,
          },
        );
      }
      throw toRuntimeError(error, `create the CertificateRequest in namespace ${namespace}`, { kc: this.kc });
    }
  }

  /** Reads the object. @throws CsrRuntimeError */
  public async read(name: string, signal?: AbortSignal): Promise<CertificateRequestObject> {
    return this.call(`read ${this.describe(name)}`, name, signal, (options) =>
      this.api.getNamespacedCustomObject({ ...CERTIFICATE_REQUEST_RESOURCE, namespace: this.namespace, name }, options),
    );
  }

  /**
   * Replaces the status subresource; `body.metadata.resourceVersion` makes it fail with 409 if the object changed.
   *
   * @throws CsrRuntimeError
   */
  public async replaceStatus(
    body: CertificateRequestObject,
    verb: 'approve' | 'deny',
    signal?: AbortSignal,
  ): Promise<CertificateRequestObject> {
    const name = body.metadata.name ?? '';
    return this.call(`${verb} ${this.describe(name)}`, name, signal, (options) =>
      this.api.replaceNamespacedCustomObjectStatus(
        { ...CERTIFICATE_REQUEST_RESOURCE, namespace: this.namespace, name, body },
        options,
      ),
    );
  }

  /**
   * Deletes the object, retrying through short outages; a 404 counts as done. Not abortable: it is the clean-up
   * that runs after an abort. Returns the failure (`cleanup-failed`) instead of throwing it.
   */
  public delete(name: string): Promise<CsrRuntimeError | undefined> {
    const namespace = this.namespace;
    return deleteWithRetry(
      this.kc,
      {
        what: `delete ${this.describe(name)}`,
        name,
        namespace,
        remedy:
          `it is labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}: delete it with ` +
          `\`kubectl delete certificaterequest -n ${namespace} ${name}\``,
      },
      () => this.api.deleteNamespacedCustomObject({ ...CERTIFICATE_REQUEST_RESOURCE, namespace, name }),
    );
  }

  private describe(name: string): string {
    return `CertificateRequest ${this.namespace}/${name}`;
  }

  private async call(
    what: string,
    name: string,
    signal: AbortSignal | undefined,
    request: (options: ReturnType<typeof callOptions>) => Promise<unknown>,
  ): Promise<CertificateRequestObject> {
    try {
      return (await request(callOptions(signal))) as CertificateRequestObject;
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toRuntimeError(error, what, { kc: this.kc, csrName: name });
    }
  }
}

/** The condition of `type` with status "True", if the object carries one. */
export function trueCondition(cr: CertificateRequestObject, type: string): CertificateRequestCondition | undefined {
  return cr.status?.conditions?.find((condition) => condition.type === type && condition.status === 'True');
}

/** The Ready condition, whatever its status. */
export function readyCondition(cr: CertificateRequestObject): CertificateRequestCondition | undefined {
  return cr.status?.conditions?.find((condition) => condition.type === 'Ready');
}

/** `ClusterIssuer/name` or `Issuer/name` (with the group when it is not cert-manager.io), for messages. */
export function describeIssuerRef(ref: CertificateRequestObject['spec']['issuerRef']): string {
  const kind = ref.kind ?? 'Issuer';
  const group = ref.group && ref.group !== CERTIFICATE_REQUEST_RESOURCE.group ? `.${ref.group}` : '';
  return `${kind}${group}/${ref.name}`;
}
