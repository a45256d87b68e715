import { dns1123LabelProblems } from '../../rules/names.js';
import { KUBE_APISERVER_CLIENT_SIGNER } from '../../rules/signers.js';
import { errorDiagnostic, type Diagnostic } from '../values/diagnostics.js';
import type { TerraformObject } from '../values/dynamic-value.js';
import { known, read } from '../values/read.js';
import type { BlockSchema } from '../values/schema.js';
import {
  ISSUANCE_PATHS,
  issuanceAttributes,
  issuanceDraft,
  type IssuedMaterial,
  type IssuingType,
  type RequestDraft,
} from './key-issuance.js';

/** The ephemeral type of a new Kubernetes user's credentials: key, certificate and a kubeconfig, all in memory. */
export const CLIENT_IDENTITY_TYPE = 'kubecsr_client_identity';

/** `kubecsr_client_identity`'s schema. */
export const CLIENT_IDENTITY_SCHEMA: BlockSchema = {
  description:
    'Credentials for a Kubernetes user: a key generated in memory during Open, a client certificate with CN=user ' +
    "and O=groups, and a complete kubeconfig for the provider's cluster with both embedded. Use them in a provider " +
    'block, a write-only argument or a module input; nothing secret reaches a file, the plan or the state.',
  attributes: {
    user: {
      type: 'string',
      required: true,
      description: "The user name the API server will see (the certificate's CN).",
    },
    groups: {
      type: ['list', 'string'],
      optional: true,
      description: "The groups the API server will see (the certificate's O), besides system:authenticated.",
    },
    namespace: {
      type: 'string',
      optional: true,
      description: 'The kubeconfig context\'s default namespace. Default: none (kubectl\'s "default").',
    },
    signer_name: {
      type: 'string',
      optional: true,
      description: `The signer. Default "${KUBE_APISERVER_CLIENT_SIGNER}", which kube-controller-manager signs with the cluster's client CA.`,
    },
    ...issuanceAttributes(),
    host: {
      type: 'string',
      computed: true,
      description: "The API server URL of the provider's cluster, for a provider block's host.",
    },
    kubeconfig: {
      type: 'string',
      computed: true,
      sensitive: true,
      description:
        "A complete kubeconfig (YAML) for the user: the provider's server and CA, the certificate and key embedded, " +
        "one context named after the user. For a kubecsr provider's kubeconfig, a write-only secret or a module input.",
    },
  },
};

/** `kubecsr_client_identity`: a new user's key, certificate and kubeconfig, as ephemeral values only. Served as `new KeyIssuance(...)`. */
export const CLIENT_IDENTITY_ISSUING: IssuingType = {
  typeName: CLIENT_IDENTITY_TYPE,
  schema: CLIENT_IDENTITY_SCHEMA,
  paths: {
    commonName: 'user',
    organizations: 'groups',
    // A client identity asks for no subjectAltNames and takes its usages from the signer: a signer that wants
    // either is the wrong signer for it.
    dnsNames: 'signer_name',
    ipAddresses: 'signer_name',
    uris: 'signer_name',
    usages: 'signer_name',
    signerName: 'signer_name',
    ...ISSUANCE_PATHS,
  },
  draft(config: TerraformObject): RequestDraft {
    return {
      commonName: read.string(config.user),
      organizations: read.strings(config.groups),
      dnsNames: undefined,
      ipAddresses: undefined,
      uris: undefined,
      usages: undefined,
      signerName: read.string(config.signer_name) ?? KUBE_APISERVER_CLIENT_SIGNER,
      ...issuanceDraft(config),
    };
  },
  defaultUsages: (profile) => profile?.suggestedUsages ?? ['client auth'],
  extraDiagnostics(config: TerraformObject): Diagnostic[] {
    const namespace = known(read.string(config.namespace));
    if (namespace === undefined) return [];
    const problems = dns1123LabelProblems(namespace);
    if (problems.length === 0) return [];
    return [
      errorDiagnostic(
        'Invalid namespace',
        `namespace: ${problems.join(' and ')}.\nReceived: ${JSON.stringify(namespace)}.\n` +
          "Allowed: a DNS-1123 label: at most 63 lowercase letters, digits and '-', alphanumeric at both ends.\n" +
          'Fix: write the name of a namespace, e.g. "team-a".',
        'namespace',
      ),
    ];
  },
  async extraResults(material: IssuedMaterial): Promise<TerraformObject> {
    const { userKubeconfigYaml } = await import('../../runtime/user-kubeconfig.js');
    const user = known(read.string(material.config.user)) ?? '';
    return {
      host: material.kubeConfig.getCurrentCluster()?.server ?? null,
      kubeconfig: userKubeconfigYaml({
        kubeConfig: material.kubeConfig,
        userName: user,
        contextName: user,
        namespace: known(read.string(material.config.namespace)),
        certificatePem: material.certificatePem,
        privateKeyPem: material.privateKeyPem,
      }),
    };
  },
};
