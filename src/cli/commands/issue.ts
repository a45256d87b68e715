import { join } from 'node:path';
import {
  createCertificateRequest,
  describeCertificate,
  generateKey,
  PkiError,
  type CertificateDescription,
} from '../../pki/index.js';
import { CsrRuntimeError } from '../../runtime/errors.js';
import type { OpenProgress } from '../../runtime/index.js';
import { userKubeconfigYaml } from '../../runtime/user-kubeconfig.js';
import {
  certManagerSignerName,
  formatGoDuration,
  KUBE_APISERVER_CLIENT_SIGNER,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  toDns1123Subdomain,
  validateCertManagerRequest,
  validateCsrSpec,
} from '../../rules/index.js';
import type { ResolvedRole, RoleBindingResult } from '../cluster.js';
import { defineCommand } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import {
  assertNotExisting,
  ensureParentDirectory,
  fileSafeName,
  PUBLIC_FILE_MODE,
  SECRET_FILE_MODE,
  writeOutputFile,
} from '../files.js';
import {
  CLUSTER_FLAGS,
  CLUSTER_FLAGS_HELP,
  formatDuration,
  JSON_FLAG,
  KEY_TYPES_HELP,
  parseDuration,
  parseKeyType,
  required,
} from '../flags.js';
import {
  certificateRequestNamespace,
  CLIENT_CERTIFICATE_USAGES,
  issueThroughCertManager,
  MIN_ISSUER_EXPIRATION_MS,
  parseIssuerFlag,
} from '../issuer.js';
import { formatFields, printJson, Progress, type ProgressStep } from '../output.js';

const NAME = 'issue';
const DEFAULT_TIMEOUT = '5m';
const DEFAULT_EXPIRATION = '24h';

/** What `kube-csr issue --json` prints. No key material, ever. */
export interface IssueResult {
  readonly user: string;
  readonly groups: string[];
  /**
   * The signer: spec.signerName of the CertificateSigningRequest, or with --issuer the name cert-manager's approval
   * check uses (e.g. `clusterissuers.cert-manager.io/NAME`).
   */
  readonly signerName: string;
  /** The CertificateSigningRequest's name, or with --issuer the CertificateRequest's (deleted once read). */
  readonly csrName: string;
  /** With --issuer: the cert-manager issuer and the CertificateRequest's namespace. */
  readonly certManager?: { readonly issuer: string; readonly namespace: string };
  readonly files: {
    readonly key: string;
    readonly certificate: string;
    readonly request: string;
    readonly kubeconfig: string;
  };
  readonly context: string;
  readonly certificate: CertificateDescription;
  /** Who the new kubeconfig authenticates as (SelfSubjectReview). */
  readonly identity: { readonly username: string; readonly groups: string[] };
  readonly roleBinding?: RoleBindingResult;
}

export const issueCommand = defineCommand({
  name: NAME,
  summary: 'issue a client certificate for a user: key, CSR, approval, certificate, kubeconfig, whoami, RoleBinding',
  usage:
    'kube-csr issue --user NAME [--group GROUP]... [--issuer KIND/NAME] [--approve] [--role ROLE --namespace NS] [flags]',
  abortable: true,
  flags: {
    user: { type: 'string' },
    group: { type: 'string', multiple: true },
    'key-type': { type: 'string' },
    expiration: { type: 'string' },
    signer: { type: 'string' },
    issuer: { type: 'string' },
    approve: { type: 'boolean' },
    'out-dir': { type: 'string' },
    'kubeconfig-out': { type: 'string' },
    role: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    timeout: { type: 'string' },
    force: { type: 'boolean' },
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
The Kubernetes docs' "issue a certificate for a user" steps in one command:
  1. generate a private key, written 0600 (openssl genrsa)
  2. create a PKCS#10 request with CN=<user>, O=<group>... (openssl req)
  3. create a CertificateSigningRequest (signer, usage "client auth", expirationSeconds)
  4. approve it with --approve; otherwise wait for someone to run the printed \`kube-csr approve NAME\`
  5. wait for the certificate, write it beside the key; the CertificateSigningRequest is then deleted
  6. write a kubeconfig with the key and certificate embedded and a context for the user on the current
     cluster (same server and CA), mode 0600 (kubectl config set-credentials --embed-certs, set-context)
  7. make a SelfSubjectReview with the new kubeconfig and print the user and groups (kubectl auth whoami)
  8. with --role: create a RoleBinding in --namespace binding the user to the role (kubectl create rolebinding)
With --issuer, steps 3 to 5 go through cert-manager instead: a cert-manager CertificateRequest for that Issuer or
ClusterIssuer (usages digital signature, key encipherment, client auth; spec.duration from --expiration), approved
by --approve through its status or else by cert-manager's approver (or \`cmctl approve\`), deleted once the
certificate is read. Steps 6 to 8 need an issuer whose CA the API server trusts for clients (--client-ca-file).
Existing files are never overwritten without --force; this is checked before anything is done.
Ctrl-C while waiting deletes the CertificateSigningRequest (or CertificateRequest), then exits with 130. Key
material is never printed.

Flags:
  --user NAME            the Kubernetes user name: the certificate's CN (required)
  --group GROUP          a group: the certificate's O; repeat for more groups
  --key-type TYPE        ${KEY_TYPES_HELP} (default rsa-3072)
  --expiration DURATION  requested lifetime, spec.expirationSeconds; at least 10m (default ${DEFAULT_EXPIRATION});
                         the signer may issue a shorter one (kube-controller-manager caps it at
                         --cluster-signing-duration)
  --signer NAME          spec.signerName (default ${KUBE_APISERVER_CLIENT_SIGNER})
  --issuer KIND/NAME     issue through cert-manager: ClusterIssuer/NAME, or Issuer/NAME with --namespace (the
                         Issuer's namespace, where the CertificateRequest is made; for a ClusterIssuer it goes to
                         --namespace, else the context's namespace, else default); --expiration at least 1h
  --approve              approve the request yourself (needs RBAC verb "approve" on the signer; with --issuer, on
                         resource "signers" of API group cert-manager.io for the issuer)
  --timeout DURATION     how long to wait for approval and signature (default ${DEFAULT_TIMEOUT})
  --out-dir DIR          where to write <user>.key, <user>.csr, <user>.crt and <user>.kubeconfig (default .)
  --kubeconfig-out FILE  where to write the new kubeconfig (default <out-dir>/<user>.kubeconfig)
  --role ROLE            bind the user to ROLE in --namespace with a RoleBinding: a Role of that name in the
                         namespace if there is one, else a ClusterRole; or say role/NAME or clusterrole/NAME
  --namespace, -n NS     the RoleBinding's namespace (required with --role); also the new context's namespace,
                         and with --issuer the CertificateRequest's
  --force                overwrite existing key, request, certificate and kubeconfig files
  --json                 print one JSON document with the result on stdout (progress stays on stderr)
  -h, --help             show this help

${CLUSTER_FLAGS_HELP}

Examples:
  # issue for jane in group developers, approve it yourself, give her "view" in namespace dev
  kube-csr issue --user jane --group developers --approve --role view --namespace dev --out-dir ./jane
  kubectl --kubeconfig ./jane/jane.kubeconfig get configmaps

  # wait for someone else to approve (they run: kube-csr approve <name printed on stderr>)
  kube-csr issue --user bob --timeout 30m

  # an ECDSA key valid for 1 hour, result as JSON
  kube-csr issue --user ci-bot --key-type ecdsa-p256 --expiration 1h --approve --json

  # through cert-manager: a ClusterIssuer approved by cert-manager's approver, or an Issuer in namespace team-a
  kube-csr issue --user jane --issuer ClusterIssuer/cluster-ca --role view --namespace dev
  kube-csr issue --user bob --issuer Issuer/team-ca --namespace team-a --approve
`,
  async run({ values }, ctx) {
    // Everything the command line decides, checked before anything is done.
    const user = required(NAME, 'user', values.user);
    const groups = values.group ?? [];
    const keyType = parseKeyType(NAME, values['key-type'], 'rsa-3072');
    const issuer = values.issuer === undefined ? undefined : parseIssuerFlag(NAME, values.issuer);
    if (issuer && values.signer !== undefined) {
      throw new UsageError(
        'flags --issuer and --signer exclude each other: cert-manager issues through --issuer',
        NAME,
      );
    }
    if (issuer?.kind === 'Issuer' && values.namespace === undefined) {
      throw new UsageError(
        `flag --issuer ${values.issuer ?? ''} needs --namespace: an Issuer signs only in its own namespace`,
        NAME,
      );
    }
    const expirationMs = parseDuration(
      NAME,
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
    const expirationSeconds = Math.round(expirationMs / 1000);
    const timeoutMs = parseDuration(NAME, 'timeout', values.timeout ?? DEFAULT_TIMEOUT);
    const signerName = values.signer ?? KUBE_APISERVER_CLIENT_SIGNER;
    if (values.role !== undefined && values.namespace === undefined) {
      throw new UsageError('flag --role needs --namespace: the RoleBinding is created in that namespace', NAME);
    }
    const outDir = values['out-dir'] ?? '.';
    const base = fileSafeName(user);
    const files = {
      key: join(outDir, `${base}.key`),
      certificate: join(outDir, `${base}.crt`),
      request: join(outDir, `${base}.csr`),
      kubeconfig: values['kubeconfig-out'] ?? join(outDir, `${base}.kubeconfig`),
    };
    const force = values.force ?? false;
    assertNotExisting(Object.values(files), force, 'choose another --out-dir or --kubeconfig-out');
    const generateName = `${toDns1123Subdomain(`kube-csr-${user}`, 52)}-`;
    const preflight = issuer
      ? validateCertManagerRequest({
          generateName,
          namespace: values.namespace ?? 'default', // the context's namespace is known only with the kubeconfig
          issuerName: issuer.name,
          issuerKind: issuer.kind,
          duration: formatGoDuration(expirationMs),
          usages: [...CLIENT_CERTIFICATE_USAGES],
        })
      : validateCsrSpec({ generateName, signerName, expirationSeconds, usages: ['client auth'] });
    const preflightErrors = preflight.filter((v) => v.severity === 'error' && v.field !== 'spec.request');
    if (preflightErrors.length > 0) {
      throw new UsageError(preflightErrors.map((v) => flagWords(v.message)).join('; '), NAME);
    }

    // The Kubernetes client loads only now: --help and usage errors stay fast.
    const { bindRole, kubeConfigFrom, resolveRole, whoAmI } = await import('../cluster.js');
    const { openCertificateSigningRequest } = await import('../../runtime/index.js');
    const kc = kubeConfigFrom(values);
    // The approver must reach the same cluster: repeat the cluster flags in the printed command.
    const clusterArgs =
      (values.kubeconfig === undefined ? '' : ` --kubeconfig ${shellQuote(values.kubeconfig)}`) +
      (values.context === undefined ? '' : ` --context ${shellQuote(values.context)}`);
    const cluster = kc.getCurrentCluster();
    const clusterName = cluster?.name ?? 'cluster';
    let role: ResolvedRole | undefined;
    if (values.role !== undefined && values.namespace !== undefined) {
      role = await resolveRole(kc, values.role, values.namespace);
    }
    const roleWarning =
      role && role.ruleCount === 0
        ? `${role.kind} ${role.name} has no rules${
            role.aggregated
              ? " yet: it is an aggregated ClusterRole whose rules kube-controller-manager's clusterrole-aggregation " +
                'controller fills in, and that has not happened on this cluster'
              : ''
          }; the RoleBinding will grant nothing`
        : undefined;

    const certificateRequestNs = issuer ? certificateRequestNamespace(kc, values.namespace) : undefined;
    const issuedBy = issuer ? `${issuer.kind}/${issuer.name}` : signerName;
    const resultSigner = issuer
      ? (certManagerSignerName({ ...issuer, namespace: certificateRequestNs ?? 'default' }) ?? issuedBy)
      : signerName;

    const progress = new Progress(ctx, role ? 8 : 7);
    let step: ProgressStep | undefined;
    const begin = (title: string) => {
      step = progress.start(title);
      return step;
    };
    try {
      // 1. the key
      ctx.signal.throwIfAborted();
      begin(`Generate an ${keyType} private key`);
      const key = await generateKey(keyType);
      step?.done(`Generated an ${keyType} private key`);
      ctx.signal.throwIfAborted();

      // 2. the PKCS#10 request
      begin('Create the certificate signing request');
      let request: string;
      try {
        request = createCertificateRequest({ privateKey: key.privateKey, commonName: user, organizations: groups });
      } catch (error) {
        if (PkiError.isPkiError(error, 'invalid-subject')) {
          throw new UsageError(`invalid --user or --group: ${error.message}`, NAME, error);
        }
        throw error;
      }
      const violations = issuer
        ? validateCertManagerRequest({
            generateName,
            namespace: certificateRequestNs,
            request,
            issuerName: issuer.name,
            issuerKind: issuer.kind,
            duration: formatGoDuration(expirationMs),
            usages: [...CLIENT_CERTIFICATE_USAGES],
          })
        : validateCsrSpec({
            generateName,
            request,
            signerName,
            expirationSeconds,
            usages: ['client auth'],
          });
      const errors = violations.filter((v) => v.severity === 'error');
      if (errors.length > 0) throw new UsageError(errors.map((v) => flagWords(v.message)).join('; '), NAME);
      for (const warning of violations.filter((v) => v.severity === 'warning')) {
        progress.warn(flagWords(warning.message.replace(/^warning: /, '')));
      }
      const subject = [`CN=${user}`, ...groups.map((g) => `O=${g}`)].join(', ');
      step?.done(`Created the certificate signing request ${subject}`);

      // 3-5. the CertificateSigningRequest object, approval, certificate (the runtime deletes the object after);
      // with --issuer a cert-manager CertificateRequest instead
      if (!issuer) begin(`Create a CertificateSigningRequest for ${signerName}`);
      let csrName = '';
      let verified = false;
      const onProgress = (event: OpenProgress) => {
        switch (event.step) {
          case 'created':
            csrName = event.csrName ?? '';
            step?.done(
              `Created CertificateSigningRequest ${csrName} (signer ${signerName}, expiration ${formatDuration(expirationSeconds * 1000)})`,
            );
            if (values.approve) {
              begin(`Approve ${csrName}`);
            } else {
              begin(`Wait for approval of ${csrName}`);
              progress.note(
                `waiting up to ${formatDuration(timeoutMs)} for someone to approve it; run:  kube-csr approve ${csrName}` +
                  `${clusterArgs}  (or: kubectl certificate approve ${csrName}${clusterArgs})`,
              );
            }
            return;
          case 'approved':
            step?.done(`Approved ${csrName}`);
            begin(`Wait for ${signerName} to sign ${csrName}`);
            return;
          case 'signed':
            if (!values.approve) {
              step?.done(`${csrName} was approved`);
              begin(`Wait for ${signerName} to sign ${csrName}`);
            }
            return;
          case 'verified':
            verified = true;
            step?.done(`Signed by ${signerName}; the certificate is for the new key`);
            return;
          case 'deleted':
            if (!verified) step?.fail();
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
      const opened = issuer
        ? await issueThroughCertManager({
            command: NAME,
            kc,
            issuer,
            namespace: certificateRequestNs ?? 'default',
            generateName,
            request,
            expirationMs,
            approve: values.approve ?? false,
            timeoutMs,
            signal: ctx.signal,
            progress,
            begin,
            current: () => step,
            clusterArgs,
          })
        : await openCertificateSigningRequest(
            {
              metadata: { generateName },
              spec: { request, signerName, expirationSeconds, usages: ['client auth'] },
              autoApprove: values.approve ?? false,
            },
            { kubeConfig: kc, timeoutMs, signal: ctx.signal, onProgress },
          );
      if (opened.cleanupError) progress.warn(opened.cleanupError.message);
      const lifetimeMs = opened.notAfter.getTime() - opened.notBefore.getTime();
      if (lifetimeMs < expirationSeconds * 1000 - 60_000) {
        progress.warn(
          `the certificate is valid for ${formatDuration(Math.max(0, lifetimeMs))}, not the ` +
            `${formatDuration(expirationSeconds * 1000)} asked for: ${issuer ? `the issuer ${issuedBy}` : `the signer ${signerName}`} shortened it ` +
            (issuer
              ? '(a CA issuer never issues past the end of its CA certificate)'
              : '(kube-controller-manager caps lifetimes at its --cluster-signing-duration)'),
        );
      }
      const certificatePem = [opened.leafPem, ...opened.intermediatesPem].join('');
      ctx.signal.throwIfAborted();
      writeOutputFile(files.key, key.privateKeyPem, SECRET_FILE_MODE, force);
      writeOutputFile(files.request, request, PUBLIC_FILE_MODE, force);
      writeOutputFile(files.certificate, certificatePem, PUBLIC_FILE_MODE, force);
      progress.note(
        `wrote ${files.key} (mode 0600), ${files.request} and ${files.certificate} ` +
          `(valid ${opened.notBefore.toISOString()} to ${opened.notAfter.toISOString()})`,
      );

      // 6. the kubeconfig
      const contextName = `${user}@${clusterName}`;
      begin(`Write the kubeconfig ${files.kubeconfig}`);
      ensureParentDirectory(files.kubeconfig);
      writeOutputFile(
        files.kubeconfig,
        userKubeconfigYaml({
          kubeConfig: kc,
          userName: user,
          contextName,
          namespace: values.namespace,
          certificatePem,
          privateKeyPem: key.privateKeyPem,
        }),
        SECRET_FILE_MODE,
        force,
      );
      step?.done(`Wrote ${files.kubeconfig} (mode 0600) with context ${contextName} on ${cluster?.server ?? ''}`);
      ctx.signal.throwIfAborted();

      // 7. whoami, with the new kubeconfig
      begin('Check the identity with the new kubeconfig (SelfSubjectReview)');
      const identity = await whoAmI(files.kubeconfig).catch((error: unknown) => {
        if (issuer && CsrRuntimeError.isCsrRuntimeError(error) && error.code === 'forbidden') {
          throw new CliError(
            `the API server does not accept the certificate ${issuedBy} issued (${error.problem}): the issuer's CA ` +
              "is not the API server's client CA (kube-apiserver --client-ca-file); the key, certificate and " +
              `kubeconfig were written, but use an issuer whose CA the cluster trusts to get a working kubeconfig`,
            { cause: error },
          );
        }
        throw error;
      });
      const groupsText = identity.groups.length > 0 ? identity.groups.join(', ') : 'none';
      if (identity.username !== user) {
        step?.fail();
        throw new CliError(
          `the new kubeconfig authenticates as ${JSON.stringify(identity.username)}, not as ${JSON.stringify(user)}: ` +
            `the ${issuer ? 'issuer' : 'signer'} ${issuedBy} does not issue client certificates this cluster's API ` +
            `server accepts for CN=${user}` +
            (issuer ? " (its CA is not the API server's --client-ca-file); the key and certificate were written" : ''),
        );
      }
      step?.done(`Authenticated as user ${identity.username}, groups ${groupsText}`);
      ctx.signal.throwIfAborted();

      // 8. the RoleBinding
      let roleBinding: RoleBindingResult | undefined;
      if (role && values.namespace) {
        begin(`Bind ${role.kind} ${role.name} in namespace ${values.namespace}`);
        roleBinding = await bindRole(kc, user, role, values.namespace);
        if (roleWarning) progress.warn(roleWarning);
        step?.done(
          `${roleBinding.created ? 'Created' : 'Found'} RoleBinding ${roleBinding.name} in namespace ` +
            `${roleBinding.namespace}: user ${user} -> ${role.kind} ${role.name}`,
        );
      }
      progress.close();

      const result: IssueResult = {
        user,
        groups,
        signerName: resultSigner,
        csrName: opened.csrName,
        ...(issuer ? { certManager: { issuer: issuedBy, namespace: certificateRequestNs ?? 'default' } } : {}),
        files,
        context: contextName,
        certificate: describeCertificate(opened.chain.leaf),
        identity,
        ...(roleBinding ? { roleBinding } : {}),
      };
      if (values.json) {
        printJson(ctx, result);
      } else {
        ctx.stdout.write(
          formatFields([
            ['user', `${user}${groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''}`],
            ['key', `${files.key} (mode 0600)`],
            ['certificate', `${files.certificate} (expires ${opened.notAfter.toISOString()})`],
            ['request', files.request],
            ['kubeconfig', `${files.kubeconfig} (mode 0600, context ${contextName})`],
            ['identity', `${identity.username} (groups ${groupsText})`],
            [
              'rolebinding',
              roleBinding &&
                `${roleBinding.name} in namespace ${roleBinding.namespace} -> ${roleBinding.roleRef.kind} ${roleBinding.roleRef.name}`,
            ],
            ['try', `kubectl --kubeconfig ${files.kubeconfig} auth whoami`],
          ]),
        );
      }
      return EXIT_CODES.ok;
    } catch (error) {
      step?.fail();
      progress.close();
      if (CsrRuntimeError.isCsrRuntimeError(error) && error.code === 'timeout') {
        // The runtime speaks of its autoApprove option; here that is --approve.
        const message = error.message.replace('or set autoApprove', 'or pass --approve to approve it yourself');
        throw new CliError(message, { exitCode: EXIT_CODES.timeout, cause: error });
      }
      throw error;
    }
  },
});

/** A spec violation in the CLI's words: the flag instead of the API field. */
function flagWords(message: string): string {
  return message
    .replace(/\bspec\.signerName\b/g, '--signer (spec.signerName)')
    .replace(/\bspec\.expirationSeconds\b/g, '--expiration (spec.expirationSeconds)')
    .replace(/\bspec\.duration\b/g, '--expiration (spec.duration)')
    .replace(/\bspec\.issuerRef\.name\b/g, '--issuer (spec.issuerRef.name)')
    .replace(/\bmetadata\.namespace\b/g, '--namespace (metadata.namespace)')
    .replace(/\bmetadata\.generateName\b/g, 'the name derived from --user (metadata.generateName)');
}

/** Quotes a value for a shell command line when it needs it. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
