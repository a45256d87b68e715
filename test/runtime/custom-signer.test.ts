import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCertificateRequest, generateKey } from '../../src/pki/index.js';
import { openCertificateSigningRequest } from '../../src/runtime/index.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { TestSigner } from '../support/test-signer.js';

const signerName = `example.com/serving-${uniqueSuffix()}`;
const signer = TestSigner.start(sharedKubeConfig(), signerName);
after(() => signer.stop());

describe('openCertificateSigningRequest with a custom signer', () => {
  it('receives a serving certificate with the requested DNS and IP SANs, verified against that signer CA', async () => {
    // GIVEN a serving request for web.default.svc and 10.0.0.10
    const key = await generateKey('ecdsa-p256');
    const request = createCertificateRequest({
      privateKey: key.privateKey,
      commonName: 'web.default.svc',
      dnsNames: ['web', 'web.default.svc'],
      ipAddresses: ['10.0.0.10'],
    });
    const prefix = `serving-${uniqueSuffix()}-`;
    // WHEN it is opened for the custom signer (which a controller of the cluster operator serves)
    const opened = await openCertificateSigningRequest(
      {
        metadata: { generateName: prefix },
        spec: { request, signerName, usages: ['digital signature', 'key encipherment', 'server auth'] },
      },
      { kubeconfig: sharedKubeconfigPath(), caBundlePem: signer.caPem, timeoutMs: 30_000 },
    );
    // THEN the leaf carries the SANs and serverAuth, chains to the signer's CA, and the object is gone
    assert.deepEqual(opened.chain.leaf.subjectAltNames.dnsNames, ['web', 'web.default.svc']);
    assert.deepEqual(opened.chain.leaf.subjectAltNames.ipAddresses, ['10.0.0.10']);
    assert.deepEqual(opened.chain.leaf.extendedKeyUsages, ['server auth']);
    assert.deepEqual(signer.issued, [opened.csrName]);
    assert.deepEqual(await csrNamesWithPrefix(sharedKubeConfig(), prefix), []);
  });
});
