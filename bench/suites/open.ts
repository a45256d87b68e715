import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  CertificatesV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { KUBERNETES_PROVIDER_VERSION } from '../../dev/cluster/versions.js';
import { createProviderMirror, suppliedProviderBinary } from '../../dev/toolchain/provider-mirror.js';
import { findTerraform, type TerraformBinary } from '../../dev/toolchain/terraform.js';
import { backoffSleepsMs, GO_PROVIDER_BACKOFF, mulberry32 } from '../support/go-provider-schedule.js';
import { startHttpCensus, type HttpCensusResult } from '../support/http-census.js';
import { importPki, importRuntime, type RuntimeModule } from '../support/library.js';
import { mustSucceed, nowMs, runTimed, sleep } from '../support/process.js';
import { sampleSet, type SampleSet, type SuiteResult } from '../support/results.js';
import { percentile, ratio, summarize } from '../support/stats.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import { formatMs, formatRatio, numberColumns, rowColumns, type Table } from '../support/table.js';

const SIGNER = 'kubernetes.io/kube-apiserver-client';
const USAGES = ['client auth'];
const EXPIRATION_SECONDS = 86400;
const KUBECTL = '/usr/bin/kubectl';
const TIMEOUT_MS = 120_000;
/** How many opens the scale rounds start at once. */
const SCALE_COUNT = 200;
/** Seed of the modelled jitter, so a run's sleeps can be reproduced. */
const GO_MODEL_SEED = 20_250_101;

type MethodKey = 'runtime' | 'cert-manager' | 'floor' | 'kubectl' | 'kubectl-batch' | 'go-model' | 'go-provider';

/** The namespace and usages of the cert-manager rows (the client certificate the CSR rows ask for). */
const CERT_MANAGER_NAMESPACE = 'default';
const CERT_MANAGER_USAGES = ['digital signature', 'key encipherment', 'client auth'];

/** One round: `count` CSRs started at once. */
interface RoundResult {
  /** Per CSR: create to deletion, ms. */
  readonly latenciesMs: number[];
  /** First create to last deletion, ms. */
  readonly totalMs: number;
  /** Per CSR, extra series worth keeping (e.g. time to certificate before deletion). */
  readonly extra?: Readonly<Record<string, number[]>>;
}

interface Method {
  readonly key: MethodKey;
  readonly label: string;
  /** Rounds per count; 0 = not run at that count. */
  rounds(count: number): number;
  run(count: number, round: number): Promise<RoundResult>;
}

/** Environment shared by the methods of one suite run. */
interface OpenEnv {
  readonly cluster: LocalCluster;
  readonly requests: readonly string[];
  readonly runtime: RuntimeModule;
  readonly api: CertificatesV1Api;
  readonly dir: string;
  readonly quick: boolean;
}

function body(request: string, name: { name: string } | { generateName: string }): V1CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: name,
    spec: {
      request: Buffer.from(request).toString('base64'),
      signerName: SIGNER,
      usages: [...USAGES],
      expirationSeconds: EXPIRATION_SECONDS,
    },
  };
}

function approvedCondition(reason: string, message: string) {
  const now = new Date();
  return { type: 'Approved', status: 'True', reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

async function concurrently(
  count: number,
  one: (index: number) => Promise<{ ms: number; extra?: Record<string, number> }>,
): Promise<RoundResult> {
  const start = nowMs();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
  const totalMs = nowMs() - start;
  const extra: Record<string, number[]> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.extra ?? {})) (extra[k] ??= []).push(v);
  }
  return { latenciesMs: results.map((r) => r.ms), totalMs, extra };
}

function requestAt(env: OpenEnv, index: number): string {
  const request = env.requests[index % env.requests.length];
  if (!request) throw new Error('no pre-generated certificate request');
  return request;
}

/** Rounds per count of the methods that call the API directly: 10, 5 and 3 for 1, 10 and 50 (3, 1, 1 when quick). */
function directRounds(env: OpenEnv, count: number): number {
  if (env.quick) return count === 1 ? 3 : 1;
  return count === 1 ? 10 : count === 10 ? 5 : 3;
}

/** (a) This project's runtime. */
function runtimeMethod(env: OpenEnv): Method {
  return {
    key: 'runtime',
    label: 'this library: openCertificateSigningRequest',
    rounds: (count) => directRounds(env, count),
    run: (count) =>
      concurrently(count, async (i) => {
        const start = nowMs();
        let signedMs = 0;
        const opened = await env.runtime.openCertificateSigningRequest(
          {
            metadata: { generateName: 'bench-rt-' },
            spec: {
              request: requestAt(env, i),
              signerName: SIGNER,
              usages: USAGES,
              expirationSeconds: EXPIRATION_SECONDS,
            },
          },
          {
            kubeconfig: env.cluster.kubeconfig,
            timeoutMs: TIMEOUT_MS,
            caBundlePem: env.cluster.caPem,
            onProgress: (p) => {
              if (p.step === 'signed') signedMs = nowMs() - start;
            },
          },
        );
        const ms = nowMs() - start;
        if (!opened.deleted)
          throw new Error(`the runtime left ${opened.csrName} behind: ${String(opened.cleanupError)}`);
        return { ms, extra: { signedMs } };
      }),
  };
}

/**
 * (a') This project's runtime through cert-manager: a CertificateRequest for the CA ClusterIssuer, approved by
 * cert-manager's own approver, issued by its CA controller.
 */
function certManagerMethod(env: OpenEnv): Method {
  const issuer = env.cluster.certManager?.clusterIssuer ?? '';
  return {
    key: 'cert-manager',
    label: 'this library: openCertificateRequest via cert-manager',
    rounds: (count) => directRounds(env, count),
    run: (count) =>
      concurrently(count, async (i) => {
        const start = nowMs();
        let approvedMs = 0;
        let issuedMs = 0;
        const opened = await env.runtime.openCertificateRequest(
          {
            metadata: { generateName: 'bench-cm-', namespace: CERT_MANAGER_NAMESPACE },
            spec: {
              request: requestAt(env, i),
              issuerRef: { name: issuer, kind: 'ClusterIssuer' },
              duration: `${EXPIRATION_SECONDS}s`,
              usages: CERT_MANAGER_USAGES,
            },
          },
          {
            kubeconfig: env.cluster.kubeconfig,
            timeoutMs: TIMEOUT_MS,
            onProgress: (p) => {
              if (p.step === 'approved') approvedMs = nowMs() - start;
              if (p.step === 'issued') issuedMs = nowMs() - start;
            },
          },
        );
        const ms = nowMs() - start;
        if (!opened.deleted) throw new Error(`the runtime left ${opened.name} behind: ${String(opened.cleanupError)}`);
        return { ms, extra: { approvedMs, issuedMs } };
      }),
  };
}

/** (b) The floor: nothing but the four API calls, re-reading without pause. */
function floorMethod(env: OpenEnv): Method {
  return {
    key: 'floor',
    label: 'floor: bare client-node loop',
    rounds: (count) => directRounds(env, count),
    run: (count) =>
      concurrently(count, async (i) => {
        const start = nowMs();
        const created = await env.api.createCertificateSigningRequest({
          body: body(requestAt(env, i), { generateName: 'bench-floor-' }),
        });
        const name = created.metadata?.name ?? '';
        created.status = { conditions: [approvedCondition('BenchApprove', 'approved by the floor benchmark')] };
        await env.api.replaceCertificateSigningRequestApproval({ name, body: created });
        let reads = 0;
        for (;;) {
          reads++;
          const csr = await env.api.readCertificateSigningRequest({ name });
          if (csr.status?.certificate) break;
        }
        const issuedMs = nowMs() - start;
        await env.api.deleteCertificateSigningRequest({ name });
        return { ms: nowMs() - start, extra: { issuedMs, reads } };
      }),
  };
}

function kubectl(env: OpenEnv, args: readonly string[]) {
  return runTimed(KUBECTL, ['--kubeconfig', env.cluster.kubeconfig, ...args]).then((run) =>
    mustSucceed(run, `kubectl ${args.join(' ')}`),
  );
}

function csrYaml(request: string, name: string): string {
  return [
    'apiVersion: certificates.k8s.io/v1',
    'kind: CertificateSigningRequest',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  request: ${Buffer.from(request).toString('base64')}`,
    `  signerName: ${SIGNER}`,
    `  expirationSeconds: ${EXPIRATION_SECONDS}`,
    '  usages:',
    ...USAGES.map((u) => `  - ${u}`),
    '',
  ].join('\n');
}

/** (c) kubectl, the docs' steps, one pipeline per CSR. */
function kubectlMethod(env: OpenEnv): Method {
  return {
    key: 'kubectl',
    label: 'kubectl: docs steps, per CSR',
    rounds: (count) => (env.quick ? (count === 50 ? 0 : 1) : count === 1 ? 5 : count === 10 ? 3 : 2),
    run: async (count, round) => {
      const files = Array.from({ length: count }, (_, i) => {
        const name = `bench-kubectl-${round}-${i}`;
        const file = join(env.dir, `${name}.yaml`);
        writeFileSync(file, csrYaml(requestAt(env, i), name));
        return { name, file };
      });
      return concurrently(count, async (i) => {
        const { name, file } = files[i] ?? { name: '', file: '' };
        const start = nowMs();
        await kubectl(env, ['apply', '-f', file]);
        await kubectl(env, ['certificate', 'approve', name]);
        let gets = 0;
        for (;;) {
          gets++;
          const run = await kubectl(env, ['get', 'csr', name, '-o', 'jsonpath={.status.certificate}']);
          if (run.stdout.trim() !== '') break;
        }
        const issuedMs = nowMs() - start;
        await kubectl(env, ['delete', 'csr', name]);
        return { ms: nowMs() - start, extra: { issuedMs, gets } };
      });
    },
  };
}

/** (c') kubectl, the same steps with one command for all N CSRs. */
function kubectlBatchMethod(env: OpenEnv): Method {
  return {
    key: 'kubectl-batch',
    label: 'kubectl: docs steps, one command for all N',
    rounds: (count) => (count === 1 ? 0 : env.quick ? (count === 50 ? 0 : 1) : count === 10 ? 3 : 1),
    run: async (count, round) => {
      const names = Array.from({ length: count }, (_, i) => `bench-kb-${round}-${i}`);
      const file = join(env.dir, `bench-kb-${round}.yaml`);
      writeFileSync(file, names.map((name, i) => csrYaml(requestAt(env, i), name)).join('---\n'));
      const start = nowMs();
      await kubectl(env, ['apply', '-f', file]);
      const appliedAt = nowMs();
      await kubectl(env, ['certificate', 'approve', ...names]);
      const approvedAt = nowMs();
      let gets = 0;
      for (;;) {
        gets++;
        const run = await kubectl(env, [
          'get',
          'csr',
          ...names,
          '-o',
          'jsonpath={range .items[*]}{.status.certificate}{"\\n"}{end}',
        ]);
        const issued = run.stdout.split('\n').filter((line) => line.trim() !== '').length;
        if (issued === count) break;
      }
      const issuedAt = nowMs();
      await kubectl(env, ['delete', 'csr', ...names]);
      const end = nowMs();
      const totalMs = end - start;
      return {
        latenciesMs: names.map(() => totalMs),
        totalMs,
        extra: {
          applyMs: [appliedAt - start],
          approveMs: [approvedAt - appliedAt],
          getLoopMs: [issuedAt - approvedAt],
          gets: [gets],
          deleteMs: [end - issuedAt],
        },
      };
    },
  };
}

function isApprovedWithCertificate(csr: V1CertificateSigningRequest): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === 'Approved') && !!csr.status?.certificate;
}

/** (d) A model of the Go provider's documented wait schedule (NOT the provider). */
function goModelMethod(env: OpenEnv): Method {
  const random = mulberry32(GO_MODEL_SEED);
  return {
    key: 'go-model',
    label: "Go provider's wait schedule (model, not the provider)",
    rounds: (count) => (count === 50 ? 0 : env.quick ? 1 : count === 1 ? 5 : 2),
    run: (count, round) =>
      concurrently(count, async (i) => {
        const name = `bench-go-${round}-${i}`;
        const sleeps = backoffSleepsMs(GO_PROVIDER_BACKOFF, random);
        const start = nowMs();
        await env.api.createCertificateSigningRequest({ body: body(requestAt(env, i), { name }) });
        let checks = 0;
        let slept = 0;
        try {
          // Approve as the provider does: RetryOnConflict { Get; append Approved; UpdateApproval }.
          for (let attempt = 0; ; attempt++) {
            const pending = await env.api.readCertificateSigningRequest({ name });
            pending.status = {
              ...pending.status,
              conditions: [
                ...(pending.status?.conditions ?? []),
                approvedCondition(
                  'TerraformAutoApprove',
                  'This CertificateSigningRequest was auto-approved by Terraform',
                ),
              ],
            };
            try {
              await env.api.replaceCertificateSigningRequestApproval({ name, body: pending });
              break;
            } catch (error) {
              if (!(error instanceof ApiException && error.code === 409) || attempt >= 4) throw error;
            }
          }
          // Wait: check, then sleep Step() between checks, Steps checks at most.
          for (;;) {
            checks++;
            const csr = await env.api.readCertificateSigningRequest({ name });
            if (isApprovedWithCertificate(csr)) break;
            const next = sleeps[checks - 1];
            if (next === undefined) throw new Error(`timed out waiting for certificate (${name}, modelled)`);
            slept += next;
            await sleep(next);
          }
          await env.api.readCertificateSigningRequest({ name }); // the provider reads the object once more
        } finally {
          await env.api.deleteCertificateSigningRequest({ name }); // `defer Delete`
        }
        return { ms: nowMs() - start, extra: { checks, sleptMs: slept } };
      }),
  };
}

/** A Terraform working directory with `count` ephemeral CSRs (or none, for the baseline), initialised once. */
async function terraformDir(
  env: OpenEnv,
  terraform: TerraformBinary,
  cliConfigFile: string,
  count: number,
  withCsrs: boolean,
): Promise<string> {
  const dir = join(env.dir, `tf-${count}-${withCsrs ? 'csrs' : 'baseline'}`);
  mkdirSync(dir, { recursive: true });
  const csrs = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `csr_${i}`,
      {
        metadata: { name: `bench-tf-${count}-${i}` },
        spec: {
          request: requestAt(env, i),
          signer_name: SIGNER,
          usages: USAGES,
          expiration_seconds: EXPIRATION_SECONDS,
        },
        auto_approve: true,
      },
    ]),
  );
  const config = {
    terraform: {
      required_providers: { kubernetes: { source: 'hashicorp/kubernetes', version: KUBERNETES_PROVIDER_VERSION } },
    },
    provider: { kubernetes: { config_path: env.cluster.kubeconfig } },
    ...(withCsrs ? { ephemeral: { kubernetes_certificate_signing_request_v1: csrs } } : {}),
    resource: { terraform_data: { marker: { input: 'bench' } } },
  };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  mustSucceed(
    await runTimed(terraform.path, ['init', '-input=false', '-no-color'], {
      cwd: dir,
      env: terraformEnv(cliConfigFile),
    }),
    `${terraform.kind} init`,
  );
  return dir;
}

function terraformEnv(cliConfigFile: string): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: cliConfigFile };
}

/**
 * (e) The real Go provider, when CDKTF_CSR_KUBERNETES_PROVIDER names its binary (it cannot be installed here
 * otherwise): `terraform apply` of N ephemeral CSRs against the same apply without them. Terraform opens every
 * ephemeral resource once while planning and once while applying, so one opening costs (apply - baseline) / 2.
 */
function goProviderMethod(env: OpenEnv): Method | string {
  const binary = suppliedProviderBinary();
  if (!binary) return 'CDKTF_CSR_KUBERNETES_PROVIDER is not set: the real Go provider was not measured';
  const terraform = findTerraform();
  if (!terraform) return 'no Terraform >= 1.11 found: the real Go provider was not measured';
  const { cliConfigFile } = createProviderMirror(join(env.dir, 'provider'), binary);
  const dirs = new Map<string, string>();
  const dirFor = async (count: number, withCsrs: boolean) => {
    const key = `${count}/${withCsrs}`;
    const existing = dirs.get(key);
    if (existing) return existing;
    const dir = await terraformDir(env, terraform, cliConfigFile, count, withCsrs);
    dirs.set(key, dir);
    return dir;
  };
  const apply = async (dir: string, count: number) =>
    mustSucceed(
      await runTimed(
        terraform.path,
        ['apply', '-auto-approve', '-input=false', '-no-color', `-parallelism=${Math.max(count, 10)}`],
        { cwd: dir, env: terraformEnv(cliConfigFile) },
      ),
      `${terraform.kind} apply`,
    ).wallMs;
  return {
    key: 'go-provider',
    label: `Go provider ${KUBERNETES_PROVIDER_VERSION} via ${terraform.kind} ${terraform.version} apply`,
    rounds: (count) => (env.quick ? (count === 1 ? 1 : 0) : count === 1 ? 5 : count === 10 ? 2 : 1),
    async run(count) {
      const baselineMs = await apply(await dirFor(count, false), count);
      const withCsrsMs = await apply(await dirFor(count, true), count);
      const perOpeningMs = Math.max(0, withCsrsMs - baselineMs) / 2;
      return {
        latenciesMs: [perOpeningMs],
        totalMs: perOpeningMs,
        extra: { applyMs: [withCsrsMs], baselineApplyMs: [baselineMs] },
      };
    },
  };
}

/** One scale round: {@link SCALE_COUNT} opens through the runtime at once, every outcome kept. */
interface ScaleRound {
  /** Per successful open: open called to promise resolved (object deleted), ms. */
  readonly latenciesMs: number[];
  /** First open called to last settled, ms. */
  readonly totalMs: number;
  /** The messages of the opens that failed. */
  readonly failures: string[];
  /** CertificateSigningRequests of the round still on the cluster once every open settled. */
  readonly objectsLeft: number;
  /** This process's HTTP requests, watches and connections during the round. */
  readonly census: HttpCensusResult;
}

async function scaleRound(env: OpenEnv, round: number): Promise<ScaleRound> {
  const prefix = `bench-scale-${round}-`;
  const census = startHttpCensus();
  const start = nowMs();
  const outcomes = await Promise.allSettled(
    Array.from({ length: SCALE_COUNT }, async (_, i) => {
      const begun = nowMs();
      const opened = await env.runtime.openCertificateSigningRequest(
        {
          metadata: { generateName: prefix },
          spec: {
            request: requestAt(env, i),
            signerName: SIGNER,
            usages: USAGES,
            expirationSeconds: EXPIRATION_SECONDS,
          },
        },
        { kubeconfig: env.cluster.kubeconfig, timeoutMs: TIMEOUT_MS, caBundlePem: env.cluster.caPem },
      );
      if (!opened.deleted) throw new Error(`the runtime left ${opened.csrName} behind: ${String(opened.cleanupError)}`);
      return nowMs() - begun;
    }),
  );
  const totalMs = nowMs() - start;
  const counts = census.stop();
  const objectsLeft = (await env.api.listCertificateSigningRequest()).items.filter((c) =>
    (c.metadata?.name ?? '').startsWith(prefix),
  ).length;
  return {
    latenciesMs: outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])),
    totalMs,
    failures: outcomes.flatMap((o) =>
      o.status === 'rejected' ? [o.reason instanceof Error ? o.reason.message : String(o.reason)] : [],
    ),
    objectsLeft,
    census: counts,
  };
}

/** The scale table, its samples and notes, from the scale rounds. */
function scaleReport(rounds: readonly ScaleRound[]): { table: Table; samples: SampleSet[]; notes: string[] } {
  const opens = rounds.length * SCALE_COUNT;
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  const failures = rounds.flatMap((r) => r.failures);
  const objectsLeft = rounds.reduce((sum, r) => sum + r.objectsLeft, 0);
  const sum = (pick: (c: HttpCensusResult) => number) => rounds.reduce((total, r) => total + pick(r.census), 0);
  const perOpen = (n: number) => (n / opens).toFixed(2);
  const methods = [...new Set(rounds.flatMap((r) => Object.keys(r.census.byMethod)))].sort();
  const params = { method: 'runtime', count: SCALE_COUNT };
  const id = `open/scale/runtime/${SCALE_COUNT}`;
  const samples: SampleSet[] = [
    sampleSet(`${id}/totalMs`, `scale: all ${SCALE_COUNT} opens, per round`, 'ms', params, [
      ...rounds.map((r) => r.totalMs),
    ]),
    sampleSet(`${id}/failures`, 'scale: failed opens, per round', 'count', params, [
      ...rounds.map((r) => r.failures.length),
    ]),
    sampleSet(`${id}/objectsLeft`, 'scale: objects left after the round', 'count', params, [
      ...rounds.map((r) => r.objectsLeft),
    ]),
    sampleSet(`${id}/connections`, 'scale: connections opened, per round', 'count', params, [
      ...rounds.map((r) => r.census.connections),
    ]),
    sampleSet(`${id}/requests`, 'scale: HTTP requests, per round', 'count', params, [
      ...rounds.map((r) => r.census.requests),
    ]),
    sampleSet(`${id}/watches`, 'scale: watch requests, per round', 'count', params, [
      ...rounds.map((r) => r.census.watches),
    ]),
    sampleSet(`${id}/peakOpenConnections`, 'scale: most connections open at once, per round', 'count', params, [
      ...rounds.map((r) => r.census.peakOpenConnections),
    ]),
  ];
  if (latencies.length > 0) {
    samples.unshift(sampleSet(`${id}/latencyMs`, 'scale: per open, call to settled', 'ms', params, latencies));
  }
  const cell = (p: number) => (latencies.length > 0 ? formatMs(percentile(latencies, p)) : 'n/a');
  const table: Table = {
    title: `Scale: ${SCALE_COUNT} opens at once through the runtime, one local cluster`,
    columns: numberColumns(
      'N',
      'rounds',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'total ms',
      'failures',
      'objects left',
      'connections / open',
      'requests / open',
      'watches / open',
      'peak open connections',
    ),
    rows: [
      [
        String(SCALE_COUNT),
        String(rounds.length),
        cell(50),
        cell(95),
        cell(99),
        formatMs(summarize(rounds.map((r) => r.totalMs)).p50),
        `${failures.length} of ${opens}`,
        String(objectsLeft),
        perOpen(sum((c) => c.connections)),
        perOpen(sum((c) => c.requests)),
        perOpen(sum((c) => c.watches)),
        String(Math.max(...rounds.map((r) => r.census.peakOpenConnections))),
      ],
    ],
    footnotes: [
      `Each round calls openCertificateSigningRequest ${SCALE_COUNT} times at once from one process (distinct ECDSA ` +
        `P-256 requests made before timing, generateName, auto-approval, the chain verified against the cluster CA, ` +
        `timeoutMs ${TIMEOUT_MS}), with Promise.allSettled so every outcome counts. p50/p95/p99 are over every ` +
        'successful open of every round, from the call to its promise resolving with the object deleted; "total" is ' +
        'first call to last settled, median over rounds; "objects left" counts the round\'s CertificateSigningRequests ' +
        'still on the cluster once every open settled.',
      'Connections, requests and watches are counted in the benchmark process with node:diagnostics_channel ' +
        "(http.client.request.start and each request's socket): client-node 1.4 builds a new https.Agent for every " +
        'request (KubeConfig.applySecurityAuthentication) and the watch (applyToFetchOptions), so no connection is ' +
        'shared between requests or opens, and each one pays its own TLS handshake. Requests by method over all ' +
        `rounds: ${methods.map((m) => `${m} ${perOpen(sum((c) => c.byMethod[m] ?? 0))}`).join(', ')} per open (GET ` +
        'counts the watch and any safety-net poll, which reads every 2 s while the watch is quiet).',
    ],
  };
  const notes = [
    `scale: ${failures.length} of ${opens} opens failed, ${objectsLeft} objects left` +
      (failures.length > 0 ? `; first failures: ${[...new Set(failures)].slice(0, 3).join(' | ')}` : ''),
  ];
  return { table, samples, notes };
}

interface Collected {
  latencies: number[];
  totals: number[];
  extra: Record<string, number[]>;
  error?: string;
}

/** Suite 1: open to certificate on a real local control plane. */
export const openSuite: Suite = {
  name: 'open',
  title: 'Open to certificate (local control plane)',
  async run(context: SuiteContext): Promise<SuiteResult> {
    const startedAt = new Date();
    const started = performance.now();
    const counts = [1, 10, 50];
    const notes: string[] = [];
    const pki = await importPki(context.repoRoot);
    const runtime = await importRuntime(context.repoRoot);
    const requests: string[] = [];
    for (let i = 0; i < Math.max(...counts, SCALE_COUNT); i++) {
      const key = await pki.generateKey('ecdsa-p256');
      requests.push(
        pki.createCertificateRequest({
          privateKey: key.privateKey,
          commonName: `bench-user-${i}`,
          organizations: ['bench'],
        }),
      );
    }
    context.log('open: starting a local control plane with cert-manager');
    const cluster = await LocalCluster.start({ name: 'bench', log: context.log, certManager: { approver: true } });
    const dir = mkdtempSync(join(tmpdir(), 'kube-csr-bench-open-'));
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfig);
      const env: OpenEnv = {
        cluster,
        requests,
        runtime,
        api: kc.makeApiClient(CertificatesV1Api),
        dir,
        quick: context.quick,
      };
      const methods: Method[] = [runtimeMethod(env), certManagerMethod(env), floorMethod(env)];
      if (existsSync(KUBECTL)) methods.push(kubectlMethod(env), kubectlBatchMethod(env));
      else notes.push(`${KUBECTL} does not exist: the kubectl rows were not run`);
      methods.push(goModelMethod(env));
      const goProvider = goProviderMethod(env);
      if (typeof goProvider === 'string') notes.push(goProvider);
      else methods.push(goProvider);

      // Warm-up (not recorded): one CSR per method, so TLS set-up and kubectl's discovery cache are not in round 1.
      for (const method of methods) {
        if (method.key === 'go-model' || method.key === 'kubectl-batch' || method.key === 'go-provider') continue;
        await method.run(1, -1);
      }

      const collected = new Map<string, Collected>();
      for (const count of counts) {
        const maxRounds = Math.max(...methods.map((m) => m.rounds(count)));
        for (let round = 0; round < maxRounds; round++) {
          // Interleave the methods round by round, so drift of the machine hits all of them alike.
          for (const method of methods) {
            if (round >= method.rounds(count)) continue;
            const k = `${method.key}/${count}`;
            const entry = collected.get(k) ?? { latencies: [], totals: [], extra: {} };
            collected.set(k, entry);
            if (entry.error) continue;
            try {
              const result = await method.run(count, round);
              entry.latencies.push(...result.latenciesMs);
              entry.totals.push(result.totalMs);
              for (const [name, values] of Object.entries(result.extra ?? {}))
                (entry.extra[name] ??= []).push(...values);
              context.log(`  open ${method.key} x${count} round ${round + 1}: total ${formatMs(result.totalMs)} ms`);
            } catch (error) {
              entry.error = error instanceof Error ? error.message : String(error);
              notes.push(`${method.label} x${count} failed: ${entry.error}`);
              context.log(`  open ${method.key} x${count} FAILED: ${entry.error}`);
            }
          }
        }
      }

      // Scale: SCALE_COUNT opens at once through the runtime, after the comparison rounds.
      const scaleRounds: ScaleRound[] = [];
      for (let round = 0; round < (context.quick ? 1 : 3); round++) {
        const result = await scaleRound(env, round);
        scaleRounds.push(result);
        context.log(
          `  open scale x${SCALE_COUNT} round ${round + 1}: total ${formatMs(result.totalMs)} ms, ` +
            `${result.failures.length} failed, ${result.objectsLeft} left, ${result.census.connections} connections`,
        );
      }
      const scale = scaleReport(scaleRounds);
      notes.push(...scale.notes);

      const leftovers = (await env.api.listCertificateSigningRequest()).items.filter((c) =>
        (c.metadata?.name ?? '').startsWith('bench-'),
      );
      notes.push(`CSR objects left behind by the benchmark at the end: ${leftovers.length}`);
      const certificateRequests = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
        group: 'cert-manager.io',
        version: 'v1',
        plural: 'certificaterequests',
        namespace: CERT_MANAGER_NAMESPACE,
      })) as { items: { metadata: { name: string } }[] };
      notes.push(
        'cert-manager CertificateRequest objects left behind by the benchmark at the end: ' +
          String(certificateRequests.items.filter((cr) => cr.metadata.name.startsWith('bench-')).length),
      );

      const samples: SampleSet[] = [];
      const rows: string[][] = [];
      for (const count of counts) {
        const floor = collected.get(`floor/${count}`);
        const floorP50 = floor && floor.latencies.length > 0 ? summarize(floor.latencies).p50 : undefined;
        const floorTotal = floor && floor.totals.length > 0 ? summarize(floor.totals).p50 : undefined;
        for (const method of methods) {
          const entry = collected.get(`${method.key}/${count}`);
          if (!entry) continue;
          const params = { method: method.key, count };
          const id = `open/${method.key}/${count}`;
          if (entry.error || entry.latencies.length === 0) {
            rows.push([method.label, String(count), '0', 'failed', '', '', '', '']);
            continue;
          }
          samples.push(
            sampleSet(`${id}/latencyMs`, `${method.label}: per CSR, create to deletion`, 'ms', params, entry.latencies),
          );
          samples.push(
            sampleSet(`${id}/totalMs`, `${method.label}: all ${count} CSRs, per round`, 'ms', params, entry.totals),
          );
          for (const [name, values] of Object.entries(entry.extra)) {
            if (values.length > 0) {
              const unit = name.endsWith('Ms') ? 'ms' : 'count';
              samples.push(sampleSet(`${id}/${name}`, `${method.label}: ${name}`, unit, params, values));
            }
          }
          const s = summarize(entry.latencies);
          const total = summarize(entry.totals).p50;
          const isFloor = method.key === 'floor';
          rows.push([
            method.label,
            String(count),
            String(entry.totals.length),
            formatMs(s.p50),
            formatMs(s.p95),
            formatMs(total),
            isFloor ? '1.00×' : formatRatio(ratio(s.p50, floorP50)),
            isFloor ? '1.00×' : formatRatio(ratio(total, floorTotal)),
          ]);
        }
      }
      const table: Table = {
        title:
          'Open to certificate: N at once, CSRs signed by kube-controller-manager (kube-apiserver-client) and ' +
          'cert-manager CertificateRequests issued by its CA ClusterIssuer',
        columns: rowColumns('method', 'N', 'rounds', 'p50 ms', 'p95 ms', 'total ms', 'p50 ÷ floor', 'total ÷ floor'),
        rows,
        footnotes: [
          'Each round starts N CSRs (or, in the cert-manager row, N CertificateRequests) at once (ECDSA P-256 ' +
            `requests made before timing; signer ${SIGNER}, usages [client auth], expirationSeconds ` +
            `${EXPIRATION_SECONDS}) and times each from its create to the deletion of its object, certificate in hand. ` +
            'p50/p95 are over every request of every round; "total" is ' +
            'first create to last deletion, median over rounds. Ratios are against the floor row with the same N in ' +
            'this run. One untimed warm-up CSR per method precedes the rounds.',
          'this library: openCertificateSigningRequest(config, { kubeconfig, timeoutMs, caBundlePem }) from the built ' +
            'lib/: validates the spec, creates (generateName), approves while watching, verifies the chain against the ' +
            'cluster CA and the key against the request, deletes. Loads the kubeconfig on every call.',
          'this library via cert-manager: openCertificateRequest(config, { kubeconfig, timeoutMs }) from the built lib/ ' +
            `with the same requests, in namespace ${CERT_MANAGER_NAMESPACE}, for the CA ClusterIssuer of the local ` +
            `cluster (usages ${CERT_MANAGER_USAGES.join(', ')}; duration ${EXPIRATION_SECONDS}s): validates, creates, ` +
            "leaves the approval to cert-manager's own approver, watches until Ready=True/Issued, verifies the chain " +
            "against status.ca and the key against the request, deletes. cert-manager's controllers (v1.21.2, built " +
            'from its Go module) run on the same machine. Its ratios are against the CSR floor: read them beside the ' +
            'CSR runtime row.',
          'floor: one shared client-node CertificatesV1Api doing only create, approve (replace /approval), re-read in a ' +
            'tight loop with no sleep until status.certificate is set, delete. No validation, no verification.',
          'kubectl: `kubectl apply -f`, `kubectl certificate approve`, `kubectl get csr -o jsonpath=...` repeated with ' +
            'no sleep until the certificate is there, `kubectl delete csr`: one process per step (start-up included), ' +
            'the N pipelines run concurrently. "one command for all N" runs each step once with every name (all CSRs ' +
            'finish together, so p50 = p95 = total).',
          "Go provider's wait schedule (model, not the provider): create with a fixed name, approve (Get + " +
            'UpdateApproval), then a Get right after approval and sleeps of 5 s × 1.5^n plus up to 10% jitter between ' +
            'Gets (wait.Backoff{Steps: 10, Duration: 5s, Factor: 1.5, Jitter: 0.1}), success = Approved condition + ' +
            `certificate, one more Get, delete. Jitter is seeded (${GO_MODEL_SEED}). Run at N = 1 and 10 only.`,
          methods.some((m) => m.key === 'go-provider')
            ? 'Go provider via terraform apply: the real hashicorp/kubernetes provider binary named by ' +
              "CDKTF_CSR_KUBERNETES_PROVIDER (it cannot be installed from this machine's registries), in a local " +
              'filesystem mirror. Each round times `terraform apply -auto-approve` of a config with N ephemeral CSRs ' +
              'and of the same config without them; Terraform opens every ephemeral resource while planning and again ' +
              'while applying, so one opening of all N is (apply - baseline) / 2, reported as both p50 and total.'
            : 'The real Go provider was not measured: CDKTF_CSR_KUBERNETES_PROVIDER was not set (the provider cannot be ' +
              "installed from this machine's registries).",
        ],
      };

      const detailRows: string[][] = [];
      const p50Of = (values: readonly number[] | undefined) =>
        values && values.length > 0 ? summarize(values).p50 : undefined;
      const floorIssued = p50Of(collected.get('floor/1')?.extra.issuedMs);
      const runtimeSigned = p50Of(collected.get('runtime/1')?.extra.signedMs);
      for (const count of counts) {
        const extra = collected.get(`cert-manager/${count}`)?.extra;
        const issued = p50Of(extra?.issuedMs);
        const signed = p50Of(collected.get(`runtime/${count}`)?.extra.signedMs);
        if (issued === undefined) continue;
        detailRows.push([
          'this library via cert-manager: created to approved (by its approver) / to issued',
          String(count),
          formatMs(issued),
          `approved at ${formatMs(p50Of(extra?.approvedMs))} ms; ` +
            (signed === undefined
              ? 'no CSR row to compare'
              : `${formatRatio(ratio(issued, signed))} the CSR runtime's ${formatMs(signed)} ms to certificate`),
        ]);
      }
      if (runtimeSigned !== undefined && floorIssued !== undefined) {
        detailRows.push([
          'this library: open to certificate received (before verification and delete)',
          '1',
          formatMs(runtimeSigned),
          `${formatRatio(ratio(runtimeSigned, floorIssued))} the floor's`,
        ]);
        detailRows.push([
          'floor: create to certificate read (before delete)',
          '1',
          formatMs(floorIssued),
          `median ${String(p50Of(collected.get('floor/1')?.extra.reads) ?? 'n/a')} reads`,
        ]);
      }
      for (const count of counts) {
        const checks = collected.get(`go-model/${count}`)?.extra.checks ?? [];
        if (checks.length === 0) continue;
        const first = checks.filter((c) => c === 1).length;
        const latencies = collected.get(`go-model/${count}`)?.latencies ?? [];
        detailRows.push([
          "Go provider's wait schedule (model): certificate found at the first check",
          String(count),
          formatMs(p50Of(latencies)),
          `${first} of ${checks.length} at the first check` +
            (first < checks.length ? `; ${checks.length - first} slept (up to ${Math.max(...checks)} checks)` : ''),
        ]);
      }
      for (const count of counts) {
        const extra = collected.get(`kubectl-batch/${count}`)?.extra;
        if (!extra?.applyMs?.length) continue;
        detailRows.push([
          'kubectl, one command for all N: apply / approve / get loop / delete',
          String(count),
          formatMs(p50Of(collected.get(`kubectl-batch/${count}`)?.totals)),
          [extra.applyMs, extra.approveMs, extra.getLoopMs, extra.deleteMs].map((v) => formatMs(p50Of(v))).join(' / ') +
            ` ms (${String(p50Of(extra.gets) ?? 'n/a')} gets)`,
        ]);
      }
      samples.push(...scale.samples);
      const tables = [table];
      if (detailRows.length > 0) {
        tables.push({
          title: 'Where the time goes (same rounds as above, medians)',
          columns: [
            { header: 'what' },
            { header: 'N', align: 'right' },
            { header: 'p50 ms', align: 'right' },
            { header: 'detail' },
          ],
          rows: detailRows,
          footnotes: [
            'Under the modelled schedule a check made right after the approval finds the certificate only if the ' +
              'signer has already issued it; a CSR whose first check misses waits at least 5 s more. The detail ' +
              'column counts both cases.',
            '`kubectl certificate approve` and `kubectl delete` given many names send one request per object (approve: ' +
              'GET + PUT) and hit kubectl\'s client-side rate limit (its -v=6 log says "Waited before sending request ... ' +
              'client-side throttling", about 5 requests/s after a burst of 10): that is the long approve and delete steps above.',
          ],
        });
      }
      tables.push(scale.table);
      return {
        name: 'open',
        title: this.title,
        startedAt: startedAt.toISOString(),
        durationMs: performance.now() - started,
        tables,
        samples,
        notes,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cluster.stop();
    }
  },
};
