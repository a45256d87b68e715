import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { COMMANDS, EXIT_CODES } from '../../src/cli/main.js';
import { errorLine, runCli, scratchDir, show } from './support.js';

// No test here may reach a cluster: KUBECONFIG points nowhere, so a command that tried would fail with 1, not 2.
// They run in an empty folder, so that nothing could be written where it matters.
const scratch = scratchDir();
after(() => scratch.dispose());
const OFFLINE = { env: { KUBECONFIG: '/nonexistent/kubeconfig' }, cwd: scratch.dir };

describe('kube-csr help, version and usage errors', () => {
  it('GIVEN --help WHEN run THEN it lists every command and the exit codes, on stdout, with exit 0', async () => {
    const run = await runCli(['--help'], OFFLINE);
    assert.equal(run.code, 0, show(run));
    for (const command of COMMANDS) assert.match(run.stdout, new RegExp(`^  ${command.name} +\\S`, 'm'));
    for (const code of Object.values(EXIT_CODES)) assert.match(run.stdout, new RegExp(`^  ${code} +\\S`, 'm'));
    assert.equal(run.stderr, '');
  });

  it('GIVEN the exported exit codes WHEN read THEN they are the documented ones', () => {
    assert.deepEqual(EXIT_CODES, { ok: 0, failure: 1, usage: 2, denied: 3, timeout: 4, interrupted: 130 });
  });

  it('GIVEN --version WHEN run THEN it prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCli(['--version'], OFFLINE);
    assert.equal(run.code, 0, show(run));
    assert.equal(run.stdout, `${pkg.version}\n`);
  });

  for (const command of COMMANDS) {
    it(`GIVEN ${command.name} --help and -h WHEN run THEN usage, every flag and an example are shown`, async () => {
      const long = await runCli([command.name, '--help'], OFFLINE);
      const short = await runCli([command.name, '-h'], OFFLINE);
      assert.equal(long.code, 0, show(long));
      assert.equal(short.stdout, long.stdout);
      assert.match(long.stdout, new RegExp(`^Usage:\\n  kube-csr ${command.name}`));
      assert.match(long.stdout, /\nExamples:\n {2}(#|kube-csr)/);
      for (const flag of command.flagNames)
        assert.match(long.stdout, new RegExp(`--${flag}\\b`), `--${flag} undocumented`);
    });
  }

  const usageErrors: { args: string[]; message: RegExp; usage: string }[] = [
    { args: [], message: /no command given/, usage: 'kube-csr <command>' },
    { args: ['isue', '--user', 'x'], message: /unknown command "isue"/, usage: 'kube-csr <command>' },
    { args: ['issue', '--user', 'x', '--bogus'], message: /unknown flag --bogus$/, usage: 'kube-csr issue' },
    { args: ['issue'], message: /missing required flag --user$/, usage: 'kube-csr issue' },
    { args: ['issue', '--user'], message: /flag --user needs a value$/, usage: 'kube-csr issue' },
    {
      args: ['issue', '--user', 'x', '--approve=yes'],
      message: /flag --approve takes no value$/,
      usage: 'kube-csr issue',
    },
    { args: ['issue', '--user', ''], message: /flag --user needs a non-empty value$/, usage: 'kube-csr issue' },
    { args: ['issue', '--user', 'x', 'extra'], message: /unexpected argument "extra"$/, usage: 'kube-csr issue' },
    {
      args: ['issue', '--user', 'x', '--expiration', '5m'],
      message: /invalid value "5m" for --expiration: too short; allowed: .*at least 10m/,
      usage: 'kube-csr issue',
    },
    {
      args: ['issue', '--user', 'x', '--expiration', '600'],
      message: /invalid value "600" for --expiration: a number needs a unit; allowed: a duration such as 90s, 2m, 1h/,
      usage: 'kube-csr issue',
    },
    {
      args: ['issue', '--user', 'x', '--timeout', 'soon'],
      message: /invalid value "soon" for --timeout: not a duration/,
      usage: 'kube-csr issue',
    },
    {
      args: ['issue', '--user', 'x', '--key-type', 'dsa-1024'],
      message: /invalid value "dsa-1024" for --key-type: use one of rsa-2048, .*ed25519$/,
      usage: 'kube-csr issue',
    },
    {
      args: ['issue', '--user', 'x', '--role', 'view'],
      message: /flag --role needs --namespace/,
      usage: 'kube-csr issue',
    },
    {
      args: ['issue', '--user', 'x', '--signer', 'not-a-signer'],
      message: /--signer \(spec\.signerName\).*"not-a-signer"/,
      usage: 'kube-csr issue',
    },
    {
      args: ['csr', '--cn', 'x', '--key-out', 'k.pem'],
      message: /--key-out and --csr-out go together/,
      usage: 'kube-csr csr',
    },
    { args: ['csr', '--cn', 'x', '--ip', '999.1.1.1'], message: /999\.1\.1\.1/, usage: 'kube-csr csr' },
    { args: ['inspect'], message: /missing argument FILE/, usage: 'kube-csr inspect' },
    { args: ['inspect', 'a.csr', 'b.csr'], message: /unexpected argument "b.csr"/, usage: 'kube-csr inspect' },
    { args: ['approve'], message: /missing argument NAME/, usage: 'kube-csr approve' },
    { args: ['deny', 'a', '--reason'], message: /flag --reason needs a value/, usage: 'kube-csr deny' },
    { args: ['get', 'a', '--output', 'yaml'], message: /unknown flag --output/, usage: 'kube-csr get' },
    {
      args: ['gc', '--older-than', 'forever'],
      message: /invalid value "forever" for --older-than/,
      usage: 'kube-csr gc',
    },
    {
      args: ['gc', '--created-before', 'yesterday'],
      message: /invalid value "yesterday" for --created-before: not an RFC 3339 time; allowed: .*2026-11-29T10:00:00Z/,
      usage: 'kube-csr gc',
    },
    {
      args: ['gc', '--older-than', '1h', '--created-before', '2026-11-29T10:00:00Z'],
      message: /flags --older-than and --created-before exclude each other/,
      usage: 'kube-csr gc',
    },
  ];
  for (const { args, message, usage } of usageErrors) {
    it(`fails with exit 2 and a usage line when run as: kube-csr ${args.join(' ')}`, async () => {
      const run = await runCli(args, OFFLINE);
      assert.equal(run.code, EXIT_CODES.usage, show(run));
      assert.match(errorLine(run), message);
      assert.match(run.stderr, new RegExp(`\\nusage: ${usage.replace(/[<>]/g, '.')}`));
      assert.equal(run.stdout, '');
      assert.deepEqual(readdirSync(scratch.dir), [], 'a usage error wrote a file');
    });
  }

  it('fails on a flag the rules refuse before it makes a key: no step is started', async () => {
    // GIVEN a signer name the rules refuse and an expensive key type
    const args = ['issue', '--user', 'x', '--signer', 'not-a-signer', '--key-type', 'rsa-4096'];

    // WHEN issue runs
    const run = await runCli(args, OFFLINE);

    // THEN it stops at the flags: exit 2, and no step (the key is step 1) was begun or failed
    assert.equal(run.code, EXIT_CODES.usage, show(run));
    assert.doesNotMatch(run.stderr, /\[1\/\d\]|Generat/, show(run));
  });
});
