import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { EXIT_CODES } from '../../src/cli/main.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { waitUntilAllowed } from '../support/identities.js';
import {
  assertNoCsrLeft,
  assertNoKeyMaterial,
  csrNamesContaining,
  errorLine,
  runCli,
  scratchDir,
  show,
  uniqueName,
} from './support.js';

interface IssueJson {
  user: string;
  groups: string[];
  signerName: string;
  csrName: string;
  files: { key: string; certificate: string; request: string; kubeconfig: string };
  context: string;
  certificate: { subject: { commonName: string; organizations: string[] }; extendedKeyUsages: string[] };
  identity: { username: string; groups: string[] };
  roleBinding?: { name: string; namespace: string; roleRef: { kind: string; name: string }; created: boolean };
}

/** Runs kubectl with `kubeconfig`; resolves with its exit code and output (kubectl is what users would run). */
function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('kube-csr issue', () => {
  const scratch = scratchDir();
  const admin = sharedKubeConfig();
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const allowed = uniqueName('allowed');
  const other = uniqueName('other');
  const reader = uniqueName('configmap-reader');
  const rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }];

  before(async () => {
    // Two namespaces and a role that can read configmaps. (The built-in ClusterRole `view` is aggregated: its rules
    // are filled in by a kube-controller-manager controller the test cluster does not run, so it grants nothing here.)
    for (const name of [allowed, other]) await core.createNamespace({ body: { metadata: { name } } });
    await rbac.createClusterRole({ body: { metadata: { name: reader }, rules } });
    await rbac.createNamespacedRole({ namespace: allowed, body: { metadata: { name: 'cm-reader' }, rules } });
  });

  after(async () => {
    scratch.dispose();
    for (const name of [allowed, other]) await core.deleteNamespace({ name }).catch(() => undefined);
    await rbac.deleteClusterRole({ name: reader }).catch(() => undefined);
  });

  afterEach(() => assertNoCsrLeft());

  it('GIVEN --approve and --role WHEN run THEN the eight steps happen and the new user can read configmaps in that namespace only', async () => {
    // GIVEN a new user and an output folder
    const user = uniqueName('jane');
    const outDir = scratch.path('jane');

    // WHEN the certificate is issued with the default key type (rsa-3072, as the docs' openssl genrsa)
    const run = await runCli([
      'issue',
      '--user',
      user,
      '--group',
      'developers',
      '--group',
      'qa',
      '--approve',
      '--role',
      `clusterrole/${reader}`,
      '--namespace',
      allowed,
      '--out-dir',
      outDir,
      '--json',
    ]);

    // THEN it succeeds and stdout is exactly one JSON document
    assert.equal(run.code, 0, show(run));
    const result = JSON.parse(run.stdout) as IssueJson;
    assert.equal(result.user, user);
    assert.deepEqual(result.groups, ['developers', 'qa']);
    assert.equal(result.signerName, 'kubernetes.io/kube-apiserver-client');
    assert.match(result.csrName, new RegExp(`^kube-csr-${user}-[a-z0-9]{5}$`));
    assert.deepEqual(result.certificate.subject.commonName, user);
    // (the signer re-encodes the subject: both O values in one RDN, a DER SET, so their order may change)
    assert.deepEqual([...result.certificate.subject.organizations].sort(), ['developers', 'qa']);
    assert.deepEqual(result.certificate.extendedKeyUsages, ['client auth']);

    // AND the files are beside each other, key and kubeconfig readable by the owner only
    assert.deepEqual(result.files, {
      key: `${outDir}/${user}.key`,
      certificate: `${outDir}/${user}.crt`,
      request: `${outDir}/${user}.csr`,
      kubeconfig: `${outDir}/${user}.kubeconfig`,
    });
    assert.equal(mode(result.files.key), 0o600);
    assert.equal(mode(result.files.kubeconfig), 0o600);
    assert.match(readFileSync(result.files.certificate, 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
    assert.match(readFileSync(result.files.request, 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const keyPem = readFileSync(result.files.key, 'utf8');
    assertNoKeyMaterial(run, [keyPem]);

    // AND the progress went to stderr, step by step with timings, without warnings
    assert.doesNotMatch(run.stderr, /warning/);
    for (const step of [1, 2, 3, 4, 5, 6, 7, 8])
      assert.match(run.stderr, new RegExp(`^\\[${step}/8\\] .* \\(\\d`, 'm'));
    assert.match(
      run.stderr,
      new RegExp(`Authenticated as user ${user}, groups (developers, qa|qa, developers), system:authenticated`),
    );

    // AND the SelfSubjectReview made with the new kubeconfig saw the user and groups
    assert.equal(result.identity.username, user);
    assert.deepEqual([...result.identity.groups].sort(), ['developers', 'qa', 'system:authenticated']);

    // AND the RoleBinding says which role it binds
    assert.deepEqual(result.roleBinding, {
      name: `kube-csr-${user}-clusterrole-${reader}`,
      namespace: allowed,
      roleRef: { kind: 'ClusterRole', name: reader },
      created: true,
    });

    // AND the kubeconfig works for kubectl: same server and CA as the admin's, a context for the user
    const kubeconfig = result.files.kubeconfig;
    const adminCluster = admin.getCurrentCluster();
    const config = readFileSync(kubeconfig, 'utf8');
    assert.ok(adminCluster && config.includes(`server: "${adminCluster.server}"`));
    assert.equal((await kubectl(kubeconfig, ['config', 'current-context'])).output.trim(), result.context);
    const whoami = await kubectl(kubeconfig, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.deepEqual(whoami, { code: 0, output: user });

    // AND RBAC allows what the role grants in its namespace, and nothing elsewhere (once the authorizer has the
    // RoleBinding: it learns of new bindings through an informer)
    await waitUntilAllowed(admin, user, rules, allowed);
    const inAllowed = await kubectl(kubeconfig, ['get', 'configmaps', '-n', allowed]);
    assert.equal(inAllowed.code, 0, inAllowed.output);
    const inOther = await kubectl(kubeconfig, ['get', 'configmaps', '-n', other]);
    assert.notEqual(inOther.code, 0);
    assert.match(
      inOther.output,
      new RegExp(`User "${user}" cannot list resource "configmaps".* in the namespace "${other}"`),
    );
    const secrets = await kubectl(kubeconfig, ['get', 'secrets', '-n', allowed]);
    assert.match(secrets.output, /forbidden/);
  });

  it('GIVEN a Role of that name in the namespace WHEN --role names it bare THEN a RoleBinding to the Role is made, with --kubeconfig and --kubeconfig-out', async () => {
    // GIVEN the shared cluster through --kubeconfig, not KUBECONFIG
    const user = uniqueName('role-user');
    const kubeconfigOut = scratch.path('elsewhere', 'role-user.yaml');

    // WHEN
    const run = await runCli(
      ['issue', '--user', user, '--key-type', 'ecdsa-p256', '--expiration', '48h', '--approve']
        .concat(['--role', 'cm-reader', '-n', allowed, '--out-dir', scratch.path('role-user')])
        .concat(['--kubeconfig-out', kubeconfigOut, '--kubeconfig', sharedKubeconfigPath()]),
      { env: { KUBECONFIG: '/nonexistent/kubeconfig' } },
    );

    // THEN the text result names the files and the Role, and the kubeconfig's context defaults to the namespace
    assert.equal(run.code, 0, show(run));
    assert.match(run.stdout, /^kubeconfig: +.*role-user\.yaml \(mode 0600, context /m);
    assert.match(
      run.stdout,
      new RegExp(`^rolebinding: +kube-csr-${user}-role-cm-reader in namespace ${allowed} -> Role cm-reader$`, 'm'),
    );
    assert.match(run.stderr, /\[8\/8\] Created RoleBinding .* -> Role cm-reader/);
    assert.equal(mode(kubeconfigOut), 0o600);
    // (the test cluster's kube-controller-manager signs for at most --cluster-signing-duration=24h)
    assert.match(run.stderr, /^kube-csr: warning: the certificate is valid for 1d, not the 2d asked for/m);
    await waitUntilAllowed(admin, user, rules, allowed);
    const list = await kubectl(kubeconfigOut, ['get', 'configmaps']);
    assert.equal(list.code, 0, list.output);
  });

  it('fails before doing anything when a file exists, and replaces the files with --force', async () => {
    // GIVEN a certificate file of the user that exists already
    const user = uniqueName('exists');
    const outDir = scratch.path('exists');
    const args = ['issue', '--user', user, '--key-type', 'ed25519', '--approve', '--out-dir', outDir];
    const first = await runCli(args);
    assert.equal(first.code, 0, show(first));
    const certificate = `${outDir}/${user}.crt`;
    writeFileSync(certificate, 'keep me\n');
    writeFileSync(`${outDir}/${user}.kubeconfig`, 'keep me too\n');

    // WHEN issued again without --force
    const refused = await runCli(args);

    // THEN it refuses, names the files, creates no CertificateSigningRequest and changes no file
    assert.equal(refused.code, EXIT_CODES.failure, show(refused));
    assert.match(
      errorLine(refused),
      new RegExp(
        `refusing to overwrite .*${user}\\.key, .*${user}\\.crt, .*${user}\\.csr, .*${user}\\.kubeconfig \\(they exist\\): pass --force`,
      ),
    );
    assert.equal(refused.stderr.split('\n').filter(Boolean).length, 1, refused.stderr);
    assert.deepEqual(await csrNamesContaining(user), []);
    assert.equal(readFileSync(certificate, 'utf8'), 'keep me\n');

    // WHEN --force THEN everything is replaced; the key and kubeconfig stay 0600
    const forced = await runCli([...args, '--force']);
    assert.equal(forced.code, 0, show(forced));
    assert.match(readFileSync(certificate, 'utf8'), /BEGIN CERTIFICATE/);
    assert.equal(mode(`${outDir}/${user}.key`), 0o600);
    assert.equal(mode(`${outDir}/${user}.kubeconfig`), 0o600);
    assert.deepEqual(
      readdirSync(outDir).filter((file) => file.endsWith('.tmp')),
      [],
    );
  });

  it('fails before creating anything when --role names no role', async () => {
    const user = uniqueName('norole');
    const outDir = scratch.path('norole');
    const run = await runCli([
      'issue',
      '--user',
      user,
      '--approve',
      '--role',
      'no-such-role',
      '-n',
      allowed,
      '--out-dir',
      outDir,
    ]);
    assert.equal(run.code, EXIT_CODES.failure, show(run));
    assert.match(
      errorLine(run),
      new RegExp(
        `invalid value "no-such-role" for --role: there is no Role "no-such-role" in namespace "${allowed}" and no ClusterRole`,
      ),
    );
    assert.ok(!existsSync(outDir), 'files were written');
    assert.deepEqual(await csrNamesContaining(user), []);
  });
});
