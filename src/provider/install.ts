import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The provider's source address: a host and namespace of this project's own; no registry serves it. */
export const KUBECSR_PROVIDER_SOURCE = 'kubecsr.local/cdktf-kubernetes-csr/kubecsr';

/** The provider's local name in configurations (`provider "kubecsr" {}`, `provider = kubecsr`). */
export const KUBECSR_PROVIDER_NAME = 'kubecsr';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The provider version: the package's. */
export function kubecsrProviderVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Options of {@link installProvider}. */
export interface InstallProviderOptions {
  /**
   * A provider mirror folder (a `filesystem_mirror` path, or `./terraform.d/plugins` of a configuration).
   * @default ~/.terraform.d/plugins, one of Terraform's implied local mirrors
   */
  readonly dir?: string;
  /**
   * Where the launcher finds the Node.js and entry point to run: KUBECSR_PROVIDER_HOME at run time overrides it.
   * @default $XDG_CONFIG_HOME/kubecsr, else ~/.config/kubecsr
   */
  readonly home?: string;
  /** The Node.js executable to run the provider with. @default process.execPath (the Node that installs) */
  readonly node?: string;
  /** Terraform's name of the platform to install for. @default the current platform, e.g. linux_amd64 */
  readonly platform?: string;
}

/** What {@link installProvider} wrote. */
export interface InstalledProvider {
  /** The provider source address to put in `required_providers`. */
  readonly source: string;
  /** The version installed: this package's version. */
  readonly version: string;
  /** The launcher Terraform runs. Its bytes depend on the version only. */
  readonly launcher: string;
  /** The file that names the Node.js and the entry point, outside the folder Terraform's lock file hashes. */
  readonly launchFile: string;
  /** The provider mirror folder the launcher was written under. */
  readonly mirror: string;
}

/** Terraform's name of the current platform. */
export function terraformPlatform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** The default home of launch files: $XDG_CONFIG_HOME/kubecsr or ~/.config/kubecsr. */
export function defaultProviderHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBECSR_PROVIDER_HOME ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'kubecsr');
}

/**
 * The launcher script. It must not name anything that differs between installs: Terraform's lock file records a
 * hash of the whole package folder, so one version has one launcher. The machine-specific part lives in the launch
 * file it reads.
 */
export function launcherScript(version: string): string {
  return `#!/bin/sh
# terraform-provider-kubecsr ${version}: the launcher written by \`kube-csr provider install\`.
# It runs the provider with the Node.js and the entry point recorded in the launch file below.
launch="\${KUBECSR_PROVIDER_HOME:-\${XDG_CONFIG_HOME:-$HOME/.config}/kubecsr}/${version}/launch.env"
if [ ! -r "$launch" ]; then
  echo "kubecsr ${version}: $launch is missing; run: kube-csr provider install" >&2
  exit 1
fi
. "$launch"
exec "$KUBECSR_NODE" "$KUBECSR_ENTRY"
`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Installs the launcher into a provider mirror and records which Node.js and entry point it runs. */
export function installProvider(options: InstallProviderOptions = {}): InstalledProvider {
  const version = kubecsrProviderVersion();
  const mirror = resolve(options.dir ?? join(homedir(), '.terraform.d', 'plugins'));
  const home = resolve(options.home ?? defaultProviderHome());
  const packageDir = join(mirror, KUBECSR_PROVIDER_SOURCE, version, options.platform ?? terraformPlatform());
  const launcher = join(packageDir, `terraform-provider-${KUBECSR_PROVIDER_NAME}_v${version}`);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(launcher, launcherScript(version));
  chmodSync(launcher, 0o755);

  const launchDir = join(home, version);
  const launchFile = join(launchDir, 'launch.env');
  mkdirSync(launchDir, { recursive: true });
  const entry = join(packageRoot, 'lib', 'provider', 'main.js');
  writeFileSync(
    launchFile,
    `KUBECSR_NODE=${shellQuote(options.node ?? process.execPath)}\nKUBECSR_ENTRY=${shellQuote(entry)}\n`,
  );
  return { source: KUBECSR_PROVIDER_SOURCE, version, launcher, launchFile, mirror };
}
