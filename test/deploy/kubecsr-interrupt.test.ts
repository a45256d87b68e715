import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { createKubecsrMirror } from '../../dev/toolchain/provider-mirror.js';
import { ensureTerraform } from '../../dev/toolchain/terraform.js';
import { appProject, type ExampleProject } from '../../dev/example-project.js';

// Ctrl-C in the middle of `cdktf deploy`, while kubecsr waits for an approval nobody gives: the terminal signals the
// whole process group (cdktf, Terraform, the provider). Nothing may be left in the cluster, and the next deploy works.
describe('Ctrl-C during cdktf deploy through kubecsr', () => {
  let cluster: LocalCluster;
  let admin: KubeConfig;
  let work: string;
  let project: ExampleProject;
  const prefix = `interrupt-${uniqueSuffix()}-`;

  before(async () => {
    const terraform = await ensureTerraform();
    cluster = await LocalCluster.start({ name: 'deploy-interrupt', log: () => undefined });
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfig);
    work = mkdtempSync(join(tmpdir(), 'deploy-interrupt-'));
    const mirror = createKubecsrMirror(join(work, 'toolchain'));
    project = appProject(join(import.meta.dirname, 'apps', 'pending-csr.ts'), join(work, 'app'), terraform, mirror, {
      KUBECONFIG: cluster.kubeconfig,
      CSR_PREFIX: prefix,
    });
  });

  after(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('leaves no CSR after SIGINT to the process group, and the next deploy succeeds', async () => {
    // GIVEN a deploy waiting for an approval
    const { child, finished } = project.start(['deploy', '--auto-approve', '--skip-provider-lock'], {
      AUTO_APPROVE: 'false',
    });
    for (let i = 0; (await csrNamesWithPrefix(admin, prefix)).length === 0; i++) {
      assert.ok(i < 3000, 'the deploy created its CSR');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // WHEN the user presses Ctrl-C
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const interrupted = await finished;
    // THEN the deploy ends without success and the CSR is gone
    assert.notEqual(interrupted.status, 0, interrupted.output);
    for (let i = 0; (await csrNamesWithPrefix(admin, prefix)).length > 0; i++) {
      assert.ok(i < 600, `the CSR was deleted after the interrupt:\n${interrupted.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // AND the next deploy, approving this time, succeeds and leaves nothing either
    const next = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock'], { AUTO_APPROVE: 'true' });
    assert.equal(next.status, 0, next.output);
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
  });
});
