import type { KeyObject } from 'node:crypto';
import { parseCertificateChain, publicKeysEqual, verifyChain, type CertificateChain } from '../../pki/index.js';
import { CsrRuntimeError } from '../errors.js';
import type { CertificateRequestObject } from './client.js';

/** An issued CertificateRequest, read and checked. */
export interface VerifiedCertificateRequest {
  readonly certificate: string;
  readonly leafPem: string;
  readonly intermediatesPem: readonly string[];
  readonly caPem?: string;
  readonly chain: CertificateChain;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly renewAt: Date;
}

function decode(base64: string | undefined): string | undefined {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : undefined;
}

/**
 * Reads status.certificate and status.ca and checks them: the chain parses and its links hold; it verifies against
 * status.ca when the issuer set it, and against `caBundlePem` when given; the leaf carries the request's public key.
 *
 * @throws CsrRuntimeError `bad-certificate` saying which check failed
 */
export function verifyIssuedCertificateRequest(
  cr: CertificateRequestObject,
  requestKey: KeyObject,
  where: string,
  issuer: string,
  caBundlePem: string | undefined,
): VerifiedCertificateRequest {
  const certificate = decode(cr.status?.certificate) ?? '';
  const caPem = decode(cr.status?.ca);
  const fail = (what: string, cause?: unknown) =>
    new CsrRuntimeError('bad-certificate', `${issuer} issued an unusable certificate for ${where}: ${what}`, {
      csrName: cr.metadata.name,
      namespace: cr.metadata.namespace,
      cause,
      remedy: 'do not use it; check the issuer and its CA',
    });
  let chain: CertificateChain;
  try {
    chain = parseCertificateChain(certificate);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  for (const [bundle, name] of [
    [caPem, 'status.ca'],
    [caBundlePem, 'the caBundlePem option'],
  ] as const) {
    if (bundle === undefined) continue;
    try {
      verifyChain(chain, bundle);
    } catch (error) {
      throw fail(
        `it does not verify against ${name}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }
  if (!publicKeysEqual(chain.leaf.x509.publicKey, requestKey)) {
    throw fail("the certificate is not for the request's public key");
  }
  const { notBefore, notAfter } = chain.leaf;
  const renewAt = new Date(notBefore.getTime() + ((notAfter.getTime() - notBefore.getTime()) * 2) / 3);
  return {
    certificate,
    leafPem: chain.leaf.pem,
    intermediatesPem: chain.intermediates.map((cert) => cert.pem),
    ...(caPem === undefined ? {} : { caPem }),
    chain,
    notBefore,
    notAfter,
    renewAt,
  };
}
