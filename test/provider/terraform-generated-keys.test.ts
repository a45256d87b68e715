import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { createSelfSignedCertificate } from '../../src/pki/self-signed.js';
import { generateNameFor } from '../../src/provider/resources/key-issuance.js';
import { userKubeconfigYaml } from '../../src/runtime/user-kubeconfig.js';
import { filesUnder } from '../../dev/example-project.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { TestSigner } from '../support/test-signer.js';
import { denyWhenCreated } from './support/deny.js';
import { secretNeedles, watchIssuedCertificates } from './support/issued-certificates.js';
import { KUBECSR_TERRAFORM_BLOCK, TerraformWorkspace } from '../../dev/toolchain/terraform-workspace.js';

const root = resolve(import.meta.dirname, '..', '..');

/** The README's configuration of kubecsr_client_identity, run as it is written. */
function readmeClientIdentityHcl(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```hcl\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((hcl) => hcl.includes('ephemeral "kubecsr_client_identity"'));
  assert.ok(block, 'the README shows a kubecsr_client_identity configuration');
  return block;
}

/** Terraform's output as one line of words: its diagnostics wrap at 80 columns inside a box. */
function flat(output: string): string {
  return output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
}

/** Which files under `dir`, and which of `texts`, contain any of `needles`. */
function leaks(dir: string, texts: Readonly<Record<string, string>>, needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const content = readFileSync(file, 'latin1');
    for (const needle of needles) if (content.includes(needle)) found.push(`${file}: ${needle}`);
  }
  for (const [name, text] of Object.entries(texts)) {
    for (const needle of needles) if (text.includes(needle)) found.push(`${name}: ${needle}`);
  }
  return found;
}

// kubecsr_client_identity and kubecsr_certificate under the real Terraform CLI, installed as users install kubecsr,
// against the shared cluster: the key is made inside the provider and is found nowhere afterwards.
describe('kubecsr generated-key types under Terraform', () => {
  let work: string;
  let admin: KubeConfig;

  /**
   * A workspace whose Terraform and provider processes have their home and temporary folders inside it too, so a
   * scan of the folder covers every place they could write to.
   */
  async function workspace(name: string, mainTf: string): Promise<{ ws: TerraformWorkspace; dir: string }> {
    const dir = join(work, name);
    for (const folder of ['home', 'tmp']) mkdirSync(join(dir, folder), { recursive: true });
    const ws = await TerraformWorkspace.create(dir, {
      KUBECONFIG: sharedKubeconfigPath(),
      HOME: join(dir, 'home'),
      TMPDIR: join(dir, 'tmp'),
    });
    ws.write(mainTf);
    const init = await ws.run(['init', '-input=false']);
    assert.equal(init.status, 0, init.output);
    return { ws, dir };
  }

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kubecsr-generated-keys-'));
    admin = sharedKubeConfig();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('scans with needles that find a key and a certificate in the forms a leak takes (PEM, a kubeconfig)', () => {
    const { certificatePem, privateKeyPem } = createSelfSignedCertificate({
      commonName: 'leak',
      organization: 'test',
      validityMs: 60_000,
    });
    const kubeconfig = userKubeconfigYaml({
      kubeConfig: admin,
      userName: 'leak',
      contextName: 'leak',
      certificatePem,
      privateKeyPem,
    });
    const markers = secretNeedles([]);
    const ofThisCertificate = secretNeedles([certificatePem]).slice(markers.length);
    for (const text of [privateKeyPem, kubeconfig])
      assert.ok(
        markers.some((n) => text.includes(n)),
        text,
      );
    for (const text of [certificatePem, kubeconfig]) {
      assert.ok(ofThisCertificate.some((n) => text.includes(n)));
    }
  });

  it('runs the README configuration twice: the alias is the new user, and no key or certificate is at rest or in the trace log', async () => {
    // GIVEN the README's configuration, plus a second alias configured from the PEM results
    const hcl = `${readmeClientIdentityHcl()}
provider "kubecsr" {
  alias                  = "jane_pem"
  host                   = ephemeral.kubecsr_client_identity.jane.host
  cluster_ca_certificate = ephemeral.kubecsr_client_identity.jane.ca_certificate
  client_certificate     = ephemeral.kubecsr_client_identity.jane.certificate
  client_key             = ephemeral.kubecsr_client_identity.jane.private_key_pem
}
data "kubecsr_self_subject_review" "jane_pem" { provider = kubecsr.jane_pem }
output "jane_pem_groups" { value = data.kubecsr_self_subject_review.jane_pem.groups }
`;
    const { ws, dir } = await workspace('readme', hcl);
    const prefix = generateNameFor('jane');
    const issued = await watchIssuedCertificates(admin, prefix);
    const outputs: Record<string, string> = {};
    try {
      // WHEN it is applied twice, with Terraform's most verbose log
      for (const run of [1, 2]) {
        const apply = await ws.run(['apply', '-auto-approve', '-input=false'], {
          TF_LOG: 'trace',
          TF_LOG_PATH: join(work, `readme-trace-${run}.log`),
        });
        assert.equal(apply.status, 0, apply.output);
        assert.equal(apply.output.match(/Opening complete/g)?.length, 2, 'opened once in plan, once in apply');
        outputs[`apply ${run}`] = apply.output;
      }
      const output = await ws.run(['output', '-json']);
      assert.equal(output.status, 0, output.output);
      outputs.output = output.output;
      // THEN both aliases authenticate as the new user
      const values = JSON.parse(output.output) as Record<string, { value: unknown }>;
      assert.equal(values.jane?.value, 'jane');
      assert.deepEqual([...(values.jane_pem_groups?.value as string[])].sort(), ['dev', 'system:authenticated']);
    } finally {
      issued.stop();
    }
    // AND four certificates were issued (plan and apply, twice), and their objects are gone
    assert.equal(issued.byName.size, 4, [...issued.byName.keys()].join(', '));
    assert.deepEqual(await csrNamesWithPrefix(admin, prefix), []);
    // AND neither a key nor any of those certificates is in the folder (configuration, state, .terraform, the
    // processes' home and temporary folders), in Terraform's output or in its trace log
    for (const run of [1, 2]) outputs[`trace ${run}`] = readFileSync(join(work, `readme-trace-${run}.log`), 'latin1');
    assert.ok(outputs['trace 1']?.includes('OpenEphemeralResource'), 'the trace log shows the provider calls');
    assert.deepEqual(leaks(dir, outputs, secretNeedles(issued.byName.values())), []);
    assert.deepEqual(
      filesUnder(dir).filter((file) => /\.(key|pem)$/.test(file)),
      [],
      'no key file exists',
    );
  });

  it('fails the apply at auto_approve when the request is denied, with the reason, and leaves no CSR', async () => {
    const user = `tf-gk-denied-${uniqueSuffix()}`;
    const { ws } = await workspace(
      'denied',
      `${KUBECSR_TERRAFORM_BLOCK}
provider "kubecsr" {}
ephemeral "kubecsr_client_identity" "denied" {
  user         = "${user}"
  auto_approve = false
  timeout      = "10m"
}
`,
    );
    const denier = denyWhenCreated(admin, generateNameFor(user));
    const apply = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    await denier;
    assert.equal(apply.status, 1, apply.output);
    assert.match(flat(apply.output), /Error: The CertificateSigningRequest was denied/);
    assert.match(flat(apply.output), /TestDenied: not for you/);
    // THEN the diagnostic points at the attribute (Terraform quotes its line) and says what to do
    assert.match(flat(apply.output), /\d+:\s+auto_approve = false/);
    assert.match(flat(apply.output), /set auto_approve = true/);
    assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(user)), []);
  });

  it('fails the apply at signer_name when nothing serves the signer, and leaves no CSR', async () => {
    const user = `tf-gk-unsigned-${uniqueSuffix()}`;
    const { ws } = await workspace(
      'unsigned',
      `${KUBECSR_TERRAFORM_BLOCK}
provider "kubecsr" {}
ephemeral "kubecsr_client_identity" "unsigned" {
  user        = "${user}"
  signer_name = "example.com/nobody-signs"
  timeout     = "3s"
}
`,
    );
    const apply = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
    assert.equal(apply.status, 1, apply.output);
    assert.match(flat(apply.output), /Error: Timed out waiting for the certificate/);
    assert.match(flat(apply.output), /\d+:\s+signer_name = "example\.com\/nobody-signs"/);
    assert.match(flat(apply.output), /check that a controller serves example\.com\/nobody-signs/);
    assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(user)), []);
  });

  describe('with a signer that refuses Ed25519 keys', () => {
    const signerName = `example.com/tf-no-ed25519-${uniqueSuffix()}`;
    let signer: TestSigner;
    before(() => {
      signer = TestSigner.start(sharedKubeConfig(), signerName, 100, { refuseKeyAlgorithms: ['ed25519'] });
    });
    after(() => signer?.stop());

    it('fails the apply at key_type, names the key types to use, and leaves no CSR', async () => {
      const commonName = `tf-gk-refused-${uniqueSuffix()}`;
      const { ws } = await workspace(
        'refused',
        `${KUBECSR_TERRAFORM_BLOCK}
provider "kubecsr" {}
ephemeral "kubecsr_certificate" "refused" {
  common_name = "${commonName}"
  dns_names   = ["refused.example.com"]
  usages      = ["digital signature", "server auth"]
  signer_name = "${signerName}"
  key_type    = "ed25519"
}
`,
      );
      const apply = await ws.run(['apply', '-auto-approve', '-input=false', '-no-color']);
      assert.equal(apply.status, 1, apply.output);
      assert.match(flat(apply.output), /Error: The signer failed the CertificateSigningRequest/);
      assert.match(flat(apply.output), /UnsupportedKeyType/);
      assert.match(flat(apply.output), /\d+:\s+key_type\s+= "ed25519"/);
      assert.match(flat(apply.output), /key_type = "ecdsa-p256"/);
      assert.ok(signer.refused.some((name) => name.startsWith(generateNameFor(commonName))));
      assert.deepEqual(await csrNamesWithPrefix(admin, generateNameFor(commonName)), []);
    });
  });
});
