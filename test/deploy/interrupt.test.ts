import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import {
  deleteCsr,
  eventually,
  HASHICORP_KUBERNETES,
  KUBECSR,
  kubeCsrGc,
  type CsrProvider,
} from '../support/providers.js';
import { createKubecsrMirror } from '../../dev/toolchain/provider-mirror.js';
import { appProject } from '../../dev/example-project.js';
import { DEPLOY_ARGS, useDeployCluster } from './support/deploy.js';

/** How one provider goes through the interrupt (apps/pending-csr.ts with CSR_PROVIDER=`app`). */
interface InterruptBehaviour {
  readonly provider: CsrProvider;
  readonly app: 'kubecsr' | 'kubernetes';
  readonly title: string;
  /** False: it deletes its object itself. True: the object may be left (and is then removed by name). */
  readonly mayLeaveCsr: boolean;
}

const PROVIDERS: readonly InterruptBehaviour[] = [
  {
    provider: KUBECSR,
    app: 'kubecsr',
    title: 'leaves no CSR after SIGINT to the process group, and the next deploy succeeds',
    mayLeaveCsr: false,
  },
  {
    // hashicorp/kubernetes deletes with a `defer Delete(ctx, ...)` on the request's context: when Terraform's stop
    // has cancelled that context (or the process is gone) the delete fails and the object stays. It carries no label
    // of this package, so `kube-csr gc` does not touch it, and its fixed name blocks the next deploy until it is
    // deleted by name (its ephemeral resource in the Go source).
    provider: HASHICORP_KUBERNETES, // skipped unless CDKTF_CSR_KUBERNETES_PROVIDER supplies it (PROVIDER_UNAVAILABLE)
    app: 'kubernetes',
    title:
      'may leave its CSR after SIGINT to the process group (kube-csr gc does not touch it; it is deleted by name), ' +
      'and the next deploy succeeds',
    mayLeaveCsr: true,
  },
];

// Ctrl-C in the middle of `cdktf deploy`, while the provider waits for an approval nobody gives: the terminal signals
// the whole process group (cdktf, Terraform, the provider). Through kubecsr nothing may be left in the cluster; and
// the next deploy works.
describe('Ctrl-C during cdktf deploy', () => {
  const setUp = useDeployCluster('deploy-interrupt');

  for (const behaviour of PROVIDERS) {
    it(`through ${behaviour.provider.name}: ${behaviour.title}`, { skip: behaviour.provider.skip }, async () => {
      const { cluster, admin, terraform, work } = setUp();
      const prefix = `interrupt-${uniqueSuffix()}-`;
      const dir = join(work, behaviour.app);
      const mirror = createKubecsrMirror(join(dir, 'toolchain'), behaviour.provider.kubernetesBinary);
      const project = appProject(
        join(import.meta.dirname, 'apps', 'pending-csr.ts'),
        join(dir, 'app'),
        terraform,
        mirror,
        {
          KUBECONFIG: cluster.kubeconfig,
          CSR_PREFIX: prefix,
          CSR_PROVIDER: behaviour.app,
        },
      );
      // GIVEN a deploy waiting for an approval
      const { child, finished } = project.start(DEPLOY_ARGS, { AUTO_APPROVE: 'false' });
      await eventually(
        async () => (await csrNamesWithPrefix(admin, prefix)).length > 0,
        'the deploy created its CSR',
        3000,
      );
      // WHEN the user presses Ctrl-C
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const interrupted = await finished;
      // THEN the deploy ends without success and the CSR is gone (or, where the provider may leave it, is removed)
      assert.notEqual(interrupted.status, 0, interrupted.output);
      if (!behaviour.mayLeaveCsr) {
        await eventually(
          async () => (await csrNamesWithPrefix(admin, prefix)).length === 0,
          `the CSR was deleted after the interrupt:\n${interrupted.output}`,
        );
      } else {
        const left = await csrNamesWithPrefix(admin, prefix);
        const collected = await kubeCsrGc(cluster.kubeconfig);
        assert.deepEqual(
          collected.filter((name) => name.startsWith(prefix)),
          [],
          'kube-csr gc leaves objects without its label alone',
        );
        for (const name of left) await deleteCsr(admin, name);
      }
      // AND the next deploy, approving this time, succeeds and leaves nothing either
      const next = await project.cdktf(DEPLOY_ARGS, { AUTO_APPROVE: 'true' });
      assert.equal(next.status, 0, next.output);
      assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    });
  }
});
