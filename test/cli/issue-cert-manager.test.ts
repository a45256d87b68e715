import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/cli/main.js';
import { parseCertificateChain, verifyChain } from '../../src/pki/index.js';
import { CertificateRequestClient, decideCertificateRequest } from '../../src/runtime/index.js';
import { sharedCertManager, sharedKubeConfig } from '../support/cluster-env.js';
import { certificateRequestNames, createCaIssuer, freshNamespace } from '../support/cert-manager.js';
import { assertNoKeyMaterial, errorLine, RUN_ID, runCli, scratchDir, show, startCli, uniqueName } from './support.js';

interface IssueJson {
  user: string;
  signerName: string;
  csrName: string;
  certManager?: { issuer: string; namespace: string };
  files: { key: string; certificate: string; request: string; kubeconfig: string };
  certificate: { subject: { commonName: string }; extendedKeyUsages: string[] };
  identity: { username: string; groups: string[] };
  roleBinding?: { name: string; namespace: string; roleRef: { kind: string; name: string } };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('kube-csr issue --issuer (cert-manager)', () => {
  const scratch = scratchDir();
  const admin = sharedKubeConfig();
  const certManager = sharedCertManager();
  const namespaces = new Set<string>([certManager.manualApprovalNamespace]);
  let namespace = '';

  before(async () => {
    namespace = await freshNamespace(admin, `cli-${RUN_ID}-cm`);
    namespaces.add(namespace);
  });
  after(() => scratch.dispose());

  /**
   * `kube-csr issue` for `user` through `issuer` in the namespace cert-manager's approver leaves to people, with an
   * ECDSA P-256 key and files in a scratch folder named after `folder`; `more` arguments follow.
   */
  function manualIssueArgs(user: string, issuer: string, folder: string, ...more: string[]): string[] {
    return [
      'issue',
      '--user',
      user,
      '--issuer',
      issuer,
      '--namespace',
      certManager.manualApprovalNamespace,
      '--key-type',
      'ecdsa-p256',
      '--out-dir',
      scratch.path(folder),
      ...more,
    ];
  }

  /** Starts {@link manualIssueArgs} and waits until it prints the CertificateRequest it waits for. */
  async function startWaitingIssue(user: string, issuer: string, folder: string) {
    const started = startCli(manualIssueArgs(user, issuer, folder), { timeoutMs: 120_000 });
    const [, ns = '', name = ''] = await started.waitForStderr(/cmctl approve -n (\S+) (\S+)/);
    return { started, ns, name, client: new CertificateRequestClient(admin, ns) };
  }

  afterEach(async () => {
    // THEN, after every test: no CertificateRequest of this run is left
    assert.deepEqual(await certificateRequestNames(admin, namespaces, `kube-csr-cli-${RUN_ID}-`), []);
  });

  it('GIVEN a ClusterIssuer with the cluster CA WHEN run THEN the eight steps happen through cert-manager and the user is who the certificate says', async () => {
    // GIVEN a new user, cert-manager's approver running, and a ClusterIssuer that signs with the cluster CA
    const user = uniqueName('ada');
    const outDir = scratch.path('ada');

    // WHEN the certificate is issued through it, with a RoleBinding to the built-in ClusterRole "view"
    const run = await runCli([
      'issue',
      '--user',
      user,
      '--group',
      'analysts',
      '--issuer',
      `ClusterIssuer/${certManager.clusterCaIssuer}`,
      '--key-type',
      'ecdsa-p256',
      '--expiration',
      '2h',
      '--role',
      'clusterrole/view',
      '--namespace',
      namespace,
      '--out-dir',
      outDir,
      '--json',
    ]);

    // THEN it succeeds, in eight steps, through a CertificateRequest in the namespace
    assert.equal(run.code, 0, show(run));
    const result = JSON.parse(run.stdout) as IssueJson;
    for (const step of [1, 2, 3, 4, 5, 6, 7, 8]) assert.match(run.stderr, new RegExp(`^\\[${step}/8\\] `, 'm'));
    assert.match(
      run.stderr,
      new RegExp(
        `\\[3/8\\] Created CertificateRequest ${namespace}/kube-csr-${user}-[a-z0-9]{5} \\(issuer ClusterIssuer/`,
      ),
    );
    assert.match(run.stderr, /\[4\/8\] .* was approved \(reason cert-manager\.io\)/);
    assert.deepEqual(result.certManager, {
      issuer: `ClusterIssuer/${certManager.clusterCaIssuer}`,
      namespace,
    });
    assert.equal(result.signerName, `clusterissuers.cert-manager.io/${certManager.clusterCaIssuer}`);
    assert.match(result.csrName, new RegExp(`^kube-csr-${user}-[a-z0-9]{5}$`));

    // AND the certificate is a 2-hour client certificate for the user, the key and kubeconfig owner-only
    assert.equal(result.certificate.subject.commonName, user);
    assert.deepEqual(result.certificate.extendedKeyUsages, ['client auth']);
    const chain = parseCertificateChain(readFileSync(result.files.certificate, 'utf8'));
    assert.equal(chain.leaf.notAfter.getTime() - chain.leaf.notBefore.getTime(), 2 * 3600_000);
    verifyChain(chain, readFileSync(process.env.CDKTF_CSR_TEST_CA_FILE ?? '', 'utf8'));
    assert.equal(mode(result.files.key), 0o600);
    assert.equal(mode(result.files.kubeconfig), 0o600);
    assertNoKeyMaterial(run, [readFileSync(result.files.key, 'utf8')]);

    // AND the new kubeconfig authenticates as the user, and the RoleBinding was made
    assert.equal(result.identity.username, user);
    assert.ok(result.identity.groups.includes('analysts'));
    assert.deepEqual(result.roleBinding?.roleRef, { kind: 'ClusterRole', name: 'view' });
    assert.equal(result.roleBinding?.namespace, namespace);
  });

  it('GIVEN --approve and a namespaced Issuer with a CA the API server does not trust WHEN run THEN it issues, writes the files, and says why the kubeconfig cannot log in', async () => {
    // GIVEN a CA Issuer of its own in a fresh namespace
    const own = await freshNamespace(admin, `cli-${RUN_ID}-issuer`);
    namespaces.add(own);
    const caPem = await createCaIssuer(admin, own, 'team-ca');
    const user = uniqueName('bo');
    const outDir = scratch.path('bo');

    // WHEN kube-csr issues through it and approves itself
    const run = await runCli([
      'issue',
      '--user',
      user,
      '--issuer',
      'Issuer/team-ca',
      '--namespace',
      own,
      '--approve',
      '--key-type',
      'ecdsa-p256',
      '--out-dir',
      outDir,
    ]);

    // THEN steps 1 to 6 succeed with a certificate from that CA, and step 7 fails with the reason
    assert.equal(run.code, EXIT_CODES.failure, show(run));
    assert.match(run.stderr, new RegExp(`\\[4/7\\] Approved kube-csr-${user}-`));
    assert.match(run.stderr, /\[5\/7\] Issued by Issuer\/team-ca; the certificate is for the new key/);
    assert.match(
      errorLine(run),
      /the API server does not accept the certificate Issuer\/team-ca issued .*the issuer's CA is not the API server's client CA/,
    );
    verifyChain(parseCertificateChain(readFileSync(`${outDir}/${user}.crt`, 'utf8')), caPem);
    assert.equal(mode(`${outDir}/${user}.key`), 0o600);
  });

  it('GIVEN no --approve where cert-manager does not approve WHEN someone approves THEN it goes on', async () => {
    // GIVEN kube-csr waiting in the namespace cert-manager's approver leaves to people
    const user = uniqueName('cy');
    const { started, ns, name, client } = await startWaitingIssue(
      user,
      `ClusterIssuer/${certManager.clusterCaIssuer}`,
      'cy',
    );
    assert.equal(ns, certManager.manualApprovalNamespace);

    // WHEN someone approves the CertificateRequest it printed
    await decideCertificateRequest(admin, client, await client.read(name), {
      decision: 'Approved',
      reason: 'ApprovedByTest',
      message: 'approved while kube-csr waits',
    });

    // THEN it finishes, reporting who approved
    const run = await started.done;
    assert.equal(run.code, 0, show(run));
    assert.match(run.stderr, new RegExp(`\\[4/7\\] ${name} was approved \\(reason ApprovedByTest\\)`));
  });

  it('fails with the denied exit code when the CertificateRequest is denied', async () => {
    const user = uniqueName('dee');
    const { started, name, client } = await startWaitingIssue(
      user,
      `ClusterIssuer/${certManager.clusterIssuer}`,
      'dee',
    );
    await decideCertificateRequest(admin, client, await client.read(name), {
      decision: 'Denied',
      reason: 'NotToday',
      message: 'no certificates for dee',
    });
    const run = await started.done;
    assert.equal(run.code, EXIT_CODES.denied, show(run));
    assert.match(errorLine(run), /was denied \(NotToday: no certificates for dee\)/);
  });

  it('fails with the timeout exit code, saying how to approve, when nobody approves', async () => {
    const user = uniqueName('tim');
    const run = await runCli(
      manualIssueArgs(user, `ClusterIssuer/${certManager.clusterIssuer}`, 'tim', '--timeout', '2s'),
    );
    assert.equal(run.code, EXIT_CODES.timeout, show(run));
    assert.match(
      errorLine(run),
      /it was never approved; approve it \(cmctl approve -n kube-csr-manual-approval kube-csr-.*\), or pass --approve/,
    );
  });

  const usageErrors: { when: string; args: string[]; message: RegExp }[] = [
    {
      when: '--issuer and --signer are both given',
      args: ['--issuer', 'ClusterIssuer/x', '--signer', 'example.com/s'],
      message: /--issuer and --signer exclude each other/,
    },
    {
      when: 'an Issuer comes without --namespace',
      args: ['--issuer', 'Issuer/team-ca'],
      message: /--issuer Issuer\/team-ca needs --namespace/,
    },
    {
      when: 'the kind is misspelled',
      args: ['--issuer', 'clusterissuer/x'],
      message: /invalid value "clusterissuer\/x" for --issuer: the kind is spelled ClusterIssuer/,
    },
    {
      when: "the expiration is under cert-manager's minimum",
      args: ['--issuer', 'ClusterIssuer/x', '--expiration', '30m'],
      message: /invalid value "30m" for --expiration: too short.*cert-manager's minimum certificate duration/,
    },
  ];
  for (const usage of usageErrors) {
    it(`fails with a usage error, before doing anything, when ${usage.when}`, async () => {
      const run = await runCli([
        'issue',
        '--user',
        uniqueName('usage'),
        '--out-dir',
        scratch.path('usage'),
        ...usage.args,
      ]);
      assert.equal(run.code, EXIT_CODES.usage, show(run));
      assert.match(errorLine(run), usage.message);
    });
  }
});
