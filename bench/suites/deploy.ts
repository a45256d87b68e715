import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LocalCluster } from '../../dev/cluster/local-cluster.js';
import { csrBlockHcl, KUBECSR_TERRAFORM_BLOCK, TerraformWorkspace } from '../../dev/toolchain/terraform-workspace.js';
import { suppliedProviderBinary } from '../../dev/toolchain/provider-mirror.js';
import { createSelfSignedCertificate } from '../../src/pki/self-signed.js';
import { createCertificateRequest, generateKey } from '../../src/pki/index.js';
import { nowMs } from '../support/process.js';
import { sampleSet, type SampleSet } from '../support/results.js';
import { ratio, summarize } from '../support/stats.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import { formatMs, formatRatio, rowColumns, type Table } from '../support/table.js';

const COOKIE = { TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2' };

/** Spawn to the first stdout line (the handshake), then kill: what Terraform waits for, four times per apply. */
async function timeToHandshake(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = nowMs();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const ms = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', () => resolve(nowMs() - started));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before its handshake`)));
  });
  child.kill('SIGKILL');
  return ms;
}

interface Stack {
  readonly id: string;
  readonly label: string;
  readonly mainTf: string;
  /** Needs hashicorp/kubernetes. */
  readonly needsKubernetes: boolean;
}

function csr(name: string, provider: string, request: string): string {
  const metadata = provider ? `generate_name = "bench-${name}-"` : `name = "bench-go-${name}"`;
  return csrBlockHcl({ label: name, provider, metadata, request, extra: 'auto_approve = true' });
}

function stacks(request: string, keyFile: string, kubeconfig: string): Stack[] {
  const kubecsrWhoami = (certificate: string) => `
provider "kubecsr" {
  alias              = "user"
  config_path        = "${kubeconfig}"
  ${certificate ? `client_certificate = ${certificate}\n  client_key = file("${keyFile}")` : ''}
}
data "kubecsr_self_subject_review" "user" { provider = kubecsr.user }
output "user" { value = data.kubecsr_self_subject_review.user.username }
`;
  const kubernetesBlock = `terraform {
  required_providers {
    kubecsr    = { source = "kubecsr.local/cdktf-kubernetes-csr/kubecsr" }
    kubernetes = { source = "hashicorp/kubernetes" }
  }
}
`;
  const configMap = (certificate: string) => `
provider "kubernetes" {
  alias              = "user"
  config_path        = "${kubeconfig}"
  ${certificate ? `client_certificate = ${certificate}\n  client_key = file("${keyFile}")` : ''}
}
resource "kubernetes_config_map_v1" "hello" {
  provider = kubernetes.user
  metadata {
    name      = "bench-\${terraform.workspace}-hello"
    namespace = "default"
  }
  data = { greeting = "hello" }
}
`;
  const many = Array.from({ length: 20 }, (_, i) => csr(`many${i}`, 'kubecsr', request)).join('\n');
  // examples/in-memory-client's shape: ClientCertificate in memory (a kubecsr_client_identity), the alias wired from
  // its results (server, CA, certificate, key), and the self subject review read through it.
  const identity = (attribute: string) => `ephemeral.kubecsr_client_identity.user.${attribute}`;
  const inMemoryClient = `
ephemeral "kubecsr_client_identity" "user" {
  user               = "bench-user"
  groups             = ["bench"]
  expiration_seconds = 3600
}
provider "kubecsr" {
  alias                  = "user"
  host                   = ${identity('host')}
  cluster_ca_certificate = ${identity('ca_certificate')}
  client_certificate     = ${identity('certificate')}
  client_key             = ${identity('private_key_pem')}
}
data "kubecsr_self_subject_review" "user" { provider = kubecsr.user }
output "user" { value = data.kubecsr_self_subject_review.user.username }
`;
  return [
    {
      id: 'kubecsr-no-csr',
      label: 'no CSR: kubecsr_self_subject_review with the admin kubeconfig',
      mainTf: `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n${kubecsrWhoami('')}`,
      needsKubernetes: false,
    },
    {
      id: 'kubecsr-csr',
      label: 'key file: kubecsr CSR + file() key -> kubecsr alias -> kubecsr_self_subject_review',
      mainTf: `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n${csr('one', 'kubecsr', request)}${kubecsrWhoami('ephemeral.kubernetes_certificate_signing_request_v1.one.certificate')}`,
      needsKubernetes: false,
    },
    {
      id: 'kubecsr-in-memory-client',
      label:
        'in memory: kubecsr_client_identity -> kubecsr alias -> kubecsr_self_subject_review (examples/in-memory-client)',
      mainTf: `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n${inMemoryClient}`,
      needsKubernetes: false,
    },
    {
      id: 'go-csr-kubecsr-review',
      label: 'key file: Go provider CSR + file() key -> kubecsr alias -> kubecsr_self_subject_review',
      mainTf: `${kubernetesBlock}provider "kubernetes" { config_path = "${kubeconfig}" }\n${csr('one', '', request)}${kubecsrWhoami('ephemeral.kubernetes_certificate_signing_request_v1.one.certificate')}`,
      needsKubernetes: true,
    },
    {
      id: 'kubecsr-20-csrs',
      label: '20 kubecsr CSRs in one configuration',
      mainTf: `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n${many}`,
      needsKubernetes: false,
    },
    {
      id: 'go-no-csr',
      label: 'no CSR: hashicorp/kubernetes ConfigMap with the admin kubeconfig',
      mainTf: `${kubernetesBlock}${configMap('')}`,
      needsKubernetes: true,
    },
    {
      id: 'go-csr',
      label: 'Go provider CSR -> hashicorp/kubernetes alias -> ConfigMap',
      mainTf: `${kubernetesBlock}${csr('one', '', request)}${configMap('ephemeral.kubernetes_certificate_signing_request_v1.one.certificate')}`,
      needsKubernetes: true,
    },
    {
      id: 'kubecsr-csr-configmap',
      label: 'kubecsr CSR -> hashicorp/kubernetes alias -> ConfigMap',
      mainTf: `${kubernetesBlock}provider "kubecsr" {}\n${csr('one', 'kubecsr', request)}${configMap('ephemeral.kubernetes_certificate_signing_request_v1.one.certificate')}`,
      needsKubernetes: true,
    },
  ];
}

/**
 * How long the kubecsr Opens of each phase took, first start to last end, from a Terraform debug log: each open
 * logs its 'deleted' step with the time since it started. Plan and apply each open every CSR once, so the opens
 * split into two halves in time order.
 */
function openSpansInLog(logFile: string): number[] {
  const opens = [
    ...readFileSync(logFile, 'utf8').matchAll(
      /^(\S+) .*kubecsr: CertificateSigningRequest \S+ deleted after (\d+) ms/gm,
    ),
  ]
    .map((m) => ({ end: Date.parse(m[1] ?? ''), ms: Number(m[2]) }))
    .sort((a, b) => a.end - b.end);
  if (opens.length === 0) return [];
  const half = opens.length / 2;
  return [opens.slice(0, half), opens.slice(half)].map(
    (phase) => Math.max(...phase.map((o) => o.end)) - Math.min(...phase.map((o) => o.end - o.ms)),
  );
}

/** The `deploy` suite: provider start-up, and `terraform apply` of one-CSR stacks through kubecsr and the Go provider. */
export const deploySuite: Suite = {
  name: 'deploy',
  title: 'kubecsr under Terraform: start-up and terraform apply, beside the Go provider when supplied',
  async run(context: SuiteContext) {
    const startedAt = new Date();
    const started = performance.now();
    const samples: SampleSet[] = [];
    const notes: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
    const goBinary = suppliedProviderBinary();
    const cluster = await LocalCluster.start({ name: 'bench-deploy', log: context.log });
    try {
      // Start-up
      const starts = context.quick ? 5 : 20;
      const client = createSelfSignedCertificate({
        commonName: 'localhost',
        organization: 'bench',
        validityMs: 3_600_000,
      });
      const pluginEnv = {
        ...process.env,
        ...COOKIE,
        PLUGIN_PROTOCOL_VERSIONS: '6',
        PLUGIN_CLIENT_CERT: client.certificatePem,
      };
      const entry = join(context.repoRoot, 'lib', 'provider', 'main.js');
      const startupRows: string[][] = [];
      const measureStart = async (id: string, label: string, command: string, args: string[]) => {
        const ms: number[] = [];
        for (let i = 0; i < starts; i++) ms.push(await timeToHandshake(command, args, pluginEnv));
        samples.push(sampleSet(`deploy/startup/${id}`, label, 'ms', { process: id }, ms));
        return summarize(ms);
      };
      const nodeFloor = await measureStart('node-floor', 'node printing one line', process.execPath, [
        '-e',
        'console.log(1)',
      ]);
      const kubecsrStart = await measureStart('kubecsr', 'kubecsr start to handshake line', process.execPath, [entry]);
      startupRows.push(['node -e (floor)', String(starts), formatMs(nodeFloor.p50), formatMs(nodeFloor.p95), '1.00x']);
      startupRows.push([
        'kubecsr',
        String(starts),
        formatMs(kubecsrStart.p50),
        formatMs(kubecsrStart.p95),
        formatRatio(ratio(kubecsrStart.p50, nodeFloor.p50)),
      ]);
      if (goBinary) {
        const goStart = await measureStart('go-provider', 'hashicorp/kubernetes start to handshake line', goBinary, []);
        startupRows.push([
          'hashicorp/kubernetes (Go)',
          String(starts),
          formatMs(goStart.p50),
          formatMs(goStart.p95),
          formatRatio(ratio(goStart.p50, nodeFloor.p50)),
        ]);
      }

      // terraform apply
      const key = await generateKey('ecdsa-p256');
      const keyFile = join(dir, 'bench.key');
      writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
      const request = createCertificateRequest({
        privateKey: key.privateKey,
        commonName: 'bench-user',
        organizations: ['bench'],
      });
      const applies = context.quick ? 1 : 3;
      const applyRows: string[][] = [];
      const medians = new Map<string, number>();
      for (const stack of stacks(request, keyFile, cluster.kubeconfig)) {
        if (stack.needsKubernetes && !goBinary) continue;
        const ws = await TerraformWorkspace.create(join(dir, stack.id), { KUBECONFIG: cluster.kubeconfig }, goBinary);
        ws.write(stack.mainTf);
        const init = await ws.run(['init', '-input=false']);
        if (init.status !== 0) throw new Error(`terraform init of ${stack.id} failed:\n${init.output}`);
        const wall: number[] = [];
        const openTotals: number[] = [];
        for (let i = 0; i < applies; i++) {
          const logFile = join(dir, `${stack.id}-${i}.log`);
          const t0 = nowMs();
          const apply = await ws.run(['apply', '-auto-approve', '-input=false'], {
            TF_LOG: 'DEBUG',
            TF_LOG_PATH: logFile,
          });
          wall.push(nowMs() - t0);
          if (apply.status !== 0) throw new Error(`terraform apply of ${stack.id} failed:\n${apply.output}`);
          openTotals.push(...openSpansInLog(logFile));
          rmSync(logFile, { force: true });
        }
        samples.push(
          sampleSet(`deploy/apply/${stack.id}`, `terraform apply: ${stack.label}`, 'ms', { stack: stack.id }, wall),
        );
        if (openTotals.length > 0) {
          samples.push(
            sampleSet(
              `deploy/open-span/${stack.id}`,
              `kubecsr Open span per phase (first start to last end): ${stack.label}`,
              'ms',
              { stack: stack.id },
              openTotals,
            ),
          );
        }
        const s = summarize(wall);
        medians.set(stack.id, s.p50);
        applyRows.push([
          stack.label,
          String(applies),
          formatMs(s.p50),
          formatMs(s.max),
          openTotals.length > 0 ? formatMs(summarize(openTotals).p50) : 'n/a',
        ]);
        await ws.run(['destroy', '-auto-approve', '-input=false']);
      }
      const goVsKubecsr = ratio(medians.get('go-csr'), medians.get('kubecsr-csr-configmap'));
      notes.push(
        `In-memory client (kubecsr_client_identity) apply ÷ key-file client (kubecsr CSR + file() key) apply: ${formatRatio(
          ratio(medians.get('kubecsr-in-memory-client'), medians.get('kubecsr-csr')),
        )}`,
      );
      if (goBinary) {
        notes.push(
          `In-memory client apply ÷ key-file client through the Go provider's CSR: ${formatRatio(
            ratio(medians.get('kubecsr-in-memory-client'), medians.get('go-csr-kubecsr-review')),
          )}`,
        );
      }
      if (goBinary) notes.push(`Go provider apply ÷ kubecsr apply (same ConfigMap stack): ${formatRatio(goVsKubecsr)}`);
      else {
        notes.push(
          'No hashicorp/kubernetes binary (CDKTF_CSR_KUBERNETES_PROVIDER): the Go provider rows are absent; it cannot be ' +
            'installed on these machines.',
        );
      }
      const startup: Table = {
        title: 'Provider start-up: process start to the go-plugin handshake line',
        columns: rowColumns('process', 'starts', 'p50 ms', 'p95 ms', '÷ node floor'),
        rows: startupRows,
        footnotes: [
          'Spawned with the magic cookie and a client certificate as Terraform does, timed to the first stdout line; ' +
            'Terraform starts a provider 4 times per apply.',
        ],
      };
      const apply: Table = {
        title: 'terraform apply of small stacks on a local cluster',
        columns: rowColumns('stack', 'applies', 'apply p50 ms', 'apply max ms', 'kubecsr Open span per phase p50 ms'),
        rows: applyRows,
        footnotes: [
          'Wall time of `terraform apply -auto-approve` (plan and apply, both open every ephemeral resource), after ' +
            'init; the first apply creates the ConfigMap, later ones find nothing to change but still open the CSR twice.',
          'Open span: from the first kubecsr Open starting to the last one ending in a phase (plan or apply), from its ' +
            'debug log; Terraform opens up to 10 at once. For the 20-CSR stack the goal is under 3 s.',
        ],
      };
      return {
        name: 'deploy',
        title: this.title,
        startedAt: startedAt.toISOString(),
        durationMs: performance.now() - started,
        tables: [startup, apply],
        samples,
        notes,
      };
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
