import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';

/** API group, version and resource of cert-manager's CertificateRequests. */
export const CERTIFICATE_REQUEST_RESOURCE = {
  group: 'cert-manager.io',
  version: 'v1',
  plural: 'certificaterequests',
} as const;

/** A condition of a CertificateRequest's status. */
export interface CertificateRequestCondition {
  /** The condition's type, e.g. `Ready`, `Approved`, `Denied`, `InvalidRequest`. */
  readonly type: string;
  /** Whether the condition holds. */
  readonly status: 'True' | 'False' | 'Unknown';
  /** CamelCase reason, set by whoever wrote the condition. */
  readonly reason?: string;
  /** Human-readable message. */
  readonly message?: string;
  /** When the status last changed, RFC 3339. */
  readonly lastTransitionTime?: string;
}

/** The part of a cert-manager.io/v1 CertificateRequest this runtime reads and writes. */
export interface CertificateRequestObject {
  /** Always `cert-manager.io/v1`. */
  readonly apiVersion: 'cert-manager.io/v1';
  /** Always `CertificateRequest`. */
  readonly kind: 'CertificateRequest';
  /** The object's metadata, as far as this runtime uses it. */
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
    readonly uid?: string;
    readonly creationTimestamp?: string;
  };
  /** What the client asks for. */
  readonly spec: {
    /** Base64 of the PEM request. */
    readonly request: string;
    readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
    readonly duration?: string;
    readonly usages?: readonly string[];
    readonly isCA?: boolean;
  };
  /** What cert-manager and the approver wrote, once they have. */
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
 * `any`): create, read, replace the status, delete, and the collection path to watch.
 */
export class CertificateRequestClient {
  private readonly api: CustomObjectsApi;

  public constructor(
    kc: KubeConfig,
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

  /** Creates the object in the namespace. */
  public async create(body: CertificateRequestObject): Promise<CertificateRequestObject> {
    return (await this.api.createNamespacedCustomObject({
      ...CERTIFICATE_REQUEST_RESOURCE,
      namespace: this.namespace,
      body,
    })) as CertificateRequestObject;
  }

  /** Reads the object `name` of the namespace. */
  public async read(name: string): Promise<CertificateRequestObject> {
    return (await this.api.getNamespacedCustomObject({
      ...CERTIFICATE_REQUEST_RESOURCE,
      namespace: this.namespace,
      name,
    })) as CertificateRequestObject;
  }

  /** Replaces the status subresource; `body.metadata.resourceVersion` makes it fail with 409 if the object changed. */
  public async replaceStatus(body: CertificateRequestObject): Promise<CertificateRequestObject> {
    return (await this.api.replaceNamespacedCustomObjectStatus({
      ...CERTIFICATE_REQUEST_RESOURCE,
      namespace: this.namespace,
      name: body.metadata.name ?? '',
      body,
    })) as CertificateRequestObject;
  }

  /** Deletes the object `name` of the namespace. */
  public async delete(name: string): Promise<void> {
    await this.api.deleteNamespacedCustomObject({ ...CERTIFICATE_REQUEST_RESOURCE, namespace: this.namespace, name });
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
