import { join } from 'node:path';
import type { KeyType } from '../../pki/index.js';
import {
  KUBE_APISERVER_CLIENT_SIGNER,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  toDns1123Subdomain,
} from '../../rules/index.js';
import type { ClusterFlagValues } from '../access.js';
import { UsageError } from '../errors.js';
import { assertNotExisting, fileSafeName } from '../files.js';
import { parseDuration, parseKeyType, required } from '../flags.js';
import { MIN_ISSUER_EXPIRATION_MS, parseIssuerFlag, type IssuerFlag } from '../issuer.js';

/** The command's name, for usage errors. */
export const ISSUE_COMMAND = 'issue';
/** --timeout's default. */
export const DEFAULT_TIMEOUT = '5m';
/** --expiration's default. */
export const DEFAULT_EXPIRATION = '24h';

/** The flags of `kube-csr issue`, as parsed. */
export interface IssueFlagValues extends ClusterFlagValues {
  readonly user?: string;
  readonly group?: string[];
  readonly 'key-type'?: string;
  readonly expiration?: string;
  readonly signer?: string;
  readonly issuer?: string;
  readonly approve?: boolean;
  readonly 'out-dir'?: string;
  readonly 'kubeconfig-out'?: string;
  readonly role?: string;
  readonly namespace?: string;
  readonly timeout?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** The files `kube-csr issue` writes. */
export interface IssueFiles {
  readonly key: string;
  readonly certificate: string;
  readonly request: string;
  readonly kubeconfig: string;
}

/** What `kube-csr issue` will do, decided from the command line alone and checked before anything is done. */
export interface IssuePlan {
  /** The Kubernetes user: the certificate's CN. */
  readonly user: string;
  /** The groups: the certificate's O values. */
  readonly groups: string[];
  readonly keyType: KeyType;
  /** With --issuer: the cert-manager issuer that signs instead of a CertificateSigningRequest signer. */
  readonly issuer?: IssuerFlag;
  /** spec.signerName of the CertificateSigningRequest (unused with --issuer). */
  readonly signerName: string;
  /** Who issues, for messages: the signer, or the issuer as `Kind/name`. */
  readonly issuedBy: string;
  readonly expirationMs: number;
  /** spec.expirationSeconds. */
  readonly expirationSeconds: number;
  readonly timeoutMs: number;
  /** Whether this command approves the request itself. */
  readonly approve: boolean;
  /** metadata.generateName of the request object. */
  readonly generateName: string;
  readonly files: IssueFiles;
  /** Whether existing files may be overwritten. */
  readonly force: boolean;
  /** --namespace: the RoleBinding's and the new context's, and with --issuer the CertificateRequest's. */
  readonly namespace?: string;
  /** --role, which needs --namespace. */
  readonly role?: string;
  readonly json: boolean;
  /** The cluster flags. */
  readonly cluster: ClusterFlagValues;
  /** The cluster flags to repeat in the commands printed for an approver, so that they reach the same cluster. */
  readonly clusterArgs: string;
}

/** Quotes a value for a shell command line when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Turns the flags into a plan: parses and cross-checks them, and refuses to overwrite files without --force.
 * The rules then check the flags before any key is made (`checkIssueFlags`) and the request once it exists
 * (`checkIssueRequest`).
 *
 * @throws UsageError for a wrong command line
 */
export function planIssue(values: IssueFlagValues): IssuePlan {
  const user = required(ISSUE_COMMAND, 'user', values.user);
  const keyType = parseKeyType(ISSUE_COMMAND, values['key-type'], 'rsa-3072');
  const issuer = values.issuer === undefined ? undefined : parseIssuerFlag(ISSUE_COMMAND, values.issuer);
  if (issuer && values.signer !== undefined) {
    throw new UsageError(
      'flags --issuer and --signer exclude each other: cert-manager issues through --issuer',
      ISSUE_COMMAND,
    );
  }
  if (issuer?.kind === 'Issuer' && values.namespace === undefined) {
    throw new UsageError(
      `flag --issuer ${values.issuer ?? ''} needs --namespace: an Issuer signs only in its own namespace`,
      ISSUE_COMMAND,
    );
  }
  const expirationMs = parseDuration(
    ISSUE_COMMAND,
    'expiration',
    values.expiration ?? DEFAULT_EXPIRATION,
    issuer
      ? { minMs: MIN_ISSUER_EXPIRATION_MS, minReason: "cert-manager's minimum certificate duration" }
      : {
          minMs: MIN_EXPIRATION_SECONDS * 1000,
          maxMs: MAX_EXPIRATION_SECONDS * 1000,
          minReason: "the API's minimum for spec.expirationSeconds",
        },
  );
  const timeoutMs = parseDuration(ISSUE_COMMAND, 'timeout', values.timeout ?? DEFAULT_TIMEOUT);
  if (values.role !== undefined && values.namespace === undefined) {
    throw new UsageError('flag --role needs --namespace: the RoleBinding is created in that namespace', ISSUE_COMMAND);
  }
  const outDir = values['out-dir'] ?? '.';
  const base = fileSafeName(user);
  const files: IssueFiles = {
    key: join(outDir, `${base}.key`),
    certificate: join(outDir, `${base}.crt`),
    request: join(outDir, `${base}.csr`),
    kubeconfig: values['kubeconfig-out'] ?? join(outDir, `${base}.kubeconfig`),
  };
  const force = values.force ?? false;
  assertNotExisting(Object.values(files), force, 'choose another --out-dir or --kubeconfig-out');
  const signerName = values.signer ?? KUBE_APISERVER_CLIENT_SIGNER;
  return {
    user,
    groups: values.group ?? [],
    keyType,
    ...(issuer ? { issuer } : {}),
    signerName,
    issuedBy: issuer ? `${issuer.kind}/${issuer.name}` : signerName,
    expirationMs,
    expirationSeconds: Math.round(expirationMs / 1000),
    timeoutMs,
    approve: values.approve ?? false,
    generateName: `${toDns1123Subdomain(`kube-csr-${user}`, 52)}-`,
    files,
    force,
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    ...(values.role === undefined ? {} : { role: values.role }),
    json: values.json ?? false,
    cluster: { kubeconfig: values.kubeconfig, context: values.context },
    clusterArgs:
      (values.kubeconfig === undefined ? '' : ` --kubeconfig ${shellQuote(values.kubeconfig)}`) +
      (values.context === undefined ? '' : ` --context ${shellQuote(values.context)}`),
  };
}
