import type { KeyObject } from 'node:crypto';
import { parseCertificateChain, publicKeysEqual, verifyChain, type CertificateChain } from '../pki/index.js';
import type { CsrRuntimeError } from './errors.js';

/** An issued chain, parsed and checked against the request. */
export interface VerifiedChain {
  /** The chain as issued: the leaf PEM block followed by any intermediates. */
  readonly certificate: string;
  /** The issued (leaf) certificate, one PEM block. */
  readonly leafPem: string;
  /** The intermediates, one PEM block each, in order. */
  readonly intermediatesPem: readonly string[];
  /** The parsed chain. */
  readonly chain: CertificateChain;
  /** Start of validity (signers may backdate it). */
  readonly notBefore: Date;
  /** End of validity (signers and issuers may shorten what was asked for). */
  readonly notAfter: Date;
  /** When to issue a new certificate: two thirds into its validity. */
  readonly renewAt: Date;
}

/** What {@link verifyIssuedChain} checks, and how each kind of request words a failure. */
export interface ChainCheck {
  /** The issued chain, PEM. */
  readonly certificate: string;
  /** The public key of the request the chain was issued for. */
  readonly requestKey: KeyObject;
  /**
   * CA bundles (PEM) the chain must verify against, in order; an undefined one is skipped. `name` words a failure
   * as "it does not verify against NAME: ..."; without it the failure is the chain check's own message.
   */
  readonly bundles: readonly { readonly pem: string | undefined; readonly name?: string }[];
  /** The error for an unusable chain, from what is wrong with it. */
  readonly unusable: (detail: string, cause?: unknown) => CsrRuntimeError;
  /** The error for a chain whose leaf is not for the request's key. */
  readonly wrongKey: () => CsrRuntimeError;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Parses an issued chain and checks it: its links hold, it verifies against each CA bundle given, and its leaf
 * carries the request's public key.
 *
 * @throws CsrRuntimeError from `unusable` or `wrongKey`
 */
export function verifyIssuedChain(check: ChainCheck): VerifiedChain {
  let chain: CertificateChain;
  try {
    chain = parseCertificateChain(check.certificate);
  } catch (error) {
    throw check.unusable(messageOf(error), error);
  }
  for (const { pem, name } of check.bundles) {
    if (pem === undefined) continue;
    try {
      verifyChain(chain, pem);
    } catch (error) {
      throw check.unusable(name ? `it does not verify against ${name}: ${messageOf(error)}` : messageOf(error), error);
    }
  }
  if (!publicKeysEqual(chain.leaf.x509.publicKey, check.requestKey)) throw check.wrongKey();
  const { notBefore, notAfter } = chain.leaf;
  const renewAt = new Date(notBefore.getTime() + ((notAfter.getTime() - notBefore.getTime()) * 2) / 3);
  return {
    certificate: check.certificate,
    leafPem: chain.leaf.pem,
    intermediatesPem: chain.intermediates.map((cert) => cert.pem),
    chain,
    notBefore,
    notAfter,
    renewAt,
  };
}
