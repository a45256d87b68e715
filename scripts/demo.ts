// npm run demo: the project's main job on a fresh machine, end to end on a real local control plane.
//   1. start kube-apiserver, kube-controller-manager and etcd on loopback (built from Go modules on first use);
//   2. synthesize examples/client-certificate with the real cdktf CLI;
//   3. open the synthesized ephemeral CertificateSigningRequest with this project's runtime, exactly as the
//      provider's Open would (create, approve, wait for the signer, verify, delete);
//   4. authenticate with the issued certificate and the locally kept key, and ask the cluster who that is;
//   5. when CDKTF_CSR_KUBERNETES_PROVIDER names a hashicorp/kubernetes provider binary: `cdktf deploy` of the same
//      example with Terraform and that provider, and who created its ConfigMap according to the audit log, then
//      `cdktf destroy` (the provider cannot be installed from this machine's registries: see CONTRIBUTING.md);
//   6. tear everything down.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describeCertificate } from '../src/pki/index.js';
import { loadKubeConfig, openCertificateSigningRequest, reviewSelf, userKubeconfigYaml } from '../src/runtime/index.js';
import { LocalCluster } from '../dev/cluster/local-cluster.js';
import { auditEvents, exampleProject } from '../dev/example-project.js';
import { createProviderMirror, suppliedProviderBinary } from '../dev/toolchain/provider-mirror.js';
import { ensureTerraform } from '../dev/toolchain/terraform.js';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const say = (line: string) =>
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

interface SynthesizedCsr {
  readonly auto_approve?: boolean;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly request: string;
    readonly signer_name: string;
    readonly expiration_seconds?: number;
    readonly usages?: string[];
  };
}

interface SynthesizedStack {
  readonly ephemeral?: { readonly kubernetes_certificate_signing_request_v1?: Record<string, SynthesizedCsr> };
  readonly provider?: { readonly kubernetes?: { readonly alias?: string; readonly client_key?: string }[] };
}

function synthesize(work: string, cluster: LocalCluster, user: string): SynthesizedStack {
  const outdir = join(work, 'cdktf.out');
  writeFileSync(
    join(work, 'cdktf.json'),
    JSON.stringify({
      language: 'typescript',
      app: `${join(root, 'node_modules/.bin/tsx')} ${join(root, 'examples/client-certificate/main.ts')}`,
      output: outdir,
      sendCrashReports: 'false',
    }),
  );
  const result = spawnSync(join(root, 'node_modules/.bin/cdktf'), ['synth'], {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      CI: '1',
      KUBECONFIG: cluster.kubeconfig,
      KUBE_HOST: cluster.server,
      KUBE_CA_FILE: cluster.pki.ca.certFile,
      DEMO_USER: user,
    },
  });
  if (result.status !== 0) {
    throw new Error(`cdktf synth failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(readFileSync(join(outdir, 'stacks/client-certificate/cdk.tf.json'), 'utf8')) as SynthesizedStack;
}

function keyFileOf(stack: SynthesizedStack): string {
  const alias = stack.provider?.kubernetes?.find((p) => p.alias === 'as_user');
  const match = /file\("([^"]+)"\)/.exec(alias?.client_key ?? '');
  if (!match?.[1]) throw new Error('the synthesized as_user provider reads no client_key file');
  return match[1];
}

async function deployWithProvider(work: string, cluster: LocalCluster, user: string): Promise<void> {
  const binary = suppliedProviderBinary();
  if (!binary) {
    say('cdktf deploy: skipped, CDKTF_CSR_KUBERNETES_PROVIDER is not set (the provider cannot be installed here)');
    return;
  }
  const terraform = await ensureTerraform((line) => say(line));
  const mirror = createProviderMirror(join(work, 'toolchain'), binary);
  const project = exampleProject('client-certificate', join(work, 'deploy'), terraform, mirror, {
    KUBECONFIG: cluster.kubeconfig,
    KUBE_HOST: cluster.server,
    KUBE_CA_FILE: cluster.pki.ca.certFile,
    DEMO_USER: user,
  });
  say(`cdktf deploy with ${terraform.kind} ${terraform.version} and the hashicorp/kubernetes provider`);
  const deploy = await project.cdktf(['deploy', '--auto-approve', '--skip-provider-lock']);
  if (deploy.status !== 0) throw new Error(`cdktf deploy failed:\n${deploy.output}`);
  const created = auditEvents(cluster.auditLog).find(
    (event) =>
      event.verb === 'create' &&
      event.objectRef?.resource === 'configmaps' &&
      event.objectRef.name === `hello-from-${user}`,
  );
  say(
    `  the audit log says ConfigMap ${created?.objectRef?.name ?? '?'} was created by "${created?.user.username ?? '?'}"`,
  );
  const destroy = await project.cdktf(['destroy', '--auto-approve', '--skip-provider-lock']);
  if (destroy.status !== 0) throw new Error(`cdktf destroy failed:\n${destroy.output}`);
  say('  cdktf destroy done');
}

async function main(): Promise<void> {
  const user = 'demo-user';
  const work = mkdtempSync(join(tmpdir(), 'kube-csr-demo-'));
  say('starting a local control plane (the first run builds it from Go modules: several minutes)');
  const cluster = await LocalCluster.start({ name: 'demo', log: (line) => say(line) });
  try {
    say(`cdktf synth of examples/client-certificate for user "${user}"`);
    const stack = synthesize(work, cluster, user);
    const [id, csr] = Object.entries(stack.ephemeral?.kubernetes_certificate_signing_request_v1 ?? {})[0] ?? [];
    if (!id || !csr)
      throw new Error('the synthesized stack has no ephemeral kubernetes_certificate_signing_request_v1');
    say(
      `  ephemeral.kubernetes_certificate_signing_request_v1.${id}: name ${csr.metadata.name}, signer ` +
        `${csr.spec.signer_name}, usages [${(csr.spec.usages ?? []).join(', ')}], auto_approve ${csr.auto_approve}`,
    );

    say('opening it with the runtime (what the provider does on plan and apply)');
    const opened = await openCertificateSigningRequest(
      {
        metadata: { name: csr.metadata.name },
        spec: {
          request: csr.spec.request,
          signerName: csr.spec.signer_name,
          expirationSeconds: csr.spec.expiration_seconds,
          usages: csr.spec.usages,
        },
        autoApprove: csr.auto_approve,
      },
      {
        kubeconfig: cluster.kubeconfig,
        caBundlePem: cluster.caPem,
        timeoutMs: 60_000,
        onProgress: (p) => say(`  ${p.step.padEnd(9)} ${p.csrName ?? ''} (+${p.elapsedMs} ms)`),
      },
    );
    const issued = describeCertificate(opened.chain.leaf);
    say('issued:');
    say(`  subject      CN=${issued.subject.commonName ?? ''}, groups (O): ${issued.subject.organizations.join(', ')}`);
    say(`  validity     ${issued.notBefore} .. ${issued.notAfter} (${issued.lifetimeSeconds} s)`);
    say(`  sha256       ${issued.fingerprintSha256}`);
    say(`  issuer       ${issued.issuer.text}`);
    say(`  CSR object   ${opened.deleted ? 'deleted' : `STILL PRESENT: ${opened.cleanupError?.message ?? ''}`}`);

    const keyFile = keyFileOf(stack);
    // The same kubeconfig builder and SelfSubjectReview as kube-csr issue and the provider's client identity.
    const asUser = new KubeConfig();
    asUser.loadFromString(
      userKubeconfigYaml({
        kubeConfig: loadKubeConfig({ kubeconfig: cluster.kubeconfig }),
        userName: user,
        contextName: user,
        certificatePem: opened.certificate,
        privateKeyPem: readFileSync(keyFile, 'utf8'),
      }),
    );
    const identity = await reviewSelf(asUser);
    say(`the cluster says the new identity is "${identity.username || '?'}" in groups ${identity.groups.join(', ')}`);
    rmSync(keyFile, { force: true });
    await deployWithProvider(work, cluster, user);
  } finally {
    say('tearing down');
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
  say('done');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
