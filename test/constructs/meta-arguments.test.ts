import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TerraformStack } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import {
  CertManagerCertificateRequest,
  KubeCsrCertificate,
  KubeCsrClientIdentity,
  KubeCsrProvider,
  KubeCsrSelfSubjectReview,
  KubernetesCertificateSigningRequestV1Ephemeral,
} from '../../src/constructs/index.js';
import type { TerraformEphemeralMetaArguments } from '../../src/constructs/index.js';
import { PROVIDER_DOCS_CSR, docsCsrConfig, stackWithKubecsr, synthJson } from './support/fixtures.js';

/** Each construct that takes meta-arguments, made with them; `block` finds its block in the synthesized JSON. */
const CASES: readonly {
  readonly name: string;
  readonly make: (stack: TerraformStack, meta: TerraformEphemeralMetaArguments) => void;
  readonly block: readonly string[];
}[] = [
  {
    name: 'KubernetesCertificateSigningRequestV1Ephemeral',
    make: (stack, meta) =>
      new KubernetesCertificateSigningRequestV1Ephemeral(stack, 'it', { ...docsCsrConfig(), ...meta }),
    block: ['ephemeral', 'kubernetes_certificate_signing_request_v1', 'it'],
  },
  {
    name: 'CertManagerCertificateRequest',
    make: (stack, meta) =>
      new CertManagerCertificateRequest(stack, 'it', {
        metadata: { namespace: 'default', generateName: 'it-' },
        spec: { request: PROVIDER_DOCS_CSR, issuerRef: { name: 'ca', kind: 'ClusterIssuer' } },
        ...meta,
      }),
    block: ['ephemeral', 'kubecsr_cert_manager_certificate_request', 'it'],
  },
  {
    name: 'KubeCsrCertificate',
    make: (stack, meta) =>
      new KubeCsrCertificate(stack, 'it', {
        commonName: 'alice',
        signerName: 'kubernetes.io/kube-apiserver-client',
        ...meta,
      }),
    block: ['ephemeral', 'kubecsr_certificate', 'it'],
  },
  {
    name: 'KubeCsrClientIdentity',
    make: (stack, meta) => new KubeCsrClientIdentity(stack, 'it', { user: 'alice', ...meta }),
    block: ['ephemeral', 'kubecsr_client_identity', 'it'],
  },
  {
    name: 'KubeCsrSelfSubjectReview',
    make: (stack, meta) => new KubeCsrSelfSubjectReview(stack, 'it', meta),
    block: ['data', 'kubecsr_self_subject_review', 'it'],
  },
];

describe('meta-arguments of every construct that takes them', () => {
  for (const { name, make, block } of CASES) {
    it(`${name} writes depends_on, count, provider and lifecycle as given`, () => {
      // GIVEN a kubecsr alias and a resource to depend on
      const { stack } = stackWithKubecsr();
      const alias = new KubeCsrProvider(stack, 'alias', { alias: 'other', configPath: '~/.kube/config' });
      const ns = new NamespaceV1(stack, 'ns', { metadata: { name: 'builds' } });

      // WHEN the construct is made with every meta-argument but for_each (count excludes it)
      make(stack, {
        dependsOn: [ns],
        count: 2,
        provider: alias,
        lifecycle: { postcondition: [{ condition: 'true', errorMessage: 'never' }] },
      });

      // THEN its block carries them
      const json = synthJson(stack);
      const written = block.reduce((tree, key) => tree[key], json);
      assert.deepEqual(written.depends_on, ['kubernetes_namespace_v1.ns']);
      assert.equal(written.count, 2);
      assert.equal(written.provider, 'kubecsr.other');
      assert.deepEqual(written.lifecycle, { postcondition: [{ condition: 'true', error_message: 'never' }] });
    });
  }
});
