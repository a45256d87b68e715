// One synthesis measurement in a fresh process, so that memory is not shared between measurements:
//   node --import tsx bench/synth-worker.ts <ephemeral|managed|empty> <count> <csr-pem-file>
// Builds an App with one stack, a kubernetes provider and <count> CSR constructs of the given kind, runs
// App.synth() into a temporary folder, and prints one JSON line (SynthWorkerReport) on stdout.
// It loads the BUILT library (lib/), as users do; run `npm run build` first (npm run bench does).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Cdktf from 'cdktf';
import type * as Provider from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type * as Constructs from '../src/constructs/index.js';
import { peakRss, SYNTH_KINDS, type SynthKind, type SynthWorkerReport } from './support/synth-protocol.js';

type ConstructsModule = typeof Constructs;
type CdktfModule = typeof Cdktf;
type ProviderModule = typeof Provider;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIGNER = 'kubernetes.io/kube-apiserver-client';

function elapsedSince(start: number): number {
  return performance.now() - start;
}

async function main(): Promise<SynthWorkerReport> {
  const [kindArg, countArg, csrFile] = process.argv.slice(2);
  if (!SYNTH_KINDS.includes(kindArg as SynthKind)) {
    throw new Error(`kind ${JSON.stringify(kindArg)} is not one of ${SYNTH_KINDS.join(', ')}`);
  }
  const kind = kindArg as SynthKind;
  const count = Number(countArg);
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`count ${JSON.stringify(countArg)} is not an integer >= 0`);
  if (!csrFile) throw new Error('the third argument must name a file holding a PEM CERTIFICATE REQUEST');
  const request = readFileSync(csrFile, 'utf8');
  const workerStartMs = performance.now();

  // Phase 1: imports (what a cdktf program of this kind loads).
  let start = performance.now();
  const cdktf: CdktfModule = await import('cdktf');
  const { KubernetesProvider }: ProviderModule = await import('@cdktf/provider-kubernetes/lib/provider/index.js');
  const constructs =
    kind === 'ephemeral'
      ? ((await import(pathToFileURL(join(repoRoot, 'lib/constructs/index.js')).href)) as ConstructsModule)
      : undefined;
  const managed =
    kind === 'managed'
      ? await import('@cdktf/provider-kubernetes/lib/certificate-signing-request-v1/index.js')
      : undefined;
  const importMs = elapsedSince(start);

  // Phase 2: the construct tree.
  const outdir = mkdtempSync(join(tmpdir(), 'kube-csr-bench-synth-'));
  try {
    start = performance.now();
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, 'bench');
    new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
    for (let i = 0; i < count; i++) {
      const props = {
        metadata: { name: `bench-${i}` },
        spec: { request, signerName: SIGNER, usages: ['client auth'], expirationSeconds: 86400 },
        autoApprove: true,
      };
      if (constructs) new constructs.KubernetesCertificateSigningRequestV1Ephemeral(stack, `csr-${i}`, props);
      else if (managed) new managed.CertificateSigningRequestV1(stack, `csr-${i}`, props);
    }
    const constructMs = elapsedSince(start);

    // Phase 3: synthesis (validations included, as `cdktf synth` runs them), written to disk.
    start = performance.now();
    app.synth();
    const synthMs = elapsedSince(start);

    const output = join(outdir, 'stacks', 'bench', 'cdk.tf.json');
    const synthesized = JSON.parse(readFileSync(output, 'utf8')) as Record<string, Record<string, object> | undefined>;
    const block = kind === 'ephemeral' ? synthesized.ephemeral : kind === 'managed' ? synthesized.resource : undefined;
    const blocks = Object.keys(block?.kubernetes_certificate_signing_request_v1 ?? {}).length;
    if (kind !== 'empty' && blocks !== count) {
      throw new Error(`expected ${count} ${kind} blocks in ${output}, found ${blocks}`);
    }
    const memory = process.memoryUsage();
    const peak = peakRss(() => readFileSync('/proc/self/status', 'utf8'));
    return {
      kind,
      count,
      blocks,
      importMs,
      constructMs,
      synthMs,
      workerMs: elapsedSince(workerStartMs),
      sinceProcessStartMs: performance.now(),
      peakRssBytes: peak.bytes,
      peakRssSource: peak.source,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      outputBytes: statSync(output).size,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
