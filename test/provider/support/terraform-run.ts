import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKubecsrMirror, type ProviderMirror } from '../../toolchain/provider-mirror.js';
import { ensureTerraform, type TerraformBinary } from '../../toolchain/terraform.js';

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
