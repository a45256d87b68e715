import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { createKubecsrMirror, type ProviderMirror } from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform, type TerraformBinary } from '../../dev/toolchain/terraform.js';
import {
  appProject,
  auditEvents,
  auditLogSettled,
  exampleProject,
  filesContaining,
  filesUnder,
  type AuditEvent,
  type ExampleProject,
} from '../../dev/example-project.js';

// The whole `cdktf deploy` path through kubecsr, this package's own provider: the real cdktf CLI, Terraform and
// kubecsr (installed as users install it) on a control plane of its own, whose audit log says who did what.
// Nothing here is gated: kubecsr is built from this repository, so CI runs it on every submission.
const user = 'kubecsr-user';
const groups = ['dev', 'ops'];
const deployArgs = ['deploy', '--auto-approve', '--skip-provider-lock'];
const manyCsrs = 20;

let cluster: LocalCluster;
let admin: KubeConfig;
let terraform: TerraformBinary;
let work: string;
let mirror: ProviderMirror;

before(async () => {
  terraform = await ensureTerraform();
  cluster = await LocalCluster.start({ name: 'deploy-kubecsr', log: () => undefined });
  admin = new KubeConfig();
  admin.loadFromFile(cluster.kubeconfig);
  work = mkdtempSync(join(tmpdir(), 'deploy-kubecsr-'));
  mirror = createKubecsrMirror(join(work, 'toolchain'));
});

after(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function csrNames(): Promise<string[]> {
  const list = await admin.makeApiClient(CertificatesV1Api).listCertificateSigningRequest();
  return list.items.map((csr) => csr.metadata?.name ?? '');
}

/** Runs `cdktf <args>` and returns the audit events the API server recorded meanwhile. */
async function cdktfAudited(project: ExampleProject, args: string[]): Promise<AuditEvent[]> {
  const seen = auditEvents(cluster.auditLog).length;
  const started = Date.now();
  const run = await project.cdktf(args);
  assert.equal(run.status, 0, `cdktf ${args.join(' ')} failed:\n${run.output}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  await auditLogSettled(admin, cluster.auditLog);
  const events = auditEvents(cluster.auditLog).slice(seen);
  process.stderr.write(`# cdktf ${args[0] ?? ''} took ${seconds} s; ${csrCreates(events).length} CSRs created\n`);
  return events;
}

function csrCreates(events: readonly AuditEvent[]): AuditEvent[] {
  return events.filter(
    (event) => event.verb === 'create' && event.objectRef?.resource === 'certificatesigningrequests',
  );
}

interface StateOutputs {
  readonly username?: { readonly value: string };
  readonly groups?: { readonly value: string[] };
}

describe('cdktf deploy examples/kubecsr-drop-in through kubecsr', () => {
  let project: ExampleProject;
  let stateFile: string;
  const lockFiles: string[] = [];

  before(() => {
    project = exampleProject('kubecsr-drop-in', join(work, 'drop-in'), terraform, mirror, {
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
    const events = await cdktfAudited(project, deployArgs);

    // THEN the outputs, read through the alias authenticated with the issued certificate, name the new user
    const outputs = (JSON.parse(readFileSync(stateFile, 'utf8')) as { outputs: StateOutputs }).outputs;
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
    assert.deepEqual(await csrNames(), []);
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
    assert.deepEqual(filesContaining(files, 'PRIVATE KEY'), []);
    assert.deepEqual(filesContaining(files, 'BEGIN CERTIFICATE-----'), [], 'no issued certificate at rest');
  });

  it('deploys twice more with a byte-identical lock file, leaving no CSR each time', async () => {
    for (const round of [2, 3]) {
      const events = await cdktfAudited(project, deployArgs);
      assert.ok(csrCreates(events).length >= 1, `deploy ${round} issued a certificate`);
      assert.deepEqual(await csrNames(), [], `no CSR left after deploy ${round}`);
      lockFiles.push(lockFile());
    }
    assert.equal(lockFiles.length, 3);
    assert.equal(lockFiles[1], lockFiles[0], 'the lock file of deploy 2 is the one of deploy 1');
    assert.equal(lockFiles[2], lockFiles[0], 'the lock file of deploy 3 is the one of deploy 1');
  });

  it('destroys, leaving no CSR and no output in the state', async () => {
    await cdktfAudited(project, ['destroy', '--auto-approve', '--skip-provider-lock']);
    assert.deepEqual(await csrNames(), []);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { outputs: StateOutputs; resources: unknown[] };
    assert.deepEqual(state.outputs, {});
    assert.deepEqual(state.resources, []);
  });
});

describe(`cdktf deploy of ${manyCsrs} ephemeral CSRs in one stack through kubecsr`, () => {
  let project: ExampleProject;

  before(() => {
    project = appProject(join(import.meta.dirname, 'apps', 'many-csrs.ts'), join(work, 'many'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      CSR_COUNT: String(manyCsrs),
    });
  });

  it(`opens all ${manyCsrs} in each Terraform run and leaves no CSR`, async () => {
    // WHEN the stack is deployed
    const events = await cdktfAudited(project, deployArgs);

    // THEN every ephemeral resource was opened (Terraform opens one even when nothing references its certificate):
    // each plan or apply created all of them, and a failed open would have failed the deploy
    const creates = csrCreates(events);
    assert.ok(creates.length >= manyCsrs, `expected at least ${manyCsrs} CSR creates, saw ${creates.length}`);
    assert.equal(creates.length % manyCsrs, 0, `${creates.length} creates: whole runs of ${manyCsrs}`);
    assert.ok(creates.every((event) => event.responseStatus?.code === 201));
    const deletes = events.filter(
      (event) => event.verb === 'delete' && event.objectRef?.resource === 'certificatesigningrequests',
    );
    assert.equal(deletes.length, creates.length, 'every CSR was deleted again');
    assert.deepEqual(await csrNames(), []);
  });

  it('destroys, leaving no CSR', async () => {
    await cdktfAudited(project, ['destroy', '--auto-approve', '--skip-provider-lock']);
    assert.deepEqual(await csrNames(), []);
  });
});
