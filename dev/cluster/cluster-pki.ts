import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** A PEM certificate and its PEM private key, as written to disk for the control plane. */
export interface IssuedPair {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** The files a local control plane needs, all under one directory. */
export interface ClusterPki {
  readonly ca: IssuedPair;
  readonly serving: IssuedPair;
  readonly admin: IssuedPair;
  readonly controllerManager: IssuedPair;
  readonly serviceAccountKeyFile: string;
  readonly serviceAccountPublicKeyFile: string;
}

export interface Subject {
  readonly commonName: string;
  readonly organizations?: readonly string[];
}

// RSA keys come from Node's native generator; forge only assembles and signs the certificates (it cannot sign EC).
function newRsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function subjectAttributes(subject: Subject): forge.pki.CertificateField[] {
  return [
    ...(subject.organizations ?? []).map((value) => ({ shortName: 'O', value })),
    { shortName: 'CN', value: subject.commonName },
  ];
}

function makeCertificate(options: {
  subject: Subject;
  publicKey: forge.pki.rsa.PublicKey;
  signerKey: forge.pki.rsa.PrivateKey;
  issuer?: forge.pki.Certificate;
  isCa: boolean;
  serverAuth?: boolean;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  // A DER INTEGER must not start with a zero byte or have its top bit set: prefix 01 and add 15 random bytes.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  cert.setSubject(subjectAttributes(options.subject));
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : subjectAttributes(options.subject));
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.isCa, critical: true }];
  if (options.isCa) {
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: options.serverAuth === true, clientAuth: !options.serverAuth });
  }
  if (options.serverAuth) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    });
  }
  cert.setExtensions(extensions);
  cert.sign(options.signerKey, forge.md.sha256.create());
  return cert;
}

function writePair(dir: string, name: string, cert: forge.pki.Certificate, keyPem: string): IssuedPair {
  const certPem = forge.pki.certificateToPem(cert);
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(certFile, certPem, { mode: 0o644 });
  writeFileSync(keyFile, keyPem, { mode: 0o600 });
  return { certPem, keyPem, certFile, keyFile };
}

/**
 * Makes a fresh PKI for one local control plane: a cluster CA (which kube-controller-manager also signs CSRs with,
 * so issued client certificates authenticate), a serving certificate for 127.0.0.1/localhost, an admin identity in
 * system:masters, kube-controller-manager's identity, and the service-account signing key. Private keys are 0600.
 */
export function createClusterPki(dir: string): ClusterPki {
  const caKey = newRsaKeyPair();
  const caCert = makeCertificate({
    subject: { commonName: 'cdktf-kubernetes-csr test cluster CA' },
    publicKey: caKey.publicKey,
    signerKey: caKey.privateKey,
    isCa: true,
  });
  const ca = writePair(dir, 'ca', caCert, caKey.pem);

  const issue = (name: string, subject: Subject, serverAuth = false): IssuedPair => {
    const key = newRsaKeyPair();
    const cert = makeCertificate({
      subject,
      publicKey: key.publicKey,
      signerKey: caKey.privateKey,
      issuer: caCert,
      isCa: false,
      serverAuth,
    });
    return writePair(dir, name, cert, key.pem);
  };

  const serving = issue('apiserver-serving', { commonName: 'kube-apiserver' }, true);
  const admin = issue('admin', { commonName: 'cluster-admin', organizations: ['system:masters'] });
  // In system:masters: without per-controller service accounts, the bootstrap role of system:kube-controller-manager
  // may not write CSR status, so the signer could never issue.
  const controllerManager = issue('controller-manager', {
    commonName: 'system:kube-controller-manager',
    organizations: ['system:masters'],
  });

  const saKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKeyFile = join(dir, 'service-account.key');
  const serviceAccountPublicKeyFile = join(dir, 'service-account.pub');
  writeFileSync(serviceAccountKeyFile, saKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(serviceAccountPublicKeyFile, saKey.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });

  return { ca, serving, admin, controllerManager, serviceAccountKeyFile, serviceAccountPublicKeyFile };
}

/**
 * A certificate authority of its own, apart from the cluster CA (e.g. the CA that a cert-manager CA issuer signs
 * with): RSA 2048, valid for 7 days, written as `<name>.crt` and `<name>.key` (0600).
 */
export function createCertificateAuthority(dir: string, name: string, commonName: string): IssuedPair {
  const key = newRsaKeyPair();
  const cert = makeCertificate({
    subject: { commonName },
    publicKey: key.publicKey,
    signerKey: key.privateKey,
    isCa: true,
  });
  return writePair(dir, name, cert, key.pem);
}

/** A client identity signed by the cluster CA, to authenticate to kube-apiserver as `subject`. */
export function issueClientIdentity(dir: string, pki: ClusterPki, name: string, subject: Subject): IssuedPair {
  const key = newRsaKeyPair();
  const caCert = forge.pki.certificateFromPem(pki.ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(pki.ca.keyPem);
  const cert = makeCertificate({ subject, publicKey: key.publicKey, signerKey: caKey, issuer: caCert, isCa: false });
  return writePair(dir, name, cert, key.pem);
}
