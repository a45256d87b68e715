import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../runtime/labels.js';
import { defineCommand } from '../command.js';
import { messageOf, UsageError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, formatDuration, JSON_FLAG, parseDuration, parseTime } from '../flags.js';
import { printJson } from '../output.js';

const NAME = 'gc';
const DEFAULT_OLDER_THAN = '1h';

/** What `kube-csr gc --json` prints. */
export interface GcOutput {
  readonly dryRun: boolean;
  /** The age given with --older-than (or its default); absent with --created-before. */
  readonly olderThanSeconds?: number;
  /** The cut-off given with --created-before, as an ISO time; absent otherwise. */
  readonly createdBefore?: string;
  /** Deleted, or with --dry-run, that would be. */
  readonly deleted: string[];
  /** Younger than the cut-off, kept. */
  readonly kept: string[];
  readonly failed: { readonly name: string; readonly error: string }[];
}

export const gcCommand = defineCommand({
  name: NAME,
  summary: `delete leftover CertificateSigningRequests labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
  usage: 'kube-csr gc [--older-than DURATION | --created-before TIME] [--dry-run] [flags]',
  flags: {
    'older-than': { type: 'string' },
    'created-before': { type: 'string' },
    'dry-run': { type: 'boolean' },
    ...JSON_FLAG,
    ...CLUSTER_FLAGS,
  },
  details: `
Deletes the CertificateSigningRequests this package created (label ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE})
that are older than --older-than: what a crash or \`kill -9\` left behind (kube-csr issue and the runtime delete
their objects themselves). Objects without the label are never touched. Exits 1 when a deletion failed.

Flags:
  --older-than DURATION   only objects created at least this long ago (default ${DEFAULT_OLDER_THAN}; 0s for all)
  --created-before TIME   only objects whose creationTimestamp is before this RFC 3339 time, e.g. the start of a
                          CI job (instead of --older-than)
  --dry-run               list what would be deleted, delete nothing
  --json                  print one JSON document
  -h, --help              show this help

${CLUSTER_FLAGS_HELP}

Examples:
  kube-csr gc --dry-run
  kube-csr gc --older-than 24h --context prod
  kube-csr gc --created-before 2026-11-29T10:00:00Z
`,
  async run({ values }, ctx) {
    if (values['older-than'] !== undefined && values['created-before'] !== undefined) {
      throw new UsageError('flags --older-than and --created-before exclude each other: give one of them', NAME);
    }
    const createdBefore =
      values['created-before'] === undefined ? undefined : parseTime(NAME, 'created-before', values['created-before']);
    const olderThanMs = createdBefore
      ? undefined
      : parseDuration(NAME, 'older-than', values['older-than'] ?? DEFAULT_OLDER_THAN, { minMs: 0 });
    const dryRun = values['dry-run'] ?? false;
    const { collectGarbage } = await import('../../runtime/index.js'); // loads the Kubernetes client
    const result = await collectGarbage({
      olderThanMs,
      createdBefore,
      dryRun,
      kubeconfig: values.kubeconfig,
      context: values.context,
      signal: ctx.signal,
    });
    const output: GcOutput = {
      dryRun,
      ...(olderThanMs === undefined ? {} : { olderThanSeconds: Math.round(olderThanMs / 1000) }),
      ...(createdBefore ? { createdBefore: createdBefore.toISOString() } : {}),
      deleted: result.deleted,
      kept: result.kept,
      failed: result.failed.map((f) => ({ name: f.name, error: messageOf(f.error) })),
    };
    if (values.json) {
      printJson(ctx, output);
    } else {
      const cutoff = createdBefore
        ? `created before ${createdBefore.toISOString()}`
        : `older than ${formatDuration(olderThanMs ?? 0) || '0s'}`;
      const verb = dryRun ? 'would delete' : 'deleted';
      ctx.stdout.write(
        `${verb} ${output.deleted.length} CertificateSigningRequest(s) ${cutoff}` +
          `${output.deleted.length > 0 ? `: ${output.deleted.join(', ')}` : ''}\n` +
          `kept ${output.kept.length} younger one(s)${output.kept.length > 0 ? `: ${output.kept.join(', ')}` : ''}\n`,
      );
      for (const failure of output.failed)
        ctx.stderr.write(`kube-csr: could not delete ${failure.name}: ${failure.error}\n`);
    }
    return output.failed.length > 0 ? EXIT_CODES.failure : EXIT_CODES.ok;
  },
});
