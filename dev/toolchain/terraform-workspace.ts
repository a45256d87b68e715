import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKubecsrMirror, type ProviderMirror } from './provider-mirror.js';
import { ensureTerraform, type TerraformBinary } from './terraform.js';

/** The required_providers block every configuration here starts with. */
export const KUBECSR_TERRAFORM_BLOCK = `terraform {
  required_providers {
    kubecsr = { source = "kubecsr.local/cdktf-kubernetes-csr/kubecsr" }
  }
}
`;

/** A Terraform working folder whose init finds kubecsr in a local mirror, never a registry. */
export class TerraformWorkspace {
  private constructor(
    public readonly dir: string,
    public readonly terraform: TerraformBinary,
    public readonly mirror: ProviderMirror,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Sets up `dir` with a kubecsr mirror (and hashicorp/kubernetes when a binary is given); `env` reaches Terraform
   * and the providers (e.g. KUBECONFIG).
   */
  public static async create(
    dir: string,
    env: Record<string, string>,
    kubernetesBinary?: string,
  ): Promise<TerraformWorkspace> {
    const terraform = await ensureTerraform();
    mkdirSync(join(dir, 'config'), { recursive: true });
    const mirror = createKubecsrMirror(join(dir, 'toolchain'), kubernetesBinary);
    return new TerraformWorkspace(join(dir, 'config'), terraform, mirror, env);
  }

  /** Writes main.tf. */
  public write(mainTf: string): void {
    writeFileSync(join(this.dir, 'main.tf'), mainTf);
  }

  /** Starts `terraform <args>`; the child is returned so a test can signal it. */
  public spawn(args: readonly string[], extraEnv: Record<string, string> = {}): ChildProcess {
    return spawn(this.terraform.path, args, {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...this.env,
        ...this.mirror.env,
        ...extraEnv,
        TF_CLI_CONFIG_FILE: this.mirror.cliConfigFile,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        NO_COLOR: '1',
      },
    });
  }

  /** Runs `terraform <args>` to its end; resolves with the exit code and the output (stdout and stderr). */
  public run(
    args: readonly string[],
    extraEnv: Record<string, string> = {},
  ): Promise<{ status: number | null; output: string }> {
    return collect(this.spawn(args, extraEnv));
  }
}

/** Waits for a child's end, with everything it printed. */
export function collect(child: ChildProcess): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** What {@link csrBlockHcl} writes. */
export interface CsrBlockOptions {
  /** The block label. */
  readonly label: string;
  /** e.g. `kubecsr`; none for hashicorp/kubernetes. @default - no provider argument */
  readonly provider?: string;
  /** The inside of the metadata block, e.g. `generate_name = "x-"`. */
  readonly metadata: string;
  readonly request: string;
  /** @default kubernetes.io/kube-apiserver-client */
  readonly signerName?: string;
  /** Further arguments of the block, e.g. `auto_approve = false`. @default none */
  readonly extra?: string;
}

/** One `ephemeral "kubernetes_certificate_signing_request_v1"` block for a client certificate. */
export function csrBlockHcl(options: CsrBlockOptions): string {
  return `ephemeral "kubernetes_certificate_signing_request_v1" "${options.label}" {
  ${options.provider ? `provider = ${options.provider}` : ''}
  metadata { ${options.metadata} }
  spec {
    request     = <<EOT
${options.request.trim()}
EOT
    signer_name = "${options.signerName ?? 'kubernetes.io/kube-apiserver-client'}"
    usages      = ["client auth"]
  }
  ${options.extra ?? ''}
}
`;
}

/** A whole configuration: kubecsr required and configured from the environment, and one CSR block through it. */
export function kubecsrCsrConfig(options: Omit<CsrBlockOptions, 'provider'>): string {
  return `${KUBECSR_TERRAFORM_BLOCK}provider "kubecsr" {}\n\n${csrBlockHcl({ ...options, provider: 'kubecsr' })}`;
}

/** A schema as `terraform providers schema -json` prints it, without descriptions (they are prose, not shape). */
export function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description' && key !== 'description_kind')
      .map(([key, v]) => [key, withoutDescriptions(v)]),
  );
}
