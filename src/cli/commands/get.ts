import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import {
  describeCertificateChain,
  describeCertificateRequest,
  parseCertificateChain,
  parseCertificateRequest,
  type CertificateChainDescription,
  type CertificateRequestDescription,
} from '../../pki/index.js';
import { conditionOf } from '../../runtime/conditions.js';
import { MANAGED_BY_LABEL } from '../../runtime/labels.js';
import { defineCommand } from '../command.js';
import { messageOf } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, formatDuration, JSON_FLAG } from '../flags.js';
import { formatFields, printJson } from '../output.js';

/** What `kube-csr get --json` prints. */
export interface CsrSummary {
  readonly name: string;
  /** As `kubectl get csr` shows it: Pending, Approved, Approved,Issued, Denied, Failed... */
  readonly status: string;
  readonly signerName: string;
  readonly requestor?: string;
  readonly requestorGroups: string[];
  readonly created?: string;
  readonly expirationSeconds?: number;
  readonly usages: string[];
  readonly managedBy?: string;
  readonly conditions: {
    readonly type: string;
    readonly status: string;
    readonly reason?: string;
    readonly message?: string;
    readonly lastUpdateTime?: string;
  }[];
  /** The decoded spec.request, or why it could not be decoded. */
  readonly request: CertificateRequestDescription | { readonly error: string };
  /** The decoded status.certificate, once issued. */
  readonly certificate?: CertificateChainDescription | { readonly error: string };
}

/** `kubectl get csr`'s CONDITION column. */
export function statusOf(csr: V1CertificateSigningRequest): string {
  const parts: string[] = (['Approved', 'Denied', 'Failed'] as const).filter((type) => conditionOf(csr, type));
  if (csr.status?.certificate) parts.push('Issued');
  return parts.length === 0 ? 'Pending' : parts.join(',');
}

const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();

/** A CertificateSigningRequest reduced to what people and scripts look at; PEM decoded and described. */
export function summarise(csr: V1CertificateSigningRequest): CsrSummary {
  let request: CsrSummary['request'];
  try {
    request = describeCertificateRequest(
      parseCertificateRequest(Buffer.from(csr.spec.request, 'base64').toString('utf8')),
    );
  } catch (error) {
    request = { error: messageOf(error) };
  }
  let certificate: CsrSummary['certificate'];
  if (csr.status?.certificate) {
    try {
      certificate = describeCertificateChain(
        parseCertificateChain(Buffer.from(csr.status.certificate, 'base64').toString('utf8')),
      );
    } catch (error) {
      certificate = { error: messageOf(error) };
    }
  }
  return {
    name: csr.metadata?.name ?? '',
    status: statusOf(csr),
    signerName: csr.spec.signerName,
    ...(csr.spec.username ? { requestor: csr.spec.username } : {}),
    requestorGroups: csr.spec.groups ?? [],
    ...(csr.metadata?.creationTimestamp ? { created: iso(csr.metadata.creationTimestamp) } : {}),
    ...(csr.spec.expirationSeconds === undefined ? {} : { expirationSeconds: csr.spec.expirationSeconds }),
    usages: csr.spec.usages ?? [],
    ...(csr.metadata?.labels?.[MANAGED_BY_LABEL] ? { managedBy: csr.metadata.labels[MANAGED_BY_LABEL] } : {}),
    conditions: (csr.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.lastUpdateTime ? { lastUpdateTime: iso(c.lastUpdateTime) } : {}),
    })),
    request,
    ...(certificate ? { certificate } : {}),
  };
}

function keyText(info: { algorithm: string; bits?: number; curve?: string }): string {
  return [info.algorithm, info.curve ?? (info.bits === undefined ? undefined : `${info.bits} bits`)]
    .filter(Boolean)
    .join(' ');
}

function text(summary: CsrSummary, now: Date): string {
  const age = summary.created ? ` (${formatDuration(now.getTime() - Date.parse(summary.created))} ago)` : '';
  const request =
    'error' in summary.request
      ? `unreadable: ${summary.request.error}`
      : `${summary.request.subject.text || '(empty subject)'}; ${keyText(summary.request.publicKey)}; signature ` +
        `${summary.request.signatureValid ? 'valid' : 'INVALID'}`;
  let certificate: string | undefined;
  if (summary.certificate) {
    certificate =
      'error' in summary.certificate
        ? `unreadable: ${summary.certificate.error}`
        : `${summary.certificate.leaf.subject.text}; issuer ${summary.certificate.leaf.issuer.text}; valid ` +
          `${summary.certificate.leaf.notBefore} to ${summary.certificate.leaf.notAfter}; serial ` +
          `${summary.certificate.leaf.serialNumber}` +
          (summary.certificate.intermediates.length > 0
            ? `; ${summary.certificate.intermediates.length} intermediate(s)`
            : '');
  }
  const conditions = summary.conditions.map(
    (c) =>
      `  - ${c.type}${c.status === 'True' ? '' : `=${c.status}`}${c.reason ? ` ${c.reason}` : ''}` +
      `${c.message ? `: ${c.message}` : ''}${c.lastUpdateTime ? ` (${c.lastUpdateTime})` : ''}\n`,
  );
  return (
    formatFields([
      ['name', summary.name],
      ['status', summary.status],
      ['signer', summary.signerName],
      [
        'requestor',
        summary.requestor &&
          `${summary.requestor}${summary.requestorGroups.length > 0 ? ` (groups ${summary.requestorGroups.join(', ')})` : ''}`,
      ],
      ['created', summary.created && `${summary.created}${age}`],
      [
        'expiration',
        summary.expirationSeconds === undefined
          ? undefined
          : `${formatDuration(summary.expirationSeconds * 1000)} requested`,
      ],
      ['usages', summary.usages.join(', ') || undefined],
      ['managed-by', summary.managedBy],
      ['request', request],
      ['certificate', certificate ?? (summary.status.includes('Issued') ? undefined : 'not issued')],
      ['conditions', conditions.length > 0 ? '' : 'none'],
    ]) + conditions.join('')
  );
}

export const getCommand = defineCommand({
  name: 'get',
  summary: 'show a CertificateSigningRequest: status, conditions, decoded request and certificate',
  usage: 'kube-csr get NAME [--json] [flags]',
  positionals: { min: 1, max: 1, names: 'NAME (the CertificateSigningRequest)' },
  flags: {
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
Reads CertificateSigningRequest NAME and shows its status (as kubectl's CONDITION column: Pending, Approved,
Approved,Issued, Denied, Failed), signer, requestor, requested expiration and usages, its conditions with reason
and message, the decoded request (subject, key, whether its signature verifies) and, once issued, the decoded
certificate (subject, issuer, validity, serial).

Flags:
  --json       print one JSON document
  -h, --help   show this help

${CLUSTER_FLAGS_HELP}

Examples:
  kube-csr get kube-csr-jane-x7k2p
  kube-csr get kube-csr-jane-x7k2p --json | jq -r .status
`,
  async run({ values, positionals }, ctx) {
    const name = positionals[0] ?? '';
    const { kubeConfigFrom } = await import('../access.js'); // loads the Kubernetes client
    const { CsrApi } = await import('../../runtime/index.js');
    const summary = summarise(await new CsrApi(kubeConfigFrom(values)).read(name, ctx.signal));
    if (values.json) printJson(ctx, summary);
    else ctx.stdout.write(text(summary, new Date()));
    return EXIT_CODES.ok;
  },
});
