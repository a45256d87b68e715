import type { CertificateRequestProgress, OpenProgress } from '../../runtime/index.js';
import { formatDuration } from '../flags.js';
import { Progress, type OutputStreams, type ProgressStep } from '../output.js';
import type { IssuePlan } from './plan.js';

/** The progress of `kube-csr issue` on stderr: one numbered step at a time, with notes and warnings between. */
export class IssueProgress {
  private readonly progress: Progress;
  private step: ProgressStep | undefined;

  public constructor(out: OutputStreams, plan: IssuePlan) {
    this.progress = new Progress(out, plan.role ? 8 : 7);
  }

  /** Starts the next step; a running one is ended first. */
  public begin(title: string): void {
    this.step = this.progress.start(title);
  }

  /** Ends the running step. */
  public done(text: string): void {
    this.step?.done(text);
  }

  /** Ends the running step as failed (nothing when it has ended). */
  public fail(): void {
    this.step?.fail();
  }

  /** A line of information. */
  public note(text: string): void {
    this.progress.note(text);
  }

  /** A warning line. */
  public warn(text: string): void {
    this.progress.warn(text);
  }

  /** Stops the spinner. */
  public close(): void {
    this.progress.close();
  }
}

/** Renders openCertificateSigningRequest's progress as steps 3 to 5 of `kube-csr issue`. */
export function csrProgressRenderer(plan: IssuePlan, progress: IssueProgress): (event: OpenProgress) => void {
  const { signerName } = plan;
  let csrName = '';
  let verified = false;
  return (event) => {
    switch (event.step) {
      case 'created':
        csrName = event.csrName ?? '';
        progress.done(
          `Created CertificateSigningRequest ${csrName} (signer ${signerName}, expiration ${formatDuration(plan.expirationSeconds * 1000)})`,
        );
        if (plan.approve) {
          progress.begin(`Approve ${csrName}`);
        } else {
          progress.begin(`Wait for approval of ${csrName}`);
          progress.note(
            `waiting up to ${formatDuration(plan.timeoutMs)} for someone to approve it; run:  kube-csr approve ${csrName}` +
              `${plan.clusterArgs}  (or: kubectl certificate approve ${csrName}${plan.clusterArgs})`,
          );
        }
        return;
      case 'approved':
        progress.done(`Approved ${csrName}`);
        progress.begin(`Wait for ${signerName} to sign ${csrName}`);
        return;
      case 'signed':
        if (!plan.approve) {
          progress.done(`${csrName} was approved`);
          progress.begin(`Wait for ${signerName} to sign ${csrName}`);
        }
        return;
      case 'verified':
        verified = true;
        progress.done(`Signed by ${signerName}; the certificate is for the new key`);
        return;
      case 'deleted':
        if (!verified) progress.fail();
        progress.note(
          verified
            ? `deleted CertificateSigningRequest ${csrName}: it is not needed once the certificate is read`
            : `deleted CertificateSigningRequest ${csrName}`,
        );
        return;
      default:
        return;
    }
  };
}

/** Renders openCertificateRequest's progress as steps 3 to 5 of `kube-csr issue --issuer`. */
export function certificateRequestProgressRenderer(
  plan: IssuePlan,
  namespace: string,
  progress: IssueProgress,
): (event: CertificateRequestProgress) => void {
  const issuerText = plan.issuedBy;
  let name = '';
  let verified = false;
  return (event) => {
    switch (event.step) {
      case 'created':
        name = event.name ?? '';
        progress.done(
          `Created CertificateRequest ${namespace}/${name} (issuer ${issuerText}, duration ${formatDuration(plan.expirationMs)})`,
        );
        if (plan.approve) {
          progress.begin(`Approve ${name}`);
        } else {
          progress.begin(`Wait for approval of ${name}`);
          progress.note(
            `waiting up to ${formatDuration(plan.timeoutMs)} for cert-manager's approver or someone to approve it; ` +
              `to approve it yourself run:  cmctl approve -n ${namespace} ${name}${plan.clusterArgs}  ` +
              '(or pass --approve next time)',
          );
        }
        return;
      case 'approved':
        progress.done(
          plan.approve || event.approvedBy === undefined
            ? `Approved ${name}`
            : `${name} was approved (reason ${event.approvedBy})`,
        );
        progress.begin(`Wait for ${issuerText} to issue ${name}`);
        return;
      case 'verified':
        verified = true;
        progress.done(`Issued by ${issuerText}; the certificate is for the new key and chains to its CA`);
        return;
      case 'deleted':
        if (!verified) progress.fail();
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
}
