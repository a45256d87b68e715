import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureControlPlaneBinaries, type ControlPlaneBinaries } from './binaries.js';
import {
  CA_CLUSTER_ISSUER,
  CERT_MANAGER_CONTROLLERS,
  CLUSTER_CA_CLUSTER_ISSUER,
  CLUSTER_RESOURCE_NAMESPACE,
  createCertManagerFixtures,
  ensureCertManagerBuild,
  installCertManagerCrds,
  MANUAL_APPROVAL_NAMESPACE,
  SELF_SIGNED_CLUSTER_ISSUER,
  waitForClusterIssuers,
  type CertManagerBuild,
} from './cert-manager.js';
import { createCertificateAuthority, createClusterPki, issueClientIdentity, type ClusterPki } from './cluster-pki.js';

/** The processes of one control plane (cert-manager only when asked for). */
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'cert-manager';

/** How to run cert-manager on the local cluster. */
export interface CertManagerOptions {
  /**
   * Run cert-manager's built-in approver. Off, nothing approves a CertificateRequest until someone does; on, it
   * approves every request outside {@link MANUAL_APPROVAL_NAMESPACE}.
   * @default true
   */
  readonly approver?: boolean;
}

/** What the cert-manager setup made, for tests and people. */
export interface CertManagerInfo {
  /** The CA ClusterIssuer. */
  readonly clusterIssuer: string;
  /** Its CA certificate (PEM) and the file holding it. */
  readonly caPem: string;
  readonly caFile: string;
  /** A CA ClusterIssuer signing with the cluster CA: its client certificates authenticate to the cluster. */
  readonly clusterCaIssuer: string;
  /** A SelfSigned ClusterIssuer that fails requests without the private-key Secret annotation. */
  readonly selfSignedClusterIssuer: string;
  /** The namespace the approver leaves to people. */
  readonly manualApprovalNamespace: string;
  /** The namespace of the Secrets ClusterIssuers refer to. */
  readonly clusterResourceNamespace: string;
  /** Whether the built-in approver runs. */
  readonly approver: boolean;
}

/** What is needed to find (and stop) a running cluster from another process. */
export interface ClusterState {
  readonly name: string;
  readonly dir: string;
  readonly server: string;
  readonly kubeconfig: string;
  readonly pids: Readonly<Partial<Record<ComponentName, number>>>;
  readonly ports: Readonly<Record<string, number>>;
  /** Set when cert-manager runs. */
  readonly certManager?: CertManagerInfo;
}

/** Options for {@link LocalCluster.start}. */
export interface StartOptions {
  /** A name shown in logs and state files. @default 'test' */
  readonly name?: string;
  /** Detach the processes so they outlive this Node process (for `npm run cluster -- up`). @default false */
  readonly detached?: boolean;
  /** Progress lines. @default write to stderr */
  readonly log?: (line: string) => void;
  /** How long to wait for readiness. @default 120000 */
  readonly readyTimeoutMs?: number;
  /** Also build (if needed) and run cert-manager's controllers, with a CA ClusterIssuer. @default - not run */
  readonly certManager?: CertManagerOptions;
}

// Tests prove who did what (e.g. that a provider alias really authenticated as an issued user) from these records.
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete]
    resources:
      - group: ''
        resources: [configmaps, secrets]
      - group: certificates.k8s.io
        resources: [certificatesigningrequests]
      - group: authentication.k8s.io
        resources: [selfsubjectreviews]
  - level: None
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function kubeconfigYaml(server: string, pki: ClusterPki, user: { cert: string; key: string }, name: string): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.ca.certPem)}`,
    'users:',
    `- name: ${name}-user`,
    '  user:',
    `    client-certificate-data: ${b64(user.cert)}`,
    `    client-key-data: ${b64(user.key)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}-user`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a process with this pid exists. */
export function isAlive(pid: number | undefined): boolean {
  // 0 and negative pids address process groups: never probe (or signal) those.
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends SIGTERM, waits, then SIGKILL; resolves when the process is gone. */
export async function terminate(pid: number | undefined, graceMs = 10_000): Promise<void> {
  if (pid === undefined || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(20);
}

interface ProbeTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** kube-controller-manager serves /healthz with a self-signed certificate of its own. */
  readonly rejectUnauthorized?: boolean;
}

/** GETs `url`: its status and body, or status 0 when nothing answered (within 2 s; the caller asks again). */
function probe(url: string, tls?: ProbeTls): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const options = { timeout: 2000, ...(tls ?? {}) };
    const req = (tls ? httpsRequest : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: 0, body: '' });
    });
    req.end();
  });
}

/** A readiness check: true when ready, else what it saw (for the timeout message). */
type ReadyCheck = () => Promise<true | string>;

/** Ready when `url` answers 200. */
function answers200(url: string, tls?: ProbeTls): ReadyCheck {
  return async () => {
    const { status } = await probe(url, tls);
    return status === 200 || `status ${status}`;
  };
}

/** kube-controller-manager's health check of its CSR signing controller, registered once the controller started. */
const SIGNER_HEALTH_CHECK = 'certificatesigningrequest-signing-controller';
/** How often kube-controller-manager is started before start() gives up (see launch). */
const CONTROLLER_MANAGER_START_ATTEMPTS = 3;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager (CSR controllers only),
 * with its own PKI in a temporary folder. Several may run at once; each picks free ports.
 */
export class LocalCluster {
  private readonly children = new Map<ComponentName, ChildProcess | number>();
  private readonly argsOf = new Map<ComponentName, { binary: string; args: string[] }>();
  private certManagerInfo: CertManagerInfo | undefined;

  private constructor(
    readonly name: string,
    /** The temporary folder holding PKI, kubeconfigs, etcd data and logs. */
    readonly dir: string,
    readonly pki: ClusterPki,
    readonly ports: {
      etcdClient: number;
      etcdPeer: number;
      apiserver: number;
      controllerManager: number;
      certManagerHealth?: number;
    },
    private readonly detached: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** The API server URL, https://127.0.0.1:<port>. */
  get server(): string {
    return `https://127.0.0.1:${this.ports.apiserver}`;
  }

  /** Path of the admin kubeconfig (identity in system:masters). */
  get kubeconfig(): string {
    return join(this.dir, 'admin.kubeconfig');
  }

  /**
   * The API server's audit log (JSON lines): who created, changed or deleted ConfigMaps, Secrets and CSRs, and who
   * asked who they are (SelfSubjectReviews).
   */
  get auditLog(): string {
    return join(this.dir, 'audit.log');
  }

  /** The cluster CA certificate (PEM): it signs the serving certificate and every CSR kube-controller-manager issues. */
  get caPem(): string {
    return this.pki.ca.certPem;
  }

  /** What the cert-manager setup made, when cert-manager runs. */
  get certManager(): CertManagerInfo | undefined {
    return this.certManagerInfo;
  }

  /**
   * Builds (if needed) and starts the control plane, resolving once /readyz answers 200 and the signer is healthy;
   * with `certManager`, also cert-manager's controllers, resolving once its ClusterIssuers are Ready.
   */
  static async start(options: StartOptions = {}): Promise<LocalCluster> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const binaries = await ensureControlPlaneBinaries(log);
    const certManagerBuild = options.certManager ? await ensureCertManagerBuild(log) : undefined;
    const name = options.name ?? 'test';
    const dir = mkdtempSync(join(tmpdir(), `kube-csr-${name}-`));
    const pki = createClusterPki(dir);
    const ports = {
      etcdClient: await freePort(),
      etcdPeer: await freePort(),
      apiserver: await freePort(),
      controllerManager: await freePort(),
      ...(options.certManager ? { certManagerHealth: await freePort() } : {}),
    };
    const cluster = new LocalCluster(name, dir, pki, ports, options.detached ?? false, log);
    if (!options.detached) process.once('exit', () => cluster.killNow());
    try {
      await cluster.launch(binaries, options.readyTimeoutMs ?? 120_000);
      if (certManagerBuild && options.certManager) {
        await cluster.launchCertManager(certManagerBuild, options.certManager, options.readyTimeoutMs ?? 120_000);
      }
    } catch (error) {
      cluster.printLogs();
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Stops every process this cluster started (by pid) and removes its folder. */
  async stop(): Promise<void> {
    for (const component of ['cert-manager', 'kube-controller-manager', 'kube-apiserver', 'etcd'] as const) {
      await this.stopComponent(component);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Last-resort cleanup when this process exits without calling stop(): SIGKILL, synchronously. */
  private killNow(): void {
    for (const pid of Object.values(this.pids())) {
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops kube-apiserver alone and starts it again on the same port (for fault tests); resolves when ready. */
  async restartApiServer(downtimeMs = 0): Promise<void> {
    await this.restartComponent('kube-apiserver', downtimeMs);
  }

  /**
   * Stops one component and starts it again with the same arguments (for fault tests); resolves when the API server
   * answers /readyz again (for etcd: when the API server has reconnected to it).
   */
  async restartComponent(component: ComponentName, downtimeMs = 0): Promise<void> {
    await this.stopComponent(component);
    if (downtimeMs > 0) await sleep(downtimeMs);
    this.startComponent(component);
    await this.waitForApiServer(60_000);
  }

  /** Stops one component (for fault tests). */
  async stopComponent(component: ComponentName): Promise<void> {
    const pid = this.pidOf(component);
    if (pid) await terminate(pid);
    this.children.delete(component);
  }

  /** The pid of a component (0 when it does not run): detached children are kept as bare pids. */
  private pidOf(component: ComponentName): number {
    const child = this.children.get(component);
    return (typeof child === 'number' ? child : child?.pid) ?? 0;
  }

  /** The pids of the running processes (cert-manager only when it was started). */
  pids(): Partial<Record<ComponentName, number>> {
    return {
      etcd: this.pidOf('etcd'),
      'kube-apiserver': this.pidOf('kube-apiserver'),
      'kube-controller-manager': this.pidOf('kube-controller-manager'),
      ...(this.argsOf.has('cert-manager') ? { 'cert-manager': this.pidOf('cert-manager') } : {}),
    };
  }

  /** A description another process can use to reach or stop this cluster. */
  state(): ClusterState {
    return {
      name: this.name,
      dir: this.dir,
      server: this.server,
      kubeconfig: this.kubeconfig,
      pids: this.pids(),
      ports: this.ports,
      ...(this.certManagerInfo ? { certManager: this.certManagerInfo } : {}),
    };
  }

  /** The last lines of each component's log. */
  logTail(component: ComponentName, lines = 40): string {
    try {
      return readFileSync(join(this.dir, `${component}.log`), 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Writes every component's log tail to the log function (used when something failed). */
  printLogs(): void {
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'cert-manager'] as const) {
      if (!this.argsOf.has(component)) continue;
      this.log(`----- ${this.name}/${component} log (tail) -----\n${this.logTail(component)}`);
    }
  }

  private async launch(binaries: ControlPlaneBinaries, readyTimeoutMs: number): Promise<void> {
    const { dir, pki, ports } = this;
    const started = Date.now();
    writeFileSync(
      this.kubeconfig,
      kubeconfigYaml(this.server, pki, { cert: pki.admin.certPem, key: pki.admin.keyPem }, this.name),
      {
        mode: 0o600,
      },
    );
    const kcmKubeconfig = join(dir, 'controller-manager.kubeconfig');
    writeFileSync(
      kcmKubeconfig,
      kubeconfigYaml(
        this.server,
        pki,
        { cert: pki.controllerManager.certPem, key: pki.controllerManager.keyPem },
        'kcm',
      ),
      { mode: 0o600 },
    );
    const auditPolicy = join(dir, 'audit-policy.yaml');
    writeFileSync(auditPolicy, AUDIT_POLICY);
    const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
    const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
    this.argsOf.set('etcd', {
      binary: binaries.etcd,
      args: [
        '--name=default',
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
    });
    this.argsOf.set('kube-apiserver', {
      binary: binaries.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.apiserver}`,
        '--advertise-address=127.0.0.1',
        '--endpoint-reconciler-type=none',
        `--cert-dir=${dir}`,
        `--tls-cert-file=${pki.serving.certFile}`,
        `--tls-private-key-file=${pki.serving.keyFile}`,
        `--client-ca-file=${pki.ca.certFile}`,
        '--authorization-mode=RBAC',
        '--service-cluster-ip-range=10.0.0.0/24',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki.serviceAccountPublicKeyFile}`,
        `--service-account-signing-key-file=${pki.serviceAccountKeyFile}`,
        '--disable-admission-plugins=ServiceAccount',
        `--audit-policy-file=${auditPolicy}`,
        `--audit-log-path=${this.auditLog}`,
        '--audit-log-format=json',
        '--profiling=false',
        '--v=1',
      ],
    });
    this.argsOf.set('kube-controller-manager', {
      binary: binaries.kubeControllerManager,
      args: [
        `--kubeconfig=${kcmKubeconfig}`,
        '--authentication-skip-lookup=true',
        // The CSR controllers, plus the aggregation that fills the view/edit/admin ClusterRoles people bind to.
        '--controllers=csrsigning,csrapproving,csrcleaner,clusterrole-aggregation',
        `--cluster-signing-cert-file=${pki.ca.certFile}`,
        `--cluster-signing-key-file=${pki.ca.keyFile}`,
        '--cluster-signing-duration=24h',
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.controllerManager}`,
        `--cert-dir=${dir}`,
        '--v=1',
      ],
    });

    this.startComponent('etcd');
    await this.waitFor('etcd', answers200(`${etcdUrl}/health`), readyTimeoutMs);
    this.startComponent('kube-apiserver');
    await this.waitForApiServer(readyTimeoutMs);
    await this.startControllerManager(readyTimeoutMs);
    this.log(`cluster ${this.name} ready at ${this.server} in ${Date.now() - started} ms (folder ${dir})`);
  }

  /**
   * Installs the CRDs, the namespaces, a CA Secret and the ClusterIssuers, then starts cert-manager's controllers
   * (identity CN=cert-manager in system:masters, health endpoint on loopback, the approver skipping
   * MANUAL_APPROVAL_NAMESPACE) and waits until they report ready and the ClusterIssuers are Ready.
   */
  private async launchCertManager(
    build: CertManagerBuild,
    options: CertManagerOptions,
    readyTimeoutMs: number,
  ): Promise<void> {
    const started = Date.now();
    const healthPort = this.ports.certManagerHealth ?? 0;
    const admin = new KubeConfig();
    admin.loadFromFile(this.kubeconfig);
    await installCertManagerCrds(admin, build.crdFiles, readyTimeoutMs, (file) => readFileSync(file, 'utf8'));
    const ca = createCertificateAuthority(this.dir, 'cert-manager-ca', 'cdktf-kubernetes-csr test cert-manager CA');
    await createCertManagerFixtures(admin, ca, this.pki.ca);

    const identity = issueClientIdentity(this.dir, this.pki, 'cert-manager', {
      commonName: 'cert-manager',
      organizations: ['system:masters'],
    });
    const kubeconfig = join(this.dir, 'cert-manager.kubeconfig');
    writeFileSync(
      kubeconfig,
      kubeconfigYaml(this.server, this.pki, { cert: identity.certPem, key: identity.keyPem }, 'cert-manager'),
      { mode: 0o600 },
    );
    const approver = options.approver ?? true;
    const controllers = CERT_MANAGER_CONTROLLERS.filter((c) => approver || c !== 'certificaterequests-approver');
    this.argsOf.set('cert-manager', {
      binary: build.binary,
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--cluster-resource-namespace=${CLUSTER_RESOURCE_NAMESPACE}`,
        `--controllers=${controllers.join(',')}`,
        `--approver-skip-namespaces=${MANUAL_APPROVAL_NAMESPACE}`,
        `--health-listen-address=127.0.0.1:${healthPort}`,
        '--v=1',
      ],
    });
    this.startComponent('cert-manager');
    await this.waitFor('cert-manager', answers200(`http://127.0.0.1:${healthPort}/readyz`), readyTimeoutMs);
    await waitForClusterIssuers(admin, readyTimeoutMs);
    this.certManagerInfo = {
      clusterIssuer: CA_CLUSTER_ISSUER,
      caPem: ca.certPem,
      caFile: ca.certFile,
      clusterCaIssuer: CLUSTER_CA_CLUSTER_ISSUER,
      selfSignedClusterIssuer: SELF_SIGNED_CLUSTER_ISSUER,
      manualApprovalNamespace: MANUAL_APPROVAL_NAMESPACE,
      clusterResourceNamespace: CLUSTER_RESOURCE_NAMESPACE,
      approver,
    };
    this.log(
      `cert-manager ready in ${Date.now() - started} ms: ClusterIssuers ${CA_CLUSTER_ISSUER} (CA), ` +
        `${CLUSTER_CA_CLUSTER_ISSUER} (the cluster CA), ${SELF_SIGNED_CLUSTER_ISSUER} (SelfSigned); approver ${approver ? `on except in namespace ${MANUAL_APPROVAL_NAMESPACE}` : 'off'}`,
    );
  }

  private adminTls() {
    return { ca: this.pki.ca.certPem, cert: this.pki.admin.certPem, key: this.pki.admin.keyPem };
  }

  private async waitForApiServer(timeoutMs: number): Promise<void> {
    await this.waitFor('kube-apiserver', answers200(`${this.server}/readyz`, this.adminTls()), timeoutMs);
  }

  /**
   * Starts kube-controller-manager and resolves once its CSR signing controller runs: its /healthz lists that
   * controller's check only after the controller started (answering 200 before that means nothing). At start-up
   * kube-controller-manager gives the API server 10 s to report /healthz ok and exits otherwise; on a busy machine the
   * API server's etcd check (2 s timeout) can fail for that long, so one that exits while starting is started again.
   */
  private async startControllerManager(timeoutMs: number): Promise<void> {
    const url = `https://127.0.0.1:${this.ports.controllerManager}/healthz?verbose`;
    const signerRunning: ReadyCheck = async () => {
      const { status, body } = await probe(url, { rejectUnauthorized: false });
      return (
        (status === 200 && body.includes(`[+]${SIGNER_HEALTH_CHECK} ok`)) ||
        `status ${status}, no ${SIGNER_HEALTH_CHECK} check yet`
      );
    };
    for (let attempt = 1; ; attempt++) {
      this.startComponent('kube-controller-manager');
      try {
        await this.waitFor('kube-controller-manager', signerRunning, timeoutMs);
        return;
      } catch (error) {
        if (this.children.has('kube-controller-manager') || attempt >= CONTROLLER_MANAGER_START_ATTEMPTS) throw error;
        this.log(`kube-controller-manager exited while starting (attempt ${attempt}); starting it again`);
      }
    }
  }

  private async waitFor(component: ComponentName, ready: ReadyCheck, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'not asked yet';
    while (Date.now() < deadline) {
      if (!this.children.has(component))
        throw new Error(`${component} exited during start-up:\n${this.logTail(component)}`);
      const seen = await ready();
      if (seen === true) return;
      last = seen;
      await sleep(100);
    }
    throw new Error(`${component} was not ready within ${timeoutMs} ms (last: ${last})`);
  }

  private startComponent(component: ComponentName): void {
    const spec = this.argsOf.get(component);
    if (!spec) throw new Error(`no arguments recorded for ${component}`);
    mkdirSync(this.dir, { recursive: true });
    const logFd = openSync(join(this.dir, `${component}.log`), 'a');
    const child = spawn(spec.binary, spec.args, {
      stdio: ['ignore', logFd, logFd],
      detached: this.detached,
      cwd: this.dir,
    });
    closeSync(logFd);
    // A detached child is kept as its bare pid (another process may stop it later); while this process runs, its
    // exit is still seen, so a component that dies during start-up is noticed either way.
    const entry = this.detached ? (child.pid ?? 0) : child;
    if (this.detached) child.unref();
    this.children.set(component, entry);
    child.on('exit', () => {
      if (this.children.get(component) === entry) this.children.delete(component);
    });
  }
}
