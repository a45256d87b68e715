import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { scratchDir } from './support/openssl.js';
import type { ScratchDir } from './support/openssl.js';

const README = readFileSync(new URL('../../src/pki/README.md', import.meta.url), 'utf8');
const INDEX = fileURLToPath(new URL('../../src/pki/index.ts', import.meta.url));

describe('src/pki/README.md', () => {
  let tmp: ScratchDir;
  before(async () => {
    tmp = await scratchDir();
  });
  after(() => tmp.dispose());

  it('GIVEN the first ts snippet WHEN run against the sources THEN it prints the description of a valid request', async () => {
    const snippet = /```ts\n([\s\S]+?)```/.exec(README)?.[1];
    assert.ok(snippet, 'README has a ts snippet');
    const file = await tmp.write(
      'snippet.mts',
      snippet.replace(`from 'cdktf-kubernetes-csr'`, `from ${JSON.stringify(INDEX)}`),
    );
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`snippet failed: ${err}`, { cause: error })) : resolve(out),
      );
    });
    const printed = JSON.parse(stdout) as { subject: { commonName: string }; signatureValid: boolean };
    assert.equal(printed.subject.commonName, 'jane');
    assert.equal(printed.signatureValid, true);
  });
});
