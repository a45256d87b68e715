import type { KeyObject } from 'node:crypto';
import { CsrRuntimeError } from '../errors.js';
import { verifyIssuedChain, type VerifiedChain } from '../issued-chain.js';
import type { CertificateRequestObject } from './client.js';

/** An issued CertificateRequest, read and checked. */
export interface VerifiedCertificateRequest extends VerifiedChain {
  /** status.ca: the CA that signed the chain, as the issuer reports it (CA and SelfSigned issuers set it). */
  readonly caPem?: string;
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
  const caPem = decode(cr.status?.ca);
  const unusable = (what: string, cause?: unknown) =>
    new CsrRuntimeError('bad-certificate', `${issuer} issued an unusable certificate for ${where}: ${what}`, {
      csrName: cr.metadata.name,
      namespace: cr.metadata.namespace,
      cause,
      remedy: 'do not use it; check the issuer and its CA',
    });
  const verified = verifyIssuedChain({
    certificate: decode(cr.status?.certificate) ?? '',
    requestKey,
    bundles: [
      { pem: caPem, name: 'status.ca' },
      { pem: caBundlePem, name: 'the caBundlePem option' },
    ],
    unusable,
    wrongKey: () => unusable("the certificate is not for the request's public key"),
  });
  return { ...verified, ...(caPem === undefined ? {} : { caPem }) };
}
