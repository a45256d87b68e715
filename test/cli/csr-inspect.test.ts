import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/cli/main.js';
import { assertNoKeyMaterial, errorLine, runCli, scratchDir, show } from './support.js';

// kube-csr csr and kube-csr inspect need no cluster; KUBECONFIG points nowhere to prove it.
const scratch = scratchDir();
after(() => scratch.dispose());
const OFFLINE = { env: { KUBECONFIG: '/nonexistent/kubeconfig' }, cwd: scratch.dir };

interface RequestJson {
  kind: string;
  subject: { commonName?: string; organizations: string[]; text: string };
  subjectAltNames: { dnsNames: string[]; ipAddresses: string[]; uris: string[]; emailAddresses: string[] };
  publicKey: { algorithm: string; bits?: number; curve?: string };
  signatureValid: boolean;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('kube-csr csr', () => {
  const keyTypes: { keyType: string; publicKey: RequestJson['publicKey'] }[] = [
    { keyType: 'ecdsa-p256', publicKey: { algorithm: 'ecdsa', bits: 256, curve: 'P-256' } },
    { keyType: 'ecdsa-p384', publicKey: { algorithm: 'ecdsa', bits: 384, curve: 'P-384' } },
    { keyType: 'ed25519', publicKey: { algorithm: 'ed25519' } },
    { keyType: 'rsa-2048', publicKey: { algorithm: 'rsa', bits: 2048 } },
  ];
  for (const { keyType, publicKey } of keyTypes) {
    it(`GIVEN --key-type ${keyType} WHEN run THEN it writes a 0600 key and a request inspect reads back`, async () => {
      // GIVEN a fresh folder
      const dir = scratch.path(`csr-${keyType}`);

      // WHEN a key and request are created
      const created = await runCli(
        ['csr', '--cn', 'jane', '--org', 'dev', '--org', 'ops', '--dns', 'jane.example.com', '--ip', '10.0.0.7']
          .concat(['--uri', 'spiffe://example.com/jane', '--email', 'jane@example.com'])
          .concat(['--key-type', keyType, '--out-dir', dir]),
        OFFLINE,
      );

      // THEN the files are there, the key only readable by its owner, and never printed
      assert.equal(created.code, 0, show(created));
      assert.equal(mode(`${dir}/jane.key`), 0o600);
      const keyPem = readFileSync(`${dir}/jane.key`, 'utf8');
      assert.match(keyPem, /^-{5}BEGIN PRIVATE KEY-{5}\n/);
      assertNoKeyMaterial(created, [keyPem]);
      assert.match(created.stdout, /^key: +.*jane\.key \(.*mode 0600\)$/m);
      assert.equal(
        execFileSync('openssl', ['req', '-in', `${dir}/jane.csr`, '-noout', '-verify'], {
          encoding: 'utf8',
          stdio: 'pipe',
        }),
        '',
      );

      // AND inspect prints what was asked for
      const inspected = await runCli(['inspect', `${dir}/jane.csr`], OFFLINE);
      assert.equal(inspected.code, 0, show(inspected));
      const json = JSON.parse(inspected.stdout) as RequestJson;
      assert.deepEqual(json.subject, { commonName: 'jane', organizations: ['dev', 'ops'], text: json.subject.text });
      assert.deepEqual(json.subjectAltNames, {
        dnsNames: ['jane.example.com'],
        ipAddresses: ['10.0.0.7'],
        uris: ['spiffe://example.com/jane'],
        emailAddresses: ['jane@example.com'],
      });
      assert.deepEqual(json.publicKey, publicKey);
      assert.equal(json.signatureValid, true);
      assert.equal(inspected.stderr, '');
    });
  }

  it('GIVEN existing files WHEN run without --force THEN it refuses and changes nothing; with --force it replaces them', async () => {
    // GIVEN a key file that exists
    const keyOut = scratch.path('keep.key');
    const csrOut = scratch.path('keep.csr');
    writeFileSync(keyOut, 'precious\n', { mode: 0o600 });

    // WHEN csr is asked to write over it
    const refused = await runCli(
      ['csr', '--cn', 'x', '--key-type', 'ed25519', '--key-out', keyOut, '--csr-out', csrOut],
      OFFLINE,
    );

    // THEN it refuses, names the file and the flag, and writes nothing
    assert.equal(refused.code, EXIT_CODES.failure, show(refused));
    assert.match(errorLine(refused), /refusing to overwrite .*keep\.key \(it exists\): pass --force/);
    assert.equal(readFileSync(keyOut, 'utf8'), 'precious\n');
    assert.throws(() => statSync(csrOut), /ENOENT/);

    // WHEN --force is given THEN both are written, the key still 0600
    const forced = await runCli(
      ['csr', '--cn', 'x', '--key-type', 'ed25519', '--key-out', keyOut, '--csr-out', csrOut, '--force', '--json'],
      OFFLINE,
    );
    assert.equal(forced.code, 0, show(forced));
    assert.match(readFileSync(keyOut, 'utf8'), /BEGIN PRIVATE KEY/);
    assert.equal(mode(keyOut), 0o600);
    const json = JSON.parse(forced.stdout) as { files: { key: string; request: string }; request: RequestJson };
    assert.deepEqual(json.files, { key: keyOut, request: csrOut });
    assert.equal(json.request.subject.commonName, 'x');
  });
});

describe('kube-csr inspect', () => {
  const dir = scratch.path('inspect');
  const request = async (cn: string): Promise<string> => {
    const run = await runCli(['csr', '--cn', cn, '--org', 'g', '--key-type', 'ecdsa-p256', '--out-dir', dir], OFFLINE);
    assert.equal(run.code, 0, show(run));
    return `${dir}/${cn}.csr`;
  };

  it('GIVEN a request on stdin, as PEM and as kubectl prints spec.request (base64) WHEN inspected with - THEN both are read', async () => {
    const pem = readFileSync(await request('stdin-user'), 'utf8');
    for (const input of [pem, Buffer.from(pem).toString('base64')]) {
      const run = await runCli(['inspect', '-'], { ...OFFLINE, input });
      assert.equal(run.code, 0, show(run));
      const json = JSON.parse(run.stdout) as RequestJson;
      assert.equal(json.kind, 'certificate-request');
      assert.equal(json.subject.commonName, 'stdin-user');
    }
  });

  it('fails when the request was altered after signing: exit 1, one line, the JSON says the signature is invalid', async () => {
    // GIVEN a request whose CN was changed in the DER (same length, so it still parses)
    const pem = readFileSync(await request('tamper-me'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const at = der.indexOf('tamper-me');
    assert.ok(at > 0);
    der[at + 8] = 'f'.charCodeAt(0);
    const tampered = scratch.path('tampered.csr');
    writeFileSync(
      tampered,
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`,
    );

    // WHEN inspected
    const run = await runCli(['inspect', tampered], OFFLINE);

    // THEN
    assert.equal(run.code, EXIT_CODES.failure, show(run));
    assert.match(errorLine(run), /tampered\.csr: .*signature does not verify/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    const json = JSON.parse(run.stdout) as RequestJson;
    assert.equal(json.subject.commonName, 'tamper-mf');
    assert.equal(json.signatureValid, false);
  });

  it('GIVEN a self-signed certificate WHEN inspected THEN its signature verifies; with a --ca that did not issue it, exit 1', async () => {
    // GIVEN a self-signed CA certificate and an unrelated one, made by openssl
    const make = (name: string) => {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'].concat([
          '-subj',
          `/CN=${name}/O=inspect`,
          '-keyout',
          scratch.path(`${name}.key`),
          '-out',
          scratch.path(`${name}.crt`),
        ]),
        { stdio: 'ignore' },
      );
      return scratch.path(`${name}.crt`);
    };
    const ca = make('inspect-ca');
    const other = make('inspect-other');

    // WHEN inspected alone, and against another CA
    const alone = await runCli(['inspect', ca], OFFLINE);
    const wrongCa = await runCli(['inspect', ca, '--ca', other], OFFLINE);
    const rightCa = await runCli(['inspect', ca, '--ca', ca], OFFLINE);

    // THEN
    assert.equal(alone.code, 0, show(alone));
    const json = JSON.parse(alone.stdout) as {
      kind: string;
      leaf: { subject: { commonName: string }; isCa: boolean; signatureValid: boolean | null; publicKey: unknown };
      intermediates: unknown[];
    };
    assert.equal(json.kind, 'certificate-chain');
    assert.equal(json.leaf.subject.commonName, 'inspect-ca');
    assert.equal(json.leaf.signatureValid, true);
    assert.deepEqual(json.leaf.publicKey, { algorithm: 'ecdsa', bits: 256, curve: 'P-256' });
    assert.deepEqual(json.intermediates, []);
    assert.equal(wrongCa.code, EXIT_CODES.failure, show(wrongCa));
    assert.match(errorLine(wrongCa), /no CA certificate of the bundle/);
    assert.equal((JSON.parse(wrongCa.stdout) as { trusted: boolean }).trusted, false);
    assert.equal(rightCa.code, 0, show(rightCa));
  });

  const bad: { name: string; content: string | undefined; message: RegExp }[] = [
    {
      name: 'garbage.txt',
      content: 'hello, this is not a certificate\n',
      message: /neither a PEM CERTIFICATE REQUEST/,
    },
    { name: 'empty.csr', content: '', message: /empty\.csr is empty/ },
    {
      name: 'truncated.csr',
      content: '-----BEGIN CERTIFICATE REQUEST-----\nMIIBAjCBqAIBADAM\n-----END CERTIFICATE REQUEST-----\n',
      message: /truncated\.csr: /,
    },
    { name: 'missing.csr', content: undefined, message: /cannot read .*missing\.csr: no such file/ },
  ];
  for (const { name, content, message } of bad) {
    it(`fails with exit 1 and one line on stderr when the input is ${name}`, async () => {
      if (content !== undefined) writeFileSync(scratch.path(name), content);
      const run = await runCli(['inspect', scratch.path(name)], OFFLINE);
      assert.equal(run.code, EXIT_CODES.failure, show(run));
      assert.match(errorLine(run), message);
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
      assert.equal(run.stdout, '');
    });
  }

  it('fails when given a private key, and does not print it', async () => {
    await request('key-owner');
    const keyPem = readFileSync(`${dir}/key-owner.key`, 'utf8');
    for (const input of [keyPem, Buffer.from(keyPem).toString('base64')]) {
      const run = await runCli(['inspect', '-'], { ...OFFLINE, input });
      assert.equal(run.code, EXIT_CODES.failure, show(run));
      assert.match(errorLine(run), /stdin holds a private key: .*the key was not printed/);
      assertNoKeyMaterial(run, [keyPem]);
    }
  });
});
