import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubecsrGenerateName } from '../../src/rules/index.js';
import {
  secretNeedles,
  watchIssuedCertificates,
  type IssuedCertificates,
} from '../provider/support/issued-certificates.js';
import { createKubecsrMirror, type ProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import {
  auditLogSettled,
  exampleProject,
  filesUnder,
  type AuditEvent,
  type ExampleProject,
} from '../../dev/example-project.js';
import { hashicorpKubernetes } from '../support/providers.js';
import {
  assertGone,
  cdktfAudited,
  configMapCreators,
  containedEnv,
  csrCreates,
  csrDeletes,
  csrNames,
  DEPLOY_ARGS,
  DESTROY_ARGS,
  readIdentityState,
  useDeployCluster,
} from './support/deploy.js';

// `cdktf deploy` of examples/in-memory-client: a new user whose key kubecsr generates in memory on every open, read
// back through a kubecsr alias configured with that key and certificate. The real cdktf CLI, Terraform and kubecsr
// (installed as users install it) on a control plane of its own, whose audit log says who did what. Not gated: CI
// runs it on every submission. The ConfigMap variant needs hashicorp/kubernetes and is gated on its binary.
const user = 'in-memory-user';
const groups = ['dev', 'ops'];
const setUp = useDeployCluster('deploy-in-memory');

/**
 * Every file under `dir`, following symbolic links: Terraform links packages from an unpacked filesystem mirror into
 * the plugin cache instead of copying them.
 */
function filesFollowingLinks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesFollowingLinks(path) : [path];
  });
}

/** Which of `needles` occur in each file under `dir` (any size) and in each of `texts`. */
function leaks(dir: string, texts: Readonly<Record<string, string>>, needles: readonly string[]): string[] {
  const found: string[] = [];
  const check = (name: string, text: string) => {
    for (const needle of needles) if (text.includes(needle)) found.push(`${name}: ${needle}`);
  };
  for (const file of new Set([...filesUnder(dir), ...filesFollowingLinks(join(dir, 'home'))])) {
    check(file, readFileSync(file, 'latin1'));
  }
  for (const [name, text] of Object.entries(texts)) check(name, text);
  return found;
}

/**
 * An example project whose processes keep everything they write inside `dir` (see {@link containedEnv}), with the
 * working folder with cdktf.out, the state and .terraform, and a folder for trace logs.
 */
function contained(dir: string, mirror: ProviderMirror, env: Record<string, string>): ExampleProject {
  const { cluster, terraform } = setUp();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  return exampleProject('in-memory-client', join(dir, 'app'), terraform, mirror, {
    KUBECONFIG: cluster.kubeconfig,
    DEMO_USER: user,
    DEMO_GROUPS: groups.join(','),
    ...containedEnv(dir),
    ...env,
  });
}

describe('cdktf deploy examples/in-memory-client through kubecsr', () => {
  let dir: string;
  let project: ExampleProject;
  let stateFile: string;
  let issued: IssuedCertificates;
  /** Everything cdktf and Terraform printed, and Terraform's trace logs. */
  const outputs: Record<string, string> = {};

  before(async () => {
    const { admin, work } = setUp();
    dir = join(work, 'client');
    project = contained(dir, createKubecsrMirror(join(dir, 'toolchain')), {});
    stateFile = join(project.dir, 'terraform.in-memory-client.tfstate');
    // every certificate the cluster issues for the user, to look for afterwards
    issued = await watchIssuedCertificates(admin, kubecsrGenerateName(user));
  });
  after(() => issued?.stop());

  /** Runs `cdktf <args>` with TF_LOG=trace; returns the audit events the API server recorded meanwhile. */
  async function cdktfTraced(name: string, args: readonly string[]): Promise<AuditEvent[]> {
    const logFile = join(dir, 'logs', `${name}.trace.log`);
    const run = await cdktfAudited(setUp(), project, args, { TF_LOG: 'trace', TF_LOG_PATH: logFile });
    outputs[`cdktf ${name}`] = run.output;
    outputs[`trace ${name}`] = readFileSync(logFile, 'latin1');
    return run.events;
  }

  function assertReadBackAsUser(events: readonly AuditEvent[], round: string): void {
    // the outputs, read through the alias configured with the in-memory key and certificate, name the new user
    const state = readIdentityState(stateFile);
    assert.equal(state.outputs.username?.value, user, round);
    assert.deepEqual([...(state.outputs.groups?.value ?? [])].sort(), [...groups, 'system:authenticated'].sort());
    // and the API server agrees: the new user asked who it is, the administrator created the CSRs
    const reviews = events.filter(
      (event) => event.verb === 'create' && event.objectRef?.resource === 'selfsubjectreviews',
    );
    assert.ok(reviews.length >= 1, `${round}: a SelfSubjectReview was made`);
    assert.deepEqual(
      new Set(
        reviews.map((event) =>
          [event.user.username, [...(event.user.groups ?? [])].sort().join(','), event.responseStatus?.code].join(' '),
        ),
      ),
      new Set([`${user} ${[...groups, 'system:authenticated'].sort().join(',')} 201`]),
    );
    const creates = csrCreates(events);
    assert.ok(creates.length >= 2, `${round}: a CSR for plan and one for apply, saw ${creates.length}`);
    assert.ok(creates.every((event) => event.user.username !== user && event.responseStatus?.code === 201));
    assert.equal(csrDeletes(events).length, creates.length, `${round}: every CSR was deleted again`);
  }

  it('deploys: the alias configured with the in-memory key and certificate is the new user, and no CSR remains', async () => {
    const events = await cdktfTraced('deploy-1', DEPLOY_ARGS);
    assertReadBackAsUser(events, 'deploy 1');
    assert.deepEqual(await csrNames(setUp().admin), []);
  });

  it('deploys a second time: a new key and certificate, the same user, no CSR left', async () => {
    const before = issued.byName.size;
    const events = await cdktfTraced('deploy-2', DEPLOY_ARGS);
    assertReadBackAsUser(events, 'deploy 2');
    assert.ok(issued.byName.size >= before + 2, 'plan and apply each had a certificate issued');
    assert.deepEqual(await csrNames(setUp().admin), []);
  });

  it('leaves no key file, and neither a key nor a certificate in cdktf.out, the state, .terraform, the plugin cache, the folder, the output or the trace log', () => {
    // GIVEN the places Terraform and cdktf write to, all inside the folder
    const pluginCache = join(dir, 'home', '.terraform.d', 'plugin-cache');
    const files = filesUnder(dir);
    assert.ok(files.includes(stateFile), 'the state is scanned');
    assert.ok(
      files.some((file) => file.startsWith(join(project.outdir, 'stacks'))),
      'cdktf.out is scanned',
    );
    assert.ok(
      files.some((file) => file.includes('/.terraform/')),
      '.terraform is scanned',
    );
    const cached = filesFollowingLinks(pluginCache);
    assert.ok(
      cached.some((file) => file.includes('/kubecsr.local/')),
      `kubecsr is in the plugin cache (${pluginCache}), which is scanned too`,
    );
    assert.ok(outputs['trace deploy-1']?.includes('OpenEphemeralResource'), 'the trace log shows the provider calls');
    assert.ok(issued.byName.size >= 4, `the watch saw the issued certificates (${issued.byName.size})`);
    // WHEN they are searched for the markers of a key or a certificate, and for every certificate the cluster issued
    const needles = secretNeedles(issued.byName.values());
    // THEN none is found
    assert.deepEqual(leaks(dir, outputs, needles), []);
    // AND no key file exists: no key folder, no .key or .pem file anywhere in the folder
    assert.equal(existsSync(join(project.dir, '.cdktf-kubernetes-csr')), false);
    assert.deepEqual(
      files.filter((file) => /\.(key|pem)$/.test(file)),
      [],
    );
  });

  it('destroys, leaving no CSR and no output in the state', async () => {
    const seen = issued.byName.size;
    await cdktfTraced('destroy', DESTROY_ARGS);
    assert.deepEqual(await csrNames(setUp().admin), []);
    const state = readIdentityState(stateFile);
    assert.deepEqual(state.outputs, {});
    assert.deepEqual(state.resources, []);
    assert.deepEqual(leaks(dir, outputs, secretNeedles([...issued.byName.values()].slice(seen))), []);
  });
});

// Without a hashicorp/kubernetes binary each test is reported as skipped, with the reason, so CI output shows them.
// The hashicorp/kubernetes gate: `skip` is false when CDKTF_CSR_KUBERNETES_PROVIDER supplies the provider binary,
// else the reason (PROVIDER_UNAVAILABLE); nothing else skips these tests.
const { binary: providerBinary, skip } = hashicorpKubernetes;

describe('cdktf deploy examples/in-memory-client with DEMO_CONFIGMAP=1 (hashicorp/kubernetes as the new user)', () => {
  const namespace = 'default';
  const configMapName = `hello-from-${user}`;
  let project: ExampleProject;

  before(() => {
    if (skip) return;
    const dir = join(setUp().work, 'configmap');
    project = contained(dir, createKubecsrMirror(join(dir, 'toolchain'), providerBinary), {
      DEMO_CONFIGMAP: '1',
      KUBE_NAMESPACE: namespace,
    });
  });

  it('deploys: the ConfigMap is created by the new user, authenticated with the in-memory key', { skip }, async () => {
    const { cluster, admin } = setUp();
    const deploy = await project.cdktf(DEPLOY_ARGS);
    assert.equal(deploy.status, 0, `cdktf deploy failed:\n${deploy.output}`);
    await auditLogSettled(admin, cluster.auditLog);
    const configMap = await admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: configMapName, namespace });
    assert.match(configMap.data?.greeting ?? '', /never left memory/);
    assert.deepEqual(configMapCreators(cluster.auditLog, configMapName), [[user, 201]]);
    assert.deepEqual(await csrNames(admin), []);
    assert.equal(existsSync(join(project.dir, '.cdktf-kubernetes-csr')), false, 'no key file');
  });

  it('destroys, leaving no CSR and no ConfigMap', { skip }, async () => {
    const { admin } = setUp();
    const destroy = await project.cdktf(DESTROY_ARGS);
    assert.equal(destroy.status, 0, `cdktf destroy failed:\n${destroy.output}`);
    await assertGone(admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: configMapName, namespace }));
    assert.deepEqual(await csrNames(admin), []);
  });
});
