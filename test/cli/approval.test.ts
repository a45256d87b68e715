import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/cli/main.js';
import {
  adminCertificatesApi,
  assertNoCsrLeft,
  csrNamesContaining,
  errorLine,
  runCli,
  scratchDir,
  show,
  startCli,
  uniqueName,
  waitUntilIssued,
} from './support.js';
import { opensslClientRequest } from '../support/openssl-request.js';

/** The CertificateSigningRequest name `issue` prints while it waits for someone to approve. */
const WAITING = /run: {2}kube-csr approve (kube-csr-\S+)/;

describe('kube-csr issue waiting for approval; approve, deny, get', () => {
  const scratch = scratchDir();
  after(() => scratch.dispose());
  afterEach(() => assertNoCsrLeft());

  /** Starts `issue` without --approve; resolves with the process and the CSR name it prints. */
  async function startWaitingIssue(label: string, extra: string[] = []) {
    const user = uniqueName(label);
    const issue = startCli([
      'issue',
      '--user',
      user,
      '--key-type',
      'ecdsa-p256',
      '--out-dir',
      scratch.path(label),
      ...extra,
    ]);
    const [, name] = await issue.waitForStderr(WAITING);
    assert.ok(name);
    return { user, issue, name };
  }

  it('GIVEN issue waits WHEN another process runs kube-csr approve THEN issue completes; get shows the pending request first', async () => {
    // GIVEN issue waits for approval of its request
    const { user, issue, name } = await startWaitingIssue('approved');
    assert.match(name, new RegExp(`^kube-csr-${user}-[a-z0-9]{5}$`));

    // WHEN someone looks at it, then approves it from another process
    const got = await runCli(['get', name, '--json']);
    const approved = await runCli(['approve', name, '--reason', 'TicketOK', '--message', 'OPS-1']);
    const done = await issue.done;

    // THEN get showed a pending request with the decoded subject
    assert.equal(got.code, 0, show(got));
    const summary = JSON.parse(got.stdout) as {
      status: string;
      managedBy: string;
      usages: string[];
      expirationSeconds: number;
      request: { subject: { commonName: string }; signatureValid: boolean };
    };
    assert.equal(summary.status, 'Pending');
    assert.equal(summary.managedBy, 'cdktf-kubernetes-csr');
    assert.deepEqual(summary.usages, ['client auth']);
    assert.equal(summary.expirationSeconds, 86400);
    assert.equal(summary.request.subject.commonName, user);
    assert.equal(summary.request.signatureValid, true);

    // AND approve said what it approved, and issue finished all seven steps
    assert.equal(approved.code, 0, show(approved));
    assert.match(
      approved.stdout,
      new RegExp(`^approved ${name}\\n.*signer: +kubernetes.io/kube-apiserver-client`, 's'),
    );
    assert.match(approved.stdout, new RegExp(`subject: +CN=${user}`));
    assert.equal(done.code, 0, show(done));
    assert.match(done.stderr, /\[4\/7\] .* was approved/);
    assert.match(done.stderr, /\[7\/7\] Authenticated as user/);
    assert.match(done.stderr, new RegExp(`deleted CertificateSigningRequest ${name}`));
  });

  it('GIVEN issue waits WHEN another process runs kube-csr deny THEN issue exits 3 with the reason, writes nothing and leaves no CSR', async () => {
    const { issue, name } = await startWaitingIssue('denied');

    const denied = await runCli(['deny', name, '--reason', 'UnknownUser', '--message', 'no ticket', '--json']);
    const done = await issue.done;

    assert.equal(denied.code, 0, show(denied));
    assert.deepEqual(JSON.parse(denied.stdout), {
      name,
      decision: 'Denied',
      changed: true,
      signerName: 'kubernetes.io/kube-apiserver-client',
      requestor: 'cluster-admin',
      subject: `CN=${uniqueName('denied')}`,
      reason: 'UnknownUser',
      message: 'no ticket',
    });
    assert.equal(done.code, EXIT_CODES.denied, show(done));
    assert.match(errorLine(done), new RegExp(`"${name}" .* was denied \\(UnknownUser: no ticket\\)$`));
    assert.ok(!existsSync(scratch.path('denied')), 'files were written for a denied request');
    assert.deepEqual(await csrNamesContaining(name), []);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`GIVEN issue waits WHEN it gets ${signal} THEN it deletes its CSR and exits 130`, async () => {
      const { issue, name } = await startWaitingIssue(`signal-${signal.toLowerCase()}`);
      assert.deepEqual(await csrNamesContaining(name), [name]);

      issue.child.kill(signal);
      const done = await issue.done;

      assert.equal(done.code, EXIT_CODES.interrupted, show(done));
      assert.match(errorLine(done), new RegExp(`interrupted by ${signal}; deleted CertificateSigningRequest ${name}$`));
      assert.deepEqual(await csrNamesContaining(name), []);
    });
  }

  it('GIVEN a signer nobody serves WHEN issue --approve --timeout 3s THEN it exits 4, says why, and leaves no CSR', async () => {
    const user = uniqueName('timeout');
    const run = await runCli(
      ['issue', '--user', user, '--key-type', 'ecdsa-p256', '--signer', 'example.com/nobody-signs-this'].concat([
        '--approve',
        '--timeout',
        '3s',
        '--out-dir',
        scratch.path('timeout'),
      ]),
    );
    assert.equal(run.code, EXIT_CODES.timeout, show(run));
    assert.match(
      errorLine(run),
      /timed out after 3000 ms .*approved but the signer example\.com\/nobody-signs-this never issued a certificate/,
    );
    assert.match(run.stderr, /\[4\/7\] Approved /);
    assert.deepEqual(await csrNamesContaining(user), []);
  });

  it('GIVEN a CSR created elsewhere WHEN approved, shown and then denied THEN get shows it issued and deny fails with exit 1', async () => {
    // GIVEN an unlabelled request of another tool (openssl + the API)
    const name = uniqueName('elsewhere');
    const work = mkdtempSync(join(tmpdir(), 'kube-csr-cli-'));
    try {
      const { csrPem } = opensslClientRequest(work, name, ['outsiders']);
      await adminCertificatesApi().createCertificateSigningRequest({
        body: {
          metadata: { name },
          spec: {
            request: Buffer.from(csrPem).toString('base64'),
            signerName: 'kubernetes.io/kube-apiserver-client',
            usages: ['client auth'],
            expirationSeconds: 600,
          },
        },
      });

      // WHEN approved twice, then shown once issued
      const first = await runCli(['approve', name]);
      const second = await runCli(['approve', name, '--json']);
      await waitUntilIssued(name);
      const shown = await runCli(['get', name]);
      const denied = await runCli(['deny', name]);

      // THEN
      assert.equal(first.code, 0, show(first));
      assert.equal(second.code, 0, show(second));
      assert.equal((JSON.parse(second.stdout) as { changed: boolean }).changed, false);
      assert.equal(shown.code, 0, show(shown));
      assert.match(shown.stdout, /^status: +Approved,Issued$/m);
      assert.match(shown.stdout, new RegExp(`^request: +O=outsiders,CN=${name}; ecdsa P-256; signature valid$`, 'm'));
      assert.match(
        shown.stdout,
        new RegExp(`^certificate: +CN=${name},O=outsiders; issuer CN=.*; valid .* to .*; serial`, 'm'),
      );
      assert.match(shown.stdout, /^ {2}- Approved KubeCsrApprove: This CSR was approved by kube-csr approve/m);
      assert.doesNotMatch(shown.stdout, /managed-by/);
      assert.equal(denied.code, EXIT_CODES.failure, show(denied));
      assert.match(errorLine(denied), /already approved; that cannot be changed/);
    } finally {
      rmSync(work, { recursive: true, force: true });
      await adminCertificatesApi()
        .deleteCertificateSigningRequest({ name })
        .catch(() => undefined);
    }
  });

  it('fails with exit 1 and one line when the CSR does not exist', async () => {
    for (const command of ['approve', 'deny', 'get']) {
      const run = await runCli([command, uniqueName('missing')]);
      assert.equal(run.code, EXIT_CODES.failure, show(run));
      assert.match(errorLine(run), new RegExp(`CertificateSigningRequest "${uniqueName('missing')}" not found`));
    }
  });

  it('fails with exit 1 and one line when the cluster is unreachable', async () => {
    const kubeconfig = scratch.path('unreachable.kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: c, context: {cluster: gone, user: u}}]',
        'current-context: c',
      ].join('\n'),
    );
    const run = await runCli(['get', 'anything', '--kubeconfig', kubeconfig]);
    assert.equal(run.code, EXIT_CODES.failure, show(run));
    assert.match(errorLine(run), /https:\/\/127\.0\.0\.1:1 is unreachable/);
  });
});
