/**
 * Parity with kube-apiserver: the Go program in test/fixtures/pki/kube-validation restates, with Go's standard
 * library, the checks Kubernetes v1.33 applies to spec.request (ParseCSR + CheckSignature) and status.certificate.
 * Each case records whether kube-apiserver accepts the input and whether we do; where we are deliberately stricter,
 * the case says so. Skipped when no Go toolchain is installed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  createCertificateRequest,
  generateKey,
  KEY_TYPES,
  parseCertificateChain,
  PkiError,
  verifyCertificateRequest,
} from '../../src/pki/index.js';
import type { GeneratedKey, KeyType } from '../../src/pki/index.js';
import { opensslOk } from './support/openssl.js';
import { makePki } from './support/pki.js';
import type { TestPki } from './support/pki.js';

const SOURCE_DIR = fileURLToPath(new URL('../fixtures/pki/kube-validation/', import.meta.url));
const P224_FIXTURE = readFileSync(new URL('../fixtures/pki/ec-p224-example.csr', import.meta.url), 'utf8');

function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Verdict {
  accepted: boolean;
  error?: string;
  commonName?: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  emailAddresses?: string[];
}

/** Whether our code accepts the input; a PkiError means no, anything else is a bug. */
function ours(check: () => unknown): { accepted: boolean; code?: string } {
  try {
    check();
    return { accepted: true };
  } catch (error) {
    if (PkiError.isPkiError(error)) {
      return { accepted: false, code: error.code };
    }
    throw error;
  }
}

describe(
  'parity with kube-apiserver validation (Go)',
  { skip: goAvailable() ? false : 'go toolchain not found' },
  () => {
    let binary: string;
    let pki: TestPki;
    const keys = new Map<KeyType, GeneratedKey>();

    before(async () => {
      pki = await makePki();
      binary = pki.tmp.path('kubevalidation');
      execFileSync('go', ['build', '-o', binary, '.'], {
        cwd: SOURCE_DIR,
        env: { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off' },
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      });
      for (const key of await Promise.all(KEY_TYPES.map((t) => generateKey(t)))) {
        keys.set(key.keyType, key);
      }
    });
    after(() => pki.tmp.dispose());

    function kube(mode: 'csr' | 'certificate', input: string | Buffer): Verdict {
      const result = spawnSync(binary, [mode], { input, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as Verdict;
    }

    function request(keyType: KeyType = 'ecdsa-p256'): string {
      const key = keys.get(keyType);
      assert.ok(key);
      return createCertificateRequest({
        privateKey: key.privateKey,
        commonName: 'system:node:worker-1',
        organizations: ['system:nodes', 'example cluster'],
        dnsNames: ['worker-1.example.com'],
        ipAddresses: ['10.0.0.5', 'fd00::5'],
        uris: ['spiffe://cluster.local/node/worker-1'],
        emailAddresses: ['ops@example.com'],
      });
    }

    for (const keyType of KEY_TYPES) {
      it(`GIVEN our ${keyType} request WHEN kube-apiserver's checks read it THEN they accept it and see the same subject and SANs`, () => {
        const verdict = kube('csr', request(keyType));
        assert.equal(verdict.accepted, true, verdict.error);
        const parsed = verifyCertificateRequest(request(keyType));
        assert.equal(verdict.commonName, parsed.subject.commonName);
        assert.deepEqual(verdict.organizations, parsed.subject.organizations);
        assert.deepEqual(verdict.dnsNames, parsed.subjectAltNames.dnsNames);
        assert.deepEqual(verdict.ipAddresses, parsed.subjectAltNames.ipAddresses);
        assert.deepEqual(verdict.uris, parsed.subjectAltNames.uris);
        assert.deepEqual(verdict.emailAddresses, parsed.subjectAltNames.emailAddresses);
      });
    }

    const p256 = (): string => request('ecdsa-p256');
    const privateKeyPem = (): string => keys.get('ecdsa-p256')?.privateKeyPem ?? '';
    const csrCases: { name: string; input: () => string; kube: boolean; us: boolean; why?: string }[] = [
      { name: 'the P-224 docs example', input: () => P224_FIXTURE, kube: true, us: true },
      { name: 'CRLF line endings', input: () => p256().replace(/\n/g, '\r\n'), kube: true, us: true },
      { name: 'text around the block', input: () => `notes:\n${p256()}\nmore notes\n`, kube: true, us: true },
      { name: 'trailing blanks on lines', input: () => p256().replace(/\n/g, '  \n'), kube: true, us: true },
      { name: 'no final newline', input: () => p256().trimEnd(), kube: true, us: true },
      {
        name: 'the legacy NEW CERTIFICATE REQUEST label',
        input: () => p256().replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST'),
        kube: false,
        us: false,
      },
      { name: 'a byte order mark', input: () => `\uFEFF${p256()}`, kube: false, us: false },
      { name: 'indented lines', input: () => p256().replace(/^/gm, '  '), kube: false, us: false },
      { name: 'lone CR line breaks', input: () => p256().replace(/\n/g, '\r'), kube: false, us: false },
      { name: 'BEGIN in the middle of a line', input: () => `spec.request: ${p256()}`, kube: false, us: false },
      { name: 'a private key before the request', input: () => privateKeyPem() + p256(), kube: false, us: false },
      { name: 'a tampered signature', input: () => tamper(p256()), kube: false, us: false },
      {
        name: 'PEM headers',
        input: () => p256().replace('-----\n', '-----\nComment: x\n\n'),
        kube: true,
        us: false,
        why: 'headers hide content; stricter on purpose',
      },
      {
        name: 'two requests',
        input: () => p256() + p256(),
        kube: true,
        us: false,
        why: 'kube reads only the first; ambiguous, stricter on purpose',
      },
      {
        name: 'a private key after the request',
        input: () => p256() + privateKeyPem(),
        kube: true,
        us: false,
        why: 'would send a secret to the cluster',
      },
    ];
    for (const c of csrCases) {
      const verb = c.kube === c.us ? 'we agree' : `we differ on purpose (${c.why ?? ''})`;
      it(`GIVEN a request with ${c.name} WHEN both check it THEN kube ${c.kube ? 'accepts' : 'rejects'} and ${verb}`, () => {
        const input = c.input();
        assert.equal(kube('csr', input).accepted, c.kube, kube('csr', input).error);
        assert.equal(ours(() => verifyCertificateRequest(input)).accepted, c.us);
      });
    }

    it('GIVEN requests kube-apiserver cannot check (Ed448, secp256k1) WHEN both check them THEN both reject', async () => {
      for (const [name, args] of [
        ['ed448', ['-newkey', 'ed448']],
        ['k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']],
      ] as const) {
        await opensslOk([
          'req',
          '-new',
          '-nodes',
          ...args,
          '-keyout',
          pki.tmp.path(`${name}.key`),
          '-subj',
          '/CN=a',
          '-out',
          pki.tmp.path(`${name}.csr`),
        ]);
        const input = readFileSync(pki.tmp.path(`${name}.csr`), 'utf8');
        assert.equal(kube('csr', input).accepted, false, name);
        assert.equal(ours(() => verifyCertificateRequest(input)).accepted, false, name);
      }
    });

    it('GIVEN a P-224 request we signed WHEN kube-apiserver checks it THEN it accepts it', () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-224' });
      assert.equal(
        kube('csr', createCertificateRequest({ privateKey, commonName: 'admin', organizations: ['example cluster'] }))
          .accepted,
        true,
      );
    });

    const chainCases: { name: string; input: (p: TestPki) => string; kube: boolean; us: boolean }[] = [
      { name: 'leaf and intermediate', input: (p) => p.leaf + p.intermediate, kube: true, us: true },
      {
        name: 'text around and between blocks',
        input: (p) => `a\n${p.leaf}b\n${p.intermediate}c\n`,
        kube: true,
        us: true,
      },
      { name: 'CRLF', input: (p) => (p.leaf + p.intermediate).replace(/\n/g, '\r\n'), kube: true, us: true },
      { name: 'PEM headers', input: (p) => p.leaf.replace('-----\n', '-----\nComment: x\n\n'), kube: false, us: false },
      { name: 'a request block', input: (p) => p.leaf + p256(), kube: false, us: false },
      { name: 'a private key block', input: (p) => p.leaf + p.leafKey.privateKeyPem, kube: false, us: false },
      { name: 'no block', input: () => 'nothing here', kube: false, us: false },
    ];
    for (const c of chainCases) {
      it(`GIVEN status.certificate with ${c.name} WHEN both check it THEN kube ${c.kube ? 'accepts' : 'rejects'} and we agree`, () => {
        const input = c.input(pki);
        assert.equal(kube('certificate', input).accepted, c.kube);
        assert.equal(ours(() => parseCertificateChain(input)).accepted, c.us);
      });
    }
  },
);

function tamper(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 2] ^= 0x01;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}
