import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { decide } from '../../src/runtime/approval.js';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { clientRequest, csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { collect, kubecsrCsrConfig, TerraformWorkspace } from '../../dev/toolchain/terraform-workspace.js';

function csrConfig(request: string, prefix: string, signerName: string, extra: string): string {
  return kubecsrCsrConfig({ label: 'faulty', metadata: `generate_name = "${prefix}"`, request, signerName, extra });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check` holds; rejects after `attempts` tries 100 ms apart (a bound far above what the step needs). */
async function eventually(check: () => Promise<boolean>, what: string, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

// What a deploy through kubecsr leaves behind when Terraform or a cluster component dies in the middle, on a
// private cluster so that components can be stopped. Each case ends with "no CSR left, and the next run works".
describe('kubecsr when things fail mid-flight', () => {
  let cluster: LocalCluster;
  let admin: KubeConfig;
  let work: string;

  before(async () => {
    cluster = await LocalCluster.start({ name: 'provider-faults', log: () => undefined });
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    work = mkdtempSync(join(tmpdir(), 'kubecsr-faults-'));
  });
  after(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function workspace(name: string, mainTf: string): Promise<TerraformWorkspace> {
    const ws = await TerraformWorkspace.create(join(work, name), { KUBECONFIG: cluster.kubeconfig });
    ws.write(mainTf);
    const init = await ws.run(['init', '-input=false']);
    assert.equal(init.status, 0, init.output);
    return ws;
  }

  async function nextRunWorks(ws: TerraformWorkspace, prefix: string, request: string): Promise<void> {
    ws.write(csrConfig(request, prefix, 'kubernetes.io/kube-apiserver-client', 'timeout = "5m"'));
    const plan = await ws.run(['plan', '-input=false']);
    assert.equal(plan.status, 0, plan.output);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  }

  it('deletes the CSR itself when terraform is killed with SIGKILL while waiting for a signer that never signs', async () => {
    const prefix = `fault-kill-${uniqueSuffix()}-`;
    const { request } = await clientRequest('fault-kill');
    const ws = await workspace('kill', csrConfig(request, prefix, 'example.com/never-signs', 'timeout = "10m"'));
    const child = ws.spawn(['plan', '-input=false']);
    const finished = collect(child);
    await eventually(async () => (await csrNamesWithPrefix(admin, prefix)).length > 0, 'the CSR was created');
    const providerPids = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
      .filter((pid) => pid > 0);
    child.kill('SIGKILL');
    await finished;
    // THEN the orphaned provider notices, ends its wait, deletes the object and exits
    await eventually(async () => (await csrNamesWithPrefix(admin, prefix)).length === 0, 'the CSR was deleted');
    await eventually(() => Promise.resolve(providerPids.every((pid) => !isAlive(pid))), 'the provider exited');
    await nextRunWorks(ws, prefix, request);
  });

  it('ends the plan with a diagnostic naming the API server when kube-apiserver is down, and works once it is back', async () => {
    const prefix = `fault-apiserver-${uniqueSuffix()}-`;
    const { request } = await clientRequest('fault-apiserver');
    const ws = await workspace(
      'apiserver',
      csrConfig(request, prefix, 'kubernetes.io/kube-apiserver-client', 'timeout = "5m"'),
    );
    await cluster.stopComponent('kube-apiserver');
    try {
      const plan = await ws.run(['plan', '-input=false']);
      assert.equal(plan.status, 1, plan.output);
      assert.match(plan.output, /The Kubernetes API server is unreachable/);
      assert.ok(plan.output.includes(cluster.server), `the diagnostic names ${cluster.server}:\n${plan.output}`);
    } finally {
      await cluster.restartApiServer();
    }
    await nextRunWorks(ws, prefix, request);
  });

  it('survives etcd stopping and restarting while it waits for approval, then issues and cleans up', async () => {
    const prefix = `fault-etcd-${uniqueSuffix()}-`;
    const { request } = await clientRequest('fault-etcd');
    const ws = await workspace(
      'etcd',
      csrConfig(request, prefix, 'kubernetes.io/kube-apiserver-client', 'auto_approve = false\n  timeout = "10m"'),
    );
    const child = ws.spawn(['plan', '-input=false']);
    const finished = collect(child);
    await eventually(async () => (await csrNamesWithPrefix(admin, prefix)).length > 0, 'the CSR was created');
    await cluster.restartComponent('etcd', 2000);
    // WHEN someone approves it after the outage
    const api = admin.makeApiClient(CertificatesV1Api);
    const [name] = await csrNamesWithPrefix(admin, prefix);
    const csr = await api.readCertificateSigningRequest({ name: name ?? '' });
    await decide(admin, api, csr, { decision: 'Approved', reason: 'TestApproved', message: 'after the outage' });
    const plan = await finished;
    assert.equal(plan.status, 0, plan.output);
    assert.match(plan.output, /Opening complete/);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });

  it('times out with a diagnostic saying nothing signs when kube-controller-manager is absent', async () => {
    const prefix = `fault-kcm-${uniqueSuffix()}-`;
    const { request } = await clientRequest('fault-kcm');
    const ws = await workspace(
      'kcm',
      csrConfig(request, prefix, 'kubernetes.io/kube-apiserver-client', 'timeout = "4s"'),
    );
    await cluster.stopComponent('kube-controller-manager');
    try {
      const plan = await ws.run(['plan', '-input=false']);
      assert.equal(plan.status, 1, plan.output);
      assert.match(plan.output, /Timed out waiting for the certificate/);
      assert.match(plan.output, /approved but nothing signed it/);
      assert.match(plan.output, /kube-controller-manager/);
      assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    } finally {
      await cluster.restartComponent('kube-controller-manager');
    }
    await nextRunWorks(ws, prefix, request);
  });

  it('never lets a certificate or key reach Terraform output or its TF_LOG=trace log', async () => {
    const prefix = `fault-trace-${uniqueSuffix()}-`;
    const { request } = await clientRequest('fault-trace');
    const ws = await workspace(
      'trace',
      csrConfig(request, prefix, 'kubernetes.io/kube-apiserver-client', 'timeout = "5m"'),
    );
    const logFile = join(work, 'trace.log');
    const apply = await ws.run(['apply', '-auto-approve', '-input=false'], { TF_LOG: 'trace', TF_LOG_PATH: logFile });
    assert.equal(apply.status, 0, apply.output);
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, /OpenEphemeralResource/, 'the trace log covers the Open call');
    for (const text of [apply.output, log]) {
      assert.doesNotMatch(text, /BEGIN CERTIFICATE|PRIVATE KEY/);
    }
  });
});
