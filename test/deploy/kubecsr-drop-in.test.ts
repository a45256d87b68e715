import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createKubecsrMirror, type ProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import {
  appProject,
  exampleProject,
  filesUnder,
  type AuditEvent,
  type ExampleProject,
} from '../../dev/example-project.js';
import {
  assertNothingSecretAtRest,
  cdktfAudited,
  csrCreates,
  csrDeletes,
  csrNames,
  DEPLOY_ARGS,
  DESTROY_ARGS,
  readIdentityState,
  useDeployCluster,
} from './support/deploy.js';

// The whole `cdktf deploy` path through kubecsr, this package's own provider: the real cdktf CLI, Terraform and
// kubecsr (installed as users install it) on a control plane of its own, whose audit log says who did what.
// Nothing here is gated: kubecsr is built from this repository, so CI runs it on every submission.
const user = 'kubecsr-user';
const groups = ['dev', 'ops'];
const manyCsrs = 20;

const setUp = useDeployCluster('deploy-kubecsr');
let kubecsrMirror: ProviderMirror | undefined;

/** One kubecsr mirror for the file's projects, made on first use. */
function mirror(): ProviderMirror {
  kubecsrMirror ??= createKubecsrMirror(join(setUp().work, 'toolchain'));
  return kubecsrMirror;
}

/** Runs `cdktf <args>` in `project`; returns the audit events the API server recorded meanwhile. */
async function cdktfEvents(project: ExampleProject, args: readonly string[]): Promise<AuditEvent[]> {
  return (await cdktfAudited(setUp(), project, args)).events;
}

describe('cdktf deploy examples/kubecsr-drop-in through kubecsr', () => {
  let project: ExampleProject;
  let stateFile: string;
  const lockFiles: string[] = [];

  before(() => {
    const { cluster, terraform, work } = setUp();
    project = exampleProject('kubecsr-drop-in', join(work, 'drop-in'), terraform, mirror(), {
      KUBECONFIG: cluster.kubeconfig,
      DEMO_USER: user,
      DEMO_GROUPS: groups.join(','),
    });
    stateFile = join(project.dir, 'terraform.kubecsr-drop-in.tfstate');
  });

  function lockFile(): string {
    return readFileSync(join(project.outdir, 'stacks', 'kubecsr-drop-in', '.terraform.lock.hcl'), 'utf8');
  }

  it('deploys: the alias authenticates as the new user, and the self subject review reads it back', async () => {
    // WHEN the example is deployed
    const events = await cdktfEvents(project, DEPLOY_ARGS);

    // THEN the outputs, read through the alias authenticated with the issued certificate, name the new user
    const { outputs } = readIdentityState(stateFile);
    assert.equal(outputs.username?.value, user);
    assert.deepEqual([...(outputs.groups?.value ?? [])].sort(), [...groups, 'system:authenticated'].sort());
    // AND the API server saw the new user ask who it is
    const reviews = events.filter(
      (event) => event.verb === 'create' && event.objectRef?.resource === 'selfsubjectreviews',
    );
    assert.ok(reviews.length >= 1, 'a SelfSubjectReview was made');
    assert.deepEqual(
      new Set(reviews.map((event) => [event.user.username, event.responseStatus?.code].join(' '))),
      new Set([`${user} 201`]),
    );
    // AND the administrator created the CSRs (plan and apply each open the ephemeral resource), all deleted again
    const creates = csrCreates(events);
    assert.ok(creates.length >= 2, `expected a CSR for plan and one for apply, saw ${creates.length}`);
    assert.ok(creates.every((event) => event.user.username !== user && event.responseStatus?.code === 201));
    assert.deepEqual(await csrNames(setUp().admin), []);
    lockFiles.push(lockFile());
    assert.match(lockFiles[0] ?? '', /provider "kubecsr\.local\/cdktf-kubernetes-csr\/kubecsr"/);
  });

  it('keeps the key and the certificate out of cdktf.out, .terraform and the state', () => {
    const keyFolder = join(project.dir, '.cdktf-kubernetes-csr');
    const files = filesUnder(project.dir).filter((file) => !file.startsWith(keyFolder));
    assert.ok(files.includes(stateFile), 'the deploy wrote the state file');
    assert.ok(
      files.some((file) => file.includes('/.terraform/')),
      'the .terraform folder is scanned too',
    );
    assert.match(readFileSync(stateFile, 'utf8'), /kubecsr_self_subject_review/);
    assertNothingSecretAtRest(files);
  });

  it('deploys twice more with a byte-identical lock file, leaving no CSR each time', async () => {
    for (const round of [2, 3]) {
      const events = await cdktfEvents(project, DEPLOY_ARGS);
      assert.ok(csrCreates(events).length >= 1, `deploy ${round} issued a certificate`);
      assert.deepEqual(await csrNames(setUp().admin), [], `no CSR left after deploy ${round}`);
      lockFiles.push(lockFile());
    }
    assert.equal(lockFiles.length, 3);
    assert.equal(lockFiles[1], lockFiles[0], 'the lock file of deploy 2 is the one of deploy 1');
    assert.equal(lockFiles[2], lockFiles[0], 'the lock file of deploy 3 is the one of deploy 1');
  });

  it('destroys, leaving no CSR and no output in the state', async () => {
    await cdktfEvents(project, DESTROY_ARGS);
    assert.deepEqual(await csrNames(setUp().admin), []);
    const state = readIdentityState(stateFile);
    assert.deepEqual(state.outputs, {});
    assert.deepEqual(state.resources, []);
  });
});

describe(`cdktf deploy of ${manyCsrs} ephemeral CSRs in one stack through kubecsr`, () => {
  let project: ExampleProject;

  before(() => {
    const { cluster, terraform, work } = setUp();
    project = appProject(join(import.meta.dirname, 'apps', 'many-csrs.ts'), join(work, 'many'), terraform, mirror(), {
      KUBECONFIG: cluster.kubeconfig,
      CSR_COUNT: String(manyCsrs),
    });
  });

  it(`opens all ${manyCsrs} in each Terraform run and leaves no CSR`, async () => {
    // WHEN the stack is deployed
    const events = await cdktfEvents(project, DEPLOY_ARGS);

    // THEN every ephemeral resource was opened (Terraform opens one even when nothing references its certificate):
    // each plan or apply created all of them, and a failed open would have failed the deploy
    const creates = csrCreates(events);
    assert.ok(creates.length >= manyCsrs, `expected at least ${manyCsrs} CSR creates, saw ${creates.length}`);
    assert.equal(creates.length % manyCsrs, 0, `${creates.length} creates: whole runs of ${manyCsrs}`);
    assert.ok(creates.every((event) => event.responseStatus?.code === 201));
    assert.equal(csrDeletes(events).length, creates.length, 'every CSR was deleted again');
    assert.deepEqual(await csrNames(setUp().admin), []);
  });

  it('destroys, leaving no CSR', async () => {
    await cdktfEvents(project, DESTROY_ARGS);
    assert.deepEqual(await csrNames(setUp().admin), []);
  });
});
