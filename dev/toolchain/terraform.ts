import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cluster/binaries.js';
import { MINIMUM_TERRAFORM, OPENTOFU_MODULE_VERSION } from '../cluster/versions.js';

/** A Terraform-compatible CLI the tests drive. */
export interface TerraformBinary {
  /** Absolute path, or a name on PATH. */
  readonly path: string;
  /** terraform or tofu. */
  readonly kind: 'terraform' | 'tofu';
  /** e.g. 1.11.4 */
  readonly version: string;
}

function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function probe(path: string): TerraformBinary | undefined {
  try {
    const out = execFileSync(path, ['version', '-json'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const version = (JSON.parse(out) as { terraform_version?: string }).terraform_version ?? '';
    const kind = /tofu/.test(path) ? 'tofu' : 'terraform';
    return version ? { path, kind, version } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds Terraform >= 1.11 (write-only attributes; ephemeral resources need 1.10): TERRAFORM_BINARY_NAME, then
 * `terraform` on PATH, then `tofu` on PATH, then an OpenTofu built earlier into the cache. Returns undefined when
 * there is none; {@link ensureTerraform} builds OpenTofu in that case.
 */
export function findTerraform(): TerraformBinary | undefined {
  const candidates = [
    process.env.TERRAFORM_BINARY_NAME,
    'terraform',
    'tofu',
    join(cacheRoot(), 'opentofu', OPENTOFU_MODULE_VERSION, 'tofu'),
  ].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const found = probe(candidate);
    if (found && versionAtLeast(found.version, MINIMUM_TERRAFORM)) return found;
  }
  return undefined;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * Terraform >= 1.11 for the tests: the one {@link findTerraform} finds, else OpenTofu built from its Go module
 * (pinned in versions.ts) into the cache. `go install` of OpenTofu is refused (its go.mod replaces hcl), so the
 * module is downloaded and built in place; the version stamp drops "-dev", or required_version checks fail.
 */
export async function ensureTerraform(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {
  const found = findTerraform();
  if (found) return found;
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  const module = `github.com/opentofu/opentofu@${OPENTOFU_MODULE_VERSION}`;
  log(`no Terraform >= ${MINIMUM_TERRAFORM} found: building OpenTofu ${OPENTOFU_MODULE_VERSION} from its Go module`);
  const started = Date.now();
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const dir = (
    JSON.parse(execFileSync(go, ['mod', 'download', '-json', module], { encoding: 'utf8', env })) as { Dir: string }
  ).Dir;
  const target = join(cacheRoot(), 'opentofu', OPENTOFU_MODULE_VERSION);
  const staging = `${target}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  await run(
    go,
    [
      'build',
      '-trimpath',
      '-ldflags',
      '-s -w -X github.com/opentofu/opentofu/version.dev=no',
      '-o',
      join(staging, 'tofu'),
      './cmd/tofu',
    ],
    dir,
    env,
  );
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  log(`built OpenTofu in ${Math.round((Date.now() - started) / 1000)} s`);
  const built = findTerraform();
  if (!built)
    throw new Error(`OpenTofu was built into ${target} but does not report a version >= ${MINIMUM_TERRAFORM}`);
  return built;
}
