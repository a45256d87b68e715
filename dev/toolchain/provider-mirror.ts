import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installProvider, KUBECSR_PROVIDER_SOURCE } from '../../src/provider/install.js';
import { KUBERNETES_PROVIDER_VERSION } from '../cluster/versions.js';

/**
 * Why the real hashicorp/kubernetes provider is not installed by this project, for skip messages and docs.
 * The Go module proxy this project may use serves only v1.13.4 of github.com/hashicorp/terraform-provider-kubernetes
 * (no ephemeral resources) and refuses every later version and commit; release downloads are not reachable.
 */
export const PROVIDER_UNAVAILABLE =
  'the hashicorp/kubernetes provider (>= 2.34) cannot be installed on this machine: the Go module proxy serves only ' +
  'v1.13.4 of its module and release downloads are unreachable. Set CDKTF_CSR_KUBERNETES_PROVIDER=<path to a ' +
  `terraform-provider-kubernetes binary of ${KUBERNETES_PROVIDER_VERSION}> to run this`;

/** A local filesystem mirror holding the kubernetes provider, and the CLI config that makes Terraform use only it. */
export interface ProviderMirror {
  /** Pass as TF_CLI_CONFIG_FILE: init then never contacts a registry. */
  readonly cliConfigFile: string;
  readonly mirrorDir: string;
  readonly version: string;
  /** Environment the Terraform runs need besides TF_CLI_CONFIG_FILE (KUBECSR_PROVIDER_HOME for kubecsr). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The provider binary named by CDKTF_CSR_KUBERNETES_PROVIDER, if any. */
export function suppliedProviderBinary(): string | undefined {
  const path = process.env.CDKTF_CSR_KUBERNETES_PROVIDER;
  if (!path) return undefined;
  if (!existsSync(path)) throw new Error(`CDKTF_CSR_KUBERNETES_PROVIDER=${path} does not exist`);
  return path;
}

/**
 * Lays out `dir` as a Terraform/OpenTofu filesystem mirror holding `binary` as hashicorp/kubernetes
 * `version` (for both registry.terraform.io and registry.opentofu.org addresses), and writes a CLI config whose only
 * installation method is that mirror.
 */
export function createProviderMirror(
  dir: string,
  binary: string,
  version: string = process.env.CDKTF_CSR_KUBERNETES_PROVIDER_VERSION ?? KUBERNETES_PROVIDER_VERSION,
): ProviderMirror {
  const mirrorDir = join(dir, 'mirror');
  for (const host of ['registry.terraform.io', 'registry.opentofu.org']) {
    const target = join(mirrorDir, host, 'hashicorp', 'kubernetes', version, 'linux_amd64');
    mkdirSync(target, { recursive: true });
    copyFileSync(binary, join(target, `terraform-provider-kubernetes_v${version}`));
  }
  const cliConfigFile = join(dir, 'terraform.rc');
  writeFileSync(
    cliConfigFile,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirrorDir)}`,
      '    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return { cliConfigFile, mirrorDir, version };
}

function writeCliConfig(file: string, mirrorDir: string, include: readonly string[]): void {
  writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirrorDir)}`,
      `    include = ${JSON.stringify(include)}`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
}

/**
 * A mirror holding this project's kubecsr provider, installed the way users install it (`kube-csr provider install
 * --dir`), with its launch file under `dir` (KUBECSR_PROVIDER_HOME) instead of the user's home; plus
 * hashicorp/kubernetes when `kubernetesBinary` is given.
 */
export function createKubecsrMirror(dir: string, kubernetesBinary?: string): ProviderMirror {
  const withKubernetes = kubernetesBinary ? createProviderMirror(dir, kubernetesBinary) : undefined;
  const mirrorDir = join(dir, 'mirror');
  const home = join(dir, 'kubecsr-home');
  const installed = installProvider({ dir: mirrorDir, home });
  const cliConfigFile = join(dir, 'terraform.rc');
  const kubecsrNamespace = KUBECSR_PROVIDER_SOURCE.split('/').slice(0, 2).join('/');
  writeCliConfig(cliConfigFile, mirrorDir, [
    `${kubecsrNamespace}/*`,
    ...(withKubernetes ? ['registry.terraform.io/hashicorp/*', 'registry.opentofu.org/hashicorp/*'] : []),
  ]);
  return {
    cliConfigFile,
    mirrorDir,
    version: installed.version,
    env: { KUBECSR_PROVIDER_HOME: home },
  };
}
