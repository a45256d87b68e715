import type { Construct } from 'constructs';
import { IssuedCertificate } from './issued-certificate.js';
import type { IssuedCertificateProps } from './issued-certificate.js';
import { KubeCsrCertificate } from './kubecsr-certificate.js';
import { TlsSecretV1 } from './tls-secret-v1.js';
import type { TlsSecretV1Props } from './tls-secret-v1.js';

/** Properties of {@link ServingCertificate}. */
export interface ServingCertificateProps extends IssuedCertificateProps {
  /**
   * Terraform `signer_name`: the signer that issues serving certificates in your cluster, e.g. a custom
   * `example.com/serving` signer or `kubernetes.io/kubelet-serving` (kubelets only).
   */
  readonly signerName: string;
  /**
   * Terraform `dns_names`: DNS subjectAltNames.
   * @default - none (then `ipAddresses` must not be empty)
   */
  readonly dnsNames?: string[];
  /**
   * Terraform `ip_addresses`: IP subjectAltNames.
   * @default - none (then `dnsNames` must not be empty)
   */
  readonly ipAddresses?: string[];
  /**
   * Terraform `common_name`: subject common name.
   * @default - the first DNS name, else the first IP address
   */
  readonly commonName?: string;
  /**
   * Terraform `organizations`: subject organizations (O).
   * @default - none
   */
  readonly organizations?: string[];
  /**
   * Terraform `usages`.
   * @default ['digital signature', 'key encipherment', 'server auth']
   */
  readonly usages?: string[];
}

/**
 * A TLS serving certificate with DNS/IP subjectAltNames, issued per Terraform run through an ephemeral
 * CertificateSigningRequest by the signer you name. Key handling is that of {@link ClientCertificate}: in memory
 * (a {@link KubeCsrCertificate}, the default with a KubeCsrProvider) or in a local key file.
 * Store it with {@link ServingCertificate.toTlsSecret} (write-only `data_wo`, so neither certificate nor key is kept
 * in state).
 */
export class ServingCertificate extends IssuedCertificate {
  /** DNS subjectAltNames requested. */
  public readonly dnsNames: readonly string[];
  /** IP subjectAltNames requested. */
  public readonly ipAddresses: readonly string[];

  public constructor(scope: Construct, id: string, props: ServingCertificateProps) {
    const dnsNames = props.dnsNames ?? [];
    const ipAddresses = props.ipAddresses ?? [];
    const commonName = props.commonName ?? dnsNames[0] ?? ipAddresses[0];
    if (commonName === undefined) {
      throw new Error(
        `ServingCertificate '${id}': dnsNames and ipAddresses are both empty; a serving certificate needs at least one subjectAltName (e.g. dnsNames: ['my-svc.my-ns.svc'])`,
      );
    }
    const usages = props.usages ?? ['digital signature', 'key encipherment', 'server auth'];
    super(scope, id, props, {
      commonName,
      organizations: props.organizations,
      dnsNames,
      ipAddresses,
      signerName: props.signerName,
      usages,
      nameHint: commonName,
      inMemory: (self, settings) =>
        new KubeCsrCertificate(self, 'Resource', {
          commonName,
          organizations: props.organizations,
          dnsNames: props.dnsNames,
          ipAddresses: props.ipAddresses,
          signerName: props.signerName,
          usages,
          ...settings,
        }),
    });
    this.dnsNames = dnsNames;
    this.ipAddresses = ipAddresses;
  }

  /**
   * A `kubernetes.io/tls` secret holding this certificate (`tls.crt`) and its key (`tls.key`: the ephemeral key in
   * memory, `file("<keyFile>")` in key-file mode), written through the write-only `data_wo` of hashicorp/kubernetes.
   */
  public toTlsSecret(
    scope: Construct,
    id: string,
    props: Omit<TlsSecretV1Props, 'certificate' | 'keyFile' | 'privateKeyPem'>,
  ): TlsSecretV1 {
    return new TlsSecretV1(scope, id, {
      ...props,
      certificate: this.certificate,
      keyFile: this.keyFile,
      privateKeyPem: this.privateKeyPem,
    });
  }
}
