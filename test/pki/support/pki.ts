import { createCertificateRequest, generateKey } from '../../../src/pki/index.js';
import type { GeneratedKey } from '../../../src/pki/index.js';
import { opensslOk, scratchDir } from './openssl.js';
import type { ScratchDir } from './openssl.js';

/**
 * A small PKI made with the openssl CLI at test time:
 * root CA (ECDSA P-256) -> intermediate CA (ECDSA P-384) -> leaf (our RSA request, client+server auth, SANs),
 * and an unrelated root CA.
 */
export interface TestPki {
  tmp: ScratchDir;
  leafKey: GeneratedKey;
  root: string;
  intermediate: string;
  leaf: string;
  otherRoot: string;
}

export async function makePki(): Promise<TestPki> {
  const tmp = await scratchDir();
  const leafKey = await generateKey('rsa-2048');
  const caExt = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
  await tmp.write('ca.ext', caExt);
  await tmp.write(
    'leaf.ext',
    'basicConstraints=critical,CA:FALSE\n' +
      'keyUsage=critical,digitalSignature,keyEncipherment\n' +
      'extendedKeyUsage=clientAuth,serverAuth\n' +
      'subjectAltName=DNS:leaf.example.com,IP:10.0.0.7,IP:2001:db8::7,URI:spiffe://cluster.local/ns/default/sa/app,email:leaf@example.com\n',
  );
  const selfSigned = (name: string, subject: string): Promise<string> =>
    opensslOk(
      [
        'req',
        '-x509',
        '-new',
        '-nodes',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-keyout',
        `${name}.key`,
      ]
        .concat(['-out', `${name}.crt`, '-subj', subject, '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE'])
        .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
      tmp.dir,
    );
  await Promise.all([selfSigned('root', '/O=test/CN=test root ca'), selfSigned('other', '/O=test/CN=other root ca')]);
  await opensslOk(
    ['req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-keyout', 'int.key'].concat([
      '-out',
      'int.csr',
      '-subj',
      '/O=test/CN=test intermediate ca',
    ]),
    tmp.dir,
  );
  await opensslOk(
    [
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.crt',
      '-CAkey',
      'root.key',
      '-set_serial',
      '0x1001',
      '-days',
      '2',
    ].concat(['-extfile', 'ca.ext', '-out', 'int.crt']),
    tmp.dir,
  );
  await tmp.write(
    'leaf.csr',
    createCertificateRequest({ privateKey: leafKey.privateKey, commonName: 'jane', organizations: ['devs', 'ops'] }),
  );
  await opensslOk(
    [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'int.crt',
      '-CAkey',
      'int.key',
      '-set_serial',
      '0x2002',
      '-days',
      '1',
    ].concat(['-extfile', 'leaf.ext', '-out', 'leaf.crt']),
    tmp.dir,
  );
  const [root, intermediate, leaf, otherRoot] = await Promise.all(
    ['root.crt', 'int.crt', 'leaf.crt', 'other.crt'].map((f) => tmp.read(f)),
  );
  return {
    tmp,
    leafKey,
    root: root ?? '',
    intermediate: intermediate ?? '',
    leaf: leaf ?? '',
    otherRoot: otherRoot ?? '',
  };
}
