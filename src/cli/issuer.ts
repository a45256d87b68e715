import type { KubeConfig } from '@kubernetes/client-node';
import type { CertificateChain } from '../pki/index.js';
import { CsrRuntimeError } from '../runtime/errors.js';
import type { CertificateRequestProgress } from '../runtime/index.js';
import {
  CERT_MANAGER_ISSUER_KINDS,
  certManagerSignerName,
  formatGoDuration,
  MIN_CERT_MANAGER_DURATION_MS,
  type CertManagerIssuerKind,
} from '../rules/index.js';
import { CliError, UsageError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { formatDuration } from './flags.js';
import type { Progress, ProgressStep } from './output.js';

/** A cert-manager issuer named by `--issuer KIND/NAME`. */
export interface IssuerFlag {
  readonly kind: CertManagerIssuerKind;
  readonly name: string;
}

/** The usages of a client certificate, as cert-manager names them. */
export const CLIENT_CERTIFICATE_USAGES = ['digital signature', 'key encipherment', 'client auth'] as const;

/** The shortest --expiration cert-manager takes, for the flag's limits. */
export const MIN_ISSUER_EXPIRATION_MS = MIN_CERT_MANAGER_DURATION_MS;

/** Parses `--issuer ClusterIssuer/NAME` or `--issuer Issuer/NAME`. */
export function parseIssuerFlag(command: string, value: string): IssuerFlag {
  const [kind = '', name = '', ...rest] = value.split('/');
  const allowed = 'ClusterIssuer/NAME, or Issuer/NAME with --namespace';
  if (rest.length > 0 || name === '' || !(CERT_MANAGER_ISSUER_KINDS as readonly string[]).includes(kind)) {
    const hint = (CERT_MANAGER_ISSUER_KINDS as readonly string[]).find((k) => k.toLowerCase() === kind.toLowerCase());
    throw new UsageError(
      `invalid value ${JSON.stringify(value)} for --issuer: ${hint && name ? `the kind is spelled ${hint}` : 'not KIND/NAME'}; allowed: ${allowed}`,
      command,
    );
  }
  return { kind: kind as CertManagerIssuerKind, name };
}

/** The namespace the CertificateRequest goes to: --namespace, else the context's namespace, else default. */
export function certificateRequestNamespace(kc: KubeConfig, namespaceFlag: string | undefined): string {
  if (namespaceFlag !== undefined) return namespaceFlag;
  const context = kc.getContextObject(kc.getCurrentContext());
  return context?.namespace ?? 'default';
}

/** What steps 3 to 5 of `kube-csr issue` produce, whichever backend issued the certificate. */
export interface IssuedForUser {
  /** The CertificateRequest's name (named like the CertificateSigningRequest path's, for the shared steps). */
  readonly csrName: string;
  readonly chain: CertificateChain;
  readonly leafPem: string;
  readonly intermediatesPem: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly cleanupError?: CsrRuntimeError;
}

/** What {@link issueThroughCertManager} needs from the issue command. */
export interface CertManagerIssueInput {
  readonly command: string;
  readonly kc: KubeConfig;
  readonly issuer: IssuerFlag;
  readonly namespace: string;
  readonly generateName: string;
  readonly request: string;
  readonly expirationMs: number;
  readonly approve: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  /** Starts a progress step and makes it the command's current one. */
  readonly begin: (title: string) => ProgressStep;
  /** The command's current progress step. */
  readonly current: () => ProgressStep | undefined;
  /** The cluster flags to repeat in printed commands. */
  readonly clusterArgs: string;
}

/**
 * Steps 3 to 5 of `kube-csr issue --issuer`: create a cert-manager CertificateRequest for the issuer, approve it
 * with --approve (else wait for cert-manager's approver or a person), wait for the certificate, check it is for the
 * new key; the runtime deletes the CertificateRequest on every path.
 */
export async function issueThroughCertManager(input: CertManagerIssueInput): Promise<IssuedForUser> {
  const { openCertificateRequest } = await import('../runtime/index.js');
  const { issuer, namespace, progress, begin } = input;
  const issuerText = `${issuer.kind}/${issuer.name}`;
  let name = '';
  let verified = false;
  const onProgress = (event: CertificateRequestProgress) => {
    const step = input.current();
    switch (event.step) {
      case 'created':
        name = event.name ?? '';
        step?.done(
          `Created CertificateRequest ${namespace}/${name} (issuer ${issuerText}, duration ${formatDuration(input.expirationMs)})`,
        );
        if (input.approve) {
          begin(`Approve ${name}`);
        } else {
          begin(`Wait for approval of ${name}`);
          progress.note(
            `waiting up to ${formatDuration(input.timeoutMs)} for cert-manager's approver or someone to approve it; ` +
              `to approve it yourself run:  cmctl approve -n ${namespace} ${name}${input.clusterArgs}  ` +
              '(or pass --approve next time)',
          );
        }
        return;
      case 'approved':
        step?.done(
          input.approve || event.approvedBy === undefined
            ? `Approved ${name}`
            : `${name} was approved (reason ${event.approvedBy})`,
        );
        begin(`Wait for ${issuerText} to issue ${name}`);
        return;
      case 'verified':
        verified = true;
        step?.done(`Issued by ${issuerText}; the certificate is for the new key and chains to its CA`);
        return;
      case 'deleted':
        if (!verified) step?.fail();
        progress.note(
          verified
            ? `deleted CertificateRequest ${namespace}/${name}: it is not needed once the certificate is read`
            : `deleted CertificateRequest ${namespace}/${name}`,
        );
        return;
      default:
        return;
    }
  };
  begin(`Create a CertificateRequest for ${issuerText} in namespace ${namespace}`);
  try {
    const opened = await openCertificateRequest(
      {
        metadata: { generateName: input.generateName, namespace },
        spec: {
          request: input.request,
          issuerRef: { name: issuer.name, kind: issuer.kind },
          duration: formatGoDuration(input.expirationMs),
          usages: CLIENT_CERTIFICATE_USAGES,
        },
        autoApprove: input.approve,
      },
      { kubeConfig: input.kc, timeoutMs: input.timeoutMs, signal: input.signal, onProgress },
    );
    return { ...opened, csrName: opened.name };
  } catch (error) {
    if (CsrRuntimeError.isCsrRuntimeError(error) && error.code === 'timeout' && error.missing === 'approval') {
      throw new CliError(
        `${error.problem}; approve it (cmctl approve -n ${namespace} ${name}), or pass --approve to approve it yourself ` +
          `(needs verb "approve" on signers ${certManagerSignerName({ ...issuer, namespace }) ?? issuerText})`,
        { exitCode: EXIT_CODES.timeout, cause: error },
      );
    }
    throw error;
  }
}
