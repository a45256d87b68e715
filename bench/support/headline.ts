import type { ResultsFile, SampleSet } from './results.js';
import { KUBERNETES_PROVIDER_VERSION } from '../../dev/cluster/versions.js';
import { ratio } from './stats.js';
import { formatMiB, formatMs, formatRatio, type Table } from './table.js';

interface Pair {
  readonly what: string;
  readonly ours: string;
  readonly other: string;
  readonly otherLabel: string;
  /** `p50` of the sample set, or `p50 - p50 of base` (for net import times). */
  readonly base?: string;
  readonly unit: 'ms' | 'MiB';
}

const GO_PROVIDER_LABEL = `Go provider ${KUBERNETES_PROVIDER_VERSION} through terraform apply, per opening`;

const PAIRS: readonly Pair[] = [
  {
    what: 'open 1 CSR, p50',
    ours: 'open/runtime/1/latencyMs',
    other: 'open/floor/1/latencyMs',
    otherLabel: 'floor (bare client-node)',
    unit: 'ms',
  },
  {
    what: 'open 10 CSRs at once, total',
    ours: 'open/runtime/10/totalMs',
    other: 'open/floor/10/totalMs',
    otherLabel: 'floor (bare client-node)',
    unit: 'ms',
  },
  {
    what: 'open 50 CSRs at once, total',
    ours: 'open/runtime/50/totalMs',
    other: 'open/floor/50/totalMs',
    otherLabel: 'floor (bare client-node)',
    unit: 'ms',
  },
  {
    what: 'open 1 cert-manager CertificateRequest, p50',
    ours: 'open/cert-manager/1/latencyMs',
    other: 'open/runtime/1/latencyMs',
    otherLabel: 'this library, 1 CSR (certificates.k8s.io)',
    unit: 'ms',
  },
  {
    what: 'open 10 cert-manager CertificateRequests, total',
    ours: 'open/cert-manager/10/totalMs',
    other: 'open/runtime/10/totalMs',
    otherLabel: 'this library, 10 CSRs (certificates.k8s.io)',
    unit: 'ms',
  },
  {
    what: 'open 1 CSR, p50',
    ours: 'open/runtime/1/latencyMs',
    other: 'open/kubectl/1/latencyMs',
    otherLabel: 'kubectl, docs steps',
    unit: 'ms',
  },
  {
    what: 'open 1 CSR, p50',
    ours: 'open/runtime/1/latencyMs',
    other: 'open/go-provider/1/latencyMs',
    otherLabel: GO_PROVIDER_LABEL,
    unit: 'ms',
  },
  {
    what: 'open 10 CSRs at once, total',
    ours: 'open/runtime/10/totalMs',
    other: 'open/go-provider/10/totalMs',
    otherLabel: GO_PROVIDER_LABEL,
    unit: 'ms',
  },
  {
    what: 'open 50 CSRs at once, total',
    ours: 'open/runtime/50/totalMs',
    other: 'open/go-provider/50/totalMs',
    otherLabel: GO_PROVIDER_LABEL,
    unit: 'ms',
  },
  {
    what: 'open 1 CSR, p50',
    ours: 'open/runtime/1/latencyMs',
    other: 'open/go-model/1/latencyMs',
    otherLabel: "Go provider's wait schedule (model, not the provider)",
    unit: 'ms',
  },
  {
    what: 'open 10 CSRs at once, total',
    ours: 'open/runtime/10/totalMs',
    other: 'open/go-model/10/totalMs',
    otherLabel: "Go provider's wait schedule (model, not the provider)",
    unit: 'ms',
  },
  {
    what: 'synthesize 1000 CSRs, tree + synth',
    ours: 'synth/ephemeral/1000/buildMs',
    other: 'synth/managed/1000/buildMs',
    otherLabel: 'managed CertificateSigningRequestV1',
    unit: 'ms',
  },
  {
    what: 'synthesize 1000 CSRs, peak RSS',
    ours: 'synth/ephemeral/1000/peakRssBytes',
    other: 'synth/managed/1000/peakRssBytes',
    otherLabel: 'managed CertificateSigningRequestV1',
    unit: 'MiB',
  },
  {
    what: 'import the package root, net of node start-up',
    ours: 'synth/import/library-root/sinceStartMs',
    other: 'synth/import/provider-root/sinceStartMs',
    otherLabel: '@cdktf/provider-kubernetes root',
    base: 'synth/import/node/sinceStartMs',
    unit: 'ms',
  },
  {
    what: 'ECDSA P-256 key + CSR, p50',
    ours: 'pki/generate/ecdsa-p256/library',
    other: 'pki/generate/ecdsa-p256/openssl',
    otherLabel: '`openssl req -newkey` (per process)',
    unit: 'ms',
  },
  {
    what: 'RSA 2048 key + CSR, p50',
    ours: 'pki/generate/rsa-2048/library',
    other: 'pki/generate/rsa-2048/openssl',
    otherLabel: '`openssl req -newkey` (per process)',
    unit: 'ms',
  },
  {
    what: 'Ed25519 key + CSR, p50',
    ours: 'pki/generate/ed25519/library',
    other: 'pki/generate/ed25519/openssl',
    otherLabel: '`openssl req -newkey` (per process)',
    unit: 'ms',
  },
  {
    what: 'parse + verify an ECDSA P-256 CSR, p50',
    ours: 'pki/verify/ecdsa-p256/library',
    other: 'pki/verify/ecdsa-p256/openssl',
    otherLabel: '`openssl req -verify` (per process)',
    unit: 'ms',
  },
];

/**
 * The summary table for the top-level README, computed from a results file: one row per comparison whose two
 * sample sets are both in the file (a quick or partial run yields fewer rows). The ratio is this library ÷ the
 * other, so below 1 means this library is faster or lighter.
 */
export function headlineTable(file: ResultsFile): Table {
  const byId = new Map<string, SampleSet>();
  for (const suite of file.results) for (const s of suite.samples) byId.set(s.id, s);
  const p50 = (id: string | undefined): number | undefined => (id ? byId.get(id)?.summary.p50 : undefined);
  const rows: string[][] = [];
  for (const pair of PAIRS) {
    let ours = p50(pair.ours);
    let other = p50(pair.other);
    if (ours === undefined || other === undefined) continue;
    if (pair.base) {
      const base = p50(pair.base);
      if (base === undefined) continue;
      ours -= base;
      other -= base;
    }
    const show = (v: number) => (pair.unit === 'MiB' ? `${formatMiB(v)} MiB` : `${formatMs(v)} ms`);
    rows.push([pair.what, show(ours), pair.otherLabel, show(other), formatRatio(ratio(ours, other))]);
  }
  const m = file.machine;
  return {
    title: `Benchmarks (${file.date}, ${m.cpuModel}, ${m.cores} cores, node ${m.node}, kube-apiserver ${m.components['kube-apiserver / kube-controller-manager'] ?? '?'} on loopback)`,
    columns: [
      { header: 'measurement' },
      { header: 'this library', align: 'right' },
      { header: 'compared with' },
      { header: 'that', align: 'right' },
      { header: 'this ÷ that', align: 'right' },
    ],
    rows,
    footnotes: [
      `Medians from bench/results/${file.date}.json (\`npm run bench\`); every table, footnote and raw sample is in ` +
        'that file and in bench/README.md.',
      byId.has('open/go-provider/1/latencyMs')
        ? 'The Go provider rows run the real hashicorp/kubernetes provider (a binary named by ' +
          "CDKTF_CSR_KUBERNETES_PROVIDER: it cannot be installed from this machine's registries) through " +
          '`terraform apply`: (apply with the ephemeral CSRs - the same apply without them) / 2, since Terraform opens ' +
          'each ephemeral resource while planning and again while applying. The model rows replay its wait schedule.'
        : "The Go provider row is a model of the provider's documented wait schedule run against the same cluster, " +
          'not the hashicorp/kubernetes provider, which could not be obtained on this machine.',
    ],
  };
}
