import { defineCommand, usageError } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { JSON_FLAG } from '../flags.js';
import { printJson } from '../output.js';

const NAME = 'provider';

export const providerCommand = defineCommand({
  name: NAME,
  summary: 'install kubecsr, the Terraform provider that runs this package for `cdktf deploy`',
  usage: 'kube-csr provider install [--dir DIR] [--json]',
  positionals: { min: 1, max: 1, names: 'install' },
  flags: {
    dir: { type: 'string' },
    ...JSON_FLAG,
  },
  details: `
Installs kubecsr, a Terraform provider written in TypeScript that serves the ephemeral
kubernetes_certificate_signing_request_v1 (the hashicorp/kubernetes schema, this package's runtime) and the
kubecsr_self_subject_review data source. It writes a small launcher into a provider mirror, and a launch file
naming this Node.js and this package in $XDG_CONFIG_HOME/kubecsr (KUBECSR_PROVIDER_HOME overrides it). The launcher's
bytes change only with the version, so Terraform's lock file stays valid across reinstalls and machines.

Flags:
  --dir DIR   a provider mirror folder (default ~/.terraform.d/plugins, which Terraform searches by itself);
              use a folder named by filesystem_mirror in a CLI configuration, or terraform.d/plugins of a project
  --json      print what was written as one JSON document
  -h, --help  show this help

Then, in a configuration:
  terraform {
    required_providers {
      kubecsr = { source = "kubecsr.local/cdktf-kubernetes-csr/kubecsr" }
    }
  }
  provider "kubecsr" { config_path = "~/.kube/config" }
  ephemeral "kubernetes_certificate_signing_request_v1" "jane" {
    provider = kubecsr
    ...
  }

In cdktf: new KubeCsrProvider(stack, 'kubecsr', { configPath: '~/.kube/config' }), and provider: that instance
on the ephemeral construct. Run cdktf with --skip-provider-lock (no registry serves kubecsr).

Examples:
  kube-csr provider install
  kube-csr provider install --dir ./terraform.d/plugins
`,
  async run({ values, positionals }, ctx) {
    if (positionals[0] !== 'install') {
      throw usageError(NAME, `unknown subcommand ${JSON.stringify(positionals[0])}; the one subcommand is install`);
    }
    const { installProvider } = await import('../../provider/install.js');
    const installed = installProvider({ dir: values.dir });
    if (values.json) {
      printJson(ctx, installed);
      return EXIT_CODES.ok;
    }
    ctx.stdout.write(
      `installed kubecsr ${installed.version} (${installed.source})\n` +
        `  launcher:    ${installed.launcher}\n` +
        `  launch file: ${installed.launchFile} (runs ${process.execPath})\n` +
        `use it with required_providers { kubecsr = { source = "${installed.source}" } } and provider = kubecsr; ` +
        `see kube-csr provider --help\n`,
    );
    return EXIT_CODES.ok;
  },
});
