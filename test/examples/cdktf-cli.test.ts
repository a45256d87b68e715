import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'cdktf-cli-synth-'));
after(() => rmSync(out, { recursive: true, force: true }));

describe('the real cdktf CLI', () => {
  it('synthesizes the root cdktf.json app with the ephemeral CSR block', () => {
    // WHEN `cdktf synth` runs at the repository root, as the README says
    const result = spawnSync(join(root, 'node_modules/.bin/cdktf'), ['synth', '--output', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', DEMO_USER: 'cli-synth-user' },
    });
    assert.equal(result.status, 0, `cdktf synth failed:\n${result.stdout}\n${result.stderr}`);

    // THEN the stack has the ephemeral block, the user's provider alias reads it, and no key is in the output
    const text = readFileSync(join(out, 'stacks/client-certificate/cdk.tf.json'), 'utf8');
    const stack = JSON.parse(text) as {
      ephemeral: { kubernetes_certificate_signing_request_v1: Record<string, { auto_approve: boolean }> };
    };
    const blocks = Object.values(stack.ephemeral.kubernetes_certificate_signing_request_v1);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]?.auto_approve, true);
    assert.match(
      text,
      /"client_certificate": "\$\{ephemeral\.kubernetes_certificate_signing_request_v1\.[^"]+\.certificate\}"/,
    );
    assert.doesNotMatch(text, /PRIVATE KEY/);
  });
});
