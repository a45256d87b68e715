import type { TerraformObject } from '../values/dynamic-value.js';
import { read } from '../values/read.js';
import type { BlockSchema } from '../values/schema.js';
import {
  ISSUANCE_PATHS,
  issuanceAttributes,
  issuanceDraft,
  type IssuingType,
  type RequestDraft,
} from './key-issuance.js';

/** The ephemeral type of a certificate from any signer, with a key that only ever exists in memory. */
export const CERTIFICATE_TYPE = 'kubecsr_certificate';

/** `kubecsr_certificate`'s schema. */
export const CERTIFICATE_SCHEMA: BlockSchema = {
  description:
    'A certificate from any CertificateSigningRequest signer, with a key generated in memory during Open: the ' +
    'provider builds and signs the request, has it approved and signed, deletes the object and returns key and ' +
    'certificate as ephemeral values. Nothing secret reaches a file, the plan or the state.',
  attributes: {
    common_name: {
      type: 'string',
      required: true,
      description: 'Subject common name (CN). For kubernetes.io/kube-apiserver-client it is the user name.',
    },
    organizations: {
      type: ['list', 'string'],
      optional: true,
      description: 'Subject organizations (O), in order. For kubernetes.io/kube-apiserver-client they are the groups.',
    },
    dns_names: {
      type: ['list', 'string'],
      optional: true,
      description: 'DNS subjectAltNames, e.g. ["api.example.com", "*.example.com"].',
    },
    ip_addresses: {
      type: ['list', 'string'],
      optional: true,
      description: 'IP subjectAltNames, IPv4 or IPv6, e.g. ["10.0.0.1"].',
    },
    uris: {
      type: ['list', 'string'],
      optional: true,
      description: 'URI subjectAltNames, e.g. ["spiffe://cluster.local/ns/default/sa/app"].',
    },
    usages: {
      type: ['list', 'string'],
      optional: true,
      description:
        'Key usages, e.g. ["client auth"]. Default: the usual set of a kubernetes.io signer (kube-apiserver-client: ' +
        '["client auth"]); other signers need it set.',
    },
    signer_name: {
      type: 'string',
      required: true,
      description: 'The signer, e.g. kubernetes.io/kube-apiserver-client or example.com/my-signer.',
    },
    ...issuanceAttributes(),
  },
};

/** `kubecsr_certificate`: a certificate from any signer; key and certificate exist only as ephemeral values. Served as `new KeyIssuance(...)`. */
export const CERTIFICATE_ISSUING: IssuingType = {
  typeName: CERTIFICATE_TYPE,
  schema: CERTIFICATE_SCHEMA,
  paths: {
    commonName: 'common_name',
    organizations: 'organizations',
    dnsNames: 'dns_names',
    ipAddresses: 'ip_addresses',
    uris: 'uris',
    usages: 'usages',
    signerName: 'signer_name',
    ...ISSUANCE_PATHS,
  },
  draft(config: TerraformObject): RequestDraft {
    return {
      commonName: read.string(config.common_name),
      organizations: read.strings(config.organizations),
      dnsNames: read.strings(config.dns_names),
      ipAddresses: read.strings(config.ip_addresses),
      uris: read.strings(config.uris),
      usages: read.strings(config.usages),
      signerName: read.string(config.signer_name),
      ...issuanceDraft(config),
    };
  },
  defaultUsages: (profile) => profile?.suggestedUsages,
};
