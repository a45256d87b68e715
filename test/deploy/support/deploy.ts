import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { CertificatesV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { LocalCluster } from '../../../dev/cluster/local-cluster.js';
import { ensureTerraform, type TerraformBinary } from '../../../dev/toolchain/terraform.js';
import type { ProviderMirror } from '../../../dev/toolchain/provider-mirror.js';
import {
  auditEvents,
  auditLogSettled,
  exampleProject,
  filesContaining,
  type AuditEvent,
  type ExampleProject,
} from '../../../dev/example-project.js';
import { TestSigner } from '../../support/test-signer.js';

/** `cdktf deploy` as every deploy test runs it. */
export const DEPLOY_ARGS: readonly string[] = ['deploy', '--auto-approve', '--skip-provider-lock'];
/** `cdktf destroy` as every deploy test runs it. */
export const DESTROY_ARGS: readonly string[] = ['destroy', '--auto-approve', '--skip-provider-lock'];

/** What {@link useDeployCluster} sets up before the tests of a file or suite. */
export interface DeployCluster {
  /** A control plane of the test's own: its audit log says who did what. */
  readonly cluster: LocalCluster;
  /** Its administrator. */
  readonly admin: KubeConfig;
  /** Terraform (or OpenTofu) >= 1.11. */
  readonly terraform: TerraformBinary;
  /** A scratch folder, removed afterwards. */
  readonly work: string;
  /** A signer for `signerName` running in the test process, when one was asked for. */
  readonly signer: TestSigner | undefined;
}

/** Options of {@link useDeployCluster}. */
export interface DeployClusterOptions {
  /** Skip the setup (the tests are skipped too, for this reason). @default false */
  readonly skip?: false | string;
  /** Start cert-manager's controllers with the control plane. @default false */
  readonly certManager?: boolean;
  /** Run a {@link TestSigner} for this signer name. @default - none */
  readonly signerName?: string;
}

/**
 * Registers `before` and `after` hooks in the current suite (or file) that start a control plane named `name`, find
 * Terraform and make a scratch folder, then tear them down. Returns a getter for what was set up.
 */
export function useDeployCluster(name: string, options: DeployClusterOptions = {}): () => DeployCluster {
  let setUp: DeployCluster | undefined;
  let cluster: LocalCluster | undefined;
  let signer: TestSigner | undefined;
  let work: string | undefined;
  before(async () => {
    if (options.skip) return;
    const terraform = await ensureTerraform();
    cluster = await LocalCluster.start({
      name,
      log: () => undefined,
      ...(options.certManager ? { certManager: {} } : {}),
    });
    const admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    signer = options.signerName ? TestSigner.start(admin, options.signerName) : undefined;
    work = mkdtempSync(join(tmpdir(), `${name}-`));
    setUp = { cluster, admin, terraform, work, signer };
  });
  after(async () => {
    signer?.stop();
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  return () => {
    if (!setUp) throw new Error(`the deploy cluster ${name} is not set up (skipped, or its before hook failed)`);
    return setUp;
  };
}

/** The names of every CertificateSigningRequest in the cluster. */
export async function csrNames(admin: KubeConfig): Promise<string[]> {
  const list = await admin.makeApiClient(CertificatesV1Api).listCertificateSigningRequest();
  return list.items.map((csr) => csr.metadata?.name ?? '');
}

function csrEvents(events: readonly AuditEvent[], verb: string): AuditEvent[] {
  return events.filter((event) => event.verb === verb && event.objectRef?.resource === 'certificatesigningrequests');
}

/** The CSR creations among `events`. */
export function csrCreates(events: readonly AuditEvent[]): AuditEvent[] {
  return csrEvents(events, 'create');
}

/** The CSR deletions among `events`. */
export function csrDeletes(events: readonly AuditEvent[]): AuditEvent[] {
  return csrEvents(events, 'delete');
}

/**
 * Runs `cdktf <args>` in `project` and asserts it succeeded; returns its output and the audit events the API server
 * recorded meanwhile (after waiting for the log to settle). Prints how long it took.
 */
export async function cdktfAudited(
  setUp: DeployCluster,
  project: ExampleProject,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<{ readonly output: string; readonly events: AuditEvent[] }> {
  const { cluster, admin } = setUp;
  const seen = auditEvents(cluster.auditLog).length;
  const started = Date.now();
  const run = await project.cdktf(args, extraEnv);
  assert.equal(run.status, 0, `cdktf ${args.join(' ')} failed:\n${run.output}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  await auditLogSettled(admin, cluster.auditLog);
  const events = auditEvents(cluster.auditLog).slice(seen);
  process.stderr.write(`# cdktf ${args[0] ?? ''} took ${seconds} s; ${csrCreates(events).length} CSRs created\n`);
  return { output: run.output, events };
}

/** The outputs and resources of a state file written by the identity examples (username and groups outputs). */
export interface IdentityState {
  readonly outputs: {
    readonly username?: { readonly value: string };
    readonly groups?: { readonly value: string[] };
  };
  readonly resources: unknown[];
}

/** Reads the state file `file`. */
export function readIdentityState(file: string): IdentityState {
  return JSON.parse(readFileSync(file, 'utf8')) as IdentityState;
}

/** Who created the ConfigMap `name`, and with what response code, according to the audit log. */
export function configMapCreators(auditLog: string, name: string): [string, number | undefined][] {
  return auditEvents(auditLog)
    .filter(
      (event) => event.verb === 'create' && event.objectRef?.resource === 'configmaps' && event.objectRef.name === name,
    )
    .map((event) => [event.user.username, event.responseStatus?.code]);
}

/**
 * Environment that keeps what the processes of a project write inside `dir`: HOME (so cdktf's default plugin cache,
 * ~/.terraform.d/plugin-cache, is there) and TMPDIR. tsx's transpile cache is off: it would hold this package's
 * source, whose messages mention "PRIVATE KEY".
 */
export function containedEnv(dir: string): Record<string, string> {
  for (const folder of ['home', 'tmp']) mkdirSync(join(dir, folder), { recursive: true });
  return { HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp'), TF_PLUGIN_CACHE_DIR: '', TSX_DISABLE_CACHE: '1' };
}

/**
 * Asserts that among `files` there is a state file (one that mentions `stateMentions`, when given), and that no file
 * holds a private key or an issued certificate.
 */
export function assertNothingSecretAtRest(files: readonly string[], stateMentions?: RegExp): void {
  const state = files.filter((file) => file.endsWith('.tfstate'));
  assert.ok(state.length > 0, 'the deploy wrote a state file');
  if (stateMentions) {
    assert.ok(
      state.some((file) => stateMentions.test(readFileSync(file, 'utf8'))),
      `a state file mentions ${stateMentions}`,
    );
  }
  assert.deepEqual(filesContaining(files, 'PRIVATE KEY'), []);
  assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), [], 'no issued certificate at rest');
}

/** Rejects unless reading the object fails with 404. */
export async function assertGone(read: Promise<unknown>): Promise<void> {
  await assert.rejects(read, (error: unknown) => (error as { code?: number }).code === 404);
}

/** The signer the serving examples ask for; give it as `signerName` to {@link useDeployCluster}. */
export const SERVING_SIGNER = 'example.com/serving';

/**
 * examples/<example>, a serving example, set up in `setUp`'s folder: a certificate from {@link SERVING_SIGNER} for
 * the service `web` in `default`, stored in the TLS secret `web-tls`.
 */
export function servingProject(
  setUp: DeployCluster,
  example: 'serving-certificate' | 'in-memory-serving',
  mirror: (dir: string) => ProviderMirror,
  env: Record<string, string> = {},
): ExampleProject {
  const { cluster, terraform, work } = setUp;
  return exampleProject(example, join(work, 'app'), terraform, mirror(join(work, 'toolchain')), {
    KUBECONFIG: cluster.kubeconfig,
    SIGNER_NAME: SERVING_SIGNER,
    SERVICE_NAME: 'web',
    KUBE_NAMESPACE: 'default',
    ...env,
  });
}

/** The serving examples' TLS secret `web-tls`: its certificate and key, after checking its type and SAN. */
export async function readServingSecret(
  core: CoreV1Api,
  signer: TestSigner,
): Promise<{ leaf: X509Certificate; keyPem: string }> {
  const secret = await core.readNamespacedSecret({ name: 'web-tls', namespace: 'default' });
  assert.equal(secret.type, 'kubernetes.io/tls');
  const certPem = Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString();
  const keyPem = Buffer.from(secret.data?.['tls.key'] ?? '', 'base64').toString();
  const leaf = new X509Certificate(certPem);
  assert.match(leaf.subjectAltName ?? '', /DNS:web\.default\.svc\.cluster\.local/);
  assert.ok(leaf.checkIssued(new X509Certificate(signer.caPem)), 'issued by the custom signer');
  return { leaf, keyPem };
}

/** Deploys the serving example again, then destroys it: no CSR and no `web-tls` secret remain. */
export async function redeployAndDestroyServing(project: ExampleProject, admin: KubeConfig): Promise<void> {
  const again = await project.cdktf(DEPLOY_ARGS);
  assert.equal(again.status, 0, `second cdktf deploy failed:\n${again.output}`);
  const destroy = await project.cdktf(DESTROY_ARGS);
  assert.equal(destroy.status, 0, `cdktf destroy failed:\n${destroy.output}`);
  await assertGone(admin.makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'web-tls', namespace: 'default' }));
  assert.deepEqual(await csrNames(admin), []);
}
