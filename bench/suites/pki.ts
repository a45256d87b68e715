import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPki, type PkiModule } from '../support/library.js';
import { mustSucceed, nowMs, runTimed, versionOf } from '../support/process.js';
import { sampleSet, type SampleSet, type SuiteResult } from '../support/results.js';
import { ratio, summarize } from '../support/stats.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import { formatMs, formatRatio, rowColumns, type Table } from '../support/table.js';

type KeyType = PkiModule['KEY_TYPES'][number];

/** `openssl req -newkey` arguments for each key type (the subject and files are added by the caller). */
export const OPENSSL_NEWKEY: Readonly<Record<KeyType, readonly string[]>> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'rsa-3072': ['-newkey', 'rsa:3072'],
  'rsa-4096': ['-newkey', 'rsa:4096'],
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ecdsa-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'ecdsa-p521': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-newkey', 'ed25519'],
};

/** Items per key type (key generation of large RSA keys is slow and its time varies with the prime search). */
function generationCount(keyType: KeyType, quick: boolean): number {
  if (keyType.startsWith('rsa-')) {
    const full = keyType === 'rsa-4096' ? 6 : keyType === 'rsa-3072' ? 8 : 16;
    return quick ? (keyType === 'rsa-2048' ? 2 : 1) : full;
  }
  return quick ? 5 : 40;
}

const SUBJECT = { commonName: 'bench', organizations: ['bench'] };

async function timeLibraryGeneration(
  pki: PkiModule,
  keyType: KeyType,
  count: number,
): Promise<{ ms: number[]; pem: string }> {
  const make = async () => {
    const key = await pki.generateKey(keyType);
    return pki.createCertificateRequest({ privateKey: key.privateKey, ...SUBJECT });
  };
  let pem = '';
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = nowMs();
    pem = await make();
    ms.push(nowMs() - start);
  }
  return { ms, pem };
}

async function timeOpensslGeneration(
  keyType: KeyType,
  count: number,
  dir: string,
): Promise<{ ms: number[]; pem: string }> {
  const keyout = join(dir, `${keyType}.key`);
  const out = join(dir, `${keyType}.openssl.csr`);
  const args = [
    'req',
    '-new',
    ...OPENSSL_NEWKEY[keyType],
    '-nodes',
    '-subj',
    '/O=bench/CN=bench',
    '-keyout',
    keyout,
    '-out',
    out,
  ];
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    ms.push(mustSucceed(await runTimed('openssl', args), `openssl req (${keyType})`).wallMs);
  }
  return { ms, pem: readFileSync(out, 'utf8') };
}

/** Times verifyCertificateRequest (parse + self-signature check) for at least `minIterations` and `budgetMs`. */
function timeLibraryVerify(pki: PkiModule, pem: string, minIterations: number, budgetMs: number): number[] {
  pki.verifyCertificateRequest(pem); // warm-up of this key type's code path
  const ms: number[] = [];
  const deadline = nowMs() + budgetMs;
  while (ms.length < minIterations || (nowMs() < deadline && ms.length < 5000)) {
    const start = nowMs();
    pki.verifyCertificateRequest(pem);
    ms.push(nowMs() - start);
  }
  return ms;
}

async function timeOpensslVerify(file: string, count: number): Promise<number[]> {
  const args = ['req', '-in', file, '-noout', '-verify'];
  mustSucceed(await runTimed('openssl', args), 'openssl req -verify');
  const ms: number[] = [];
  for (let i = 0; i < count; i++) ms.push(mustSucceed(await runTimed('openssl', args), 'openssl req -verify').wallMs);
  return ms;
}

/** Suite 3: key + CSR generation and CSR verification, this library vs the openssl CLI. */
export const pkiSuite: Suite = {
  name: 'pki',
  title: 'PKI: keys and certificate signing requests',
  async run(context: SuiteContext): Promise<SuiteResult> {
    const startedAt = new Date();
    const started = performance.now();
    const pki = await importPki(context.repoRoot);
    const dir = mkdtempSync(join(tmpdir(), 'kube-csr-bench-pki-'));
    const samples: SampleSet[] = [];
    const notes: string[] = [];
    try {
      const opensslVersion = versionOf('openssl', ['version']);
      const hasOpenssl = opensslVersion !== 'not found';
      notes.push(`openssl CLI: ${opensslVersion}; node's OpenSSL: ${process.versions.openssl ?? 'unknown'}`);
      let startupP50: number | undefined;
      if (hasOpenssl) {
        const startup: number[] = [];
        for (let i = 0; i < (context.quick ? 5 : 20); i++)
          startup.push((await runTimed('openssl', ['version'])).wallMs);
        samples.push(
          sampleSet('pki/openssl/startup', 'openssl version (process start-up)', 'ms', { tool: 'openssl' }, startup),
        );
        startupP50 = summarize(startup).p50;
      } else {
        notes.push('openssl was not found: its rows show n/a');
      }

      // One untimed warm-up of each tool (code paths, page cache), not one per key type: an RSA warm-up costs seconds.
      const warm = await pki.generateKey('ecdsa-p256');
      pki.verifyCertificateRequest(pki.createCertificateRequest({ privateKey: warm.privateKey, ...SUBJECT }));
      if (hasOpenssl) {
        const args = ['req', '-new', ...OPENSSL_NEWKEY['ecdsa-p256'], '-nodes', '-subj', '/O=bench/CN=bench'];
        mustSucceed(
          await runTimed('openssl', [...args, '-keyout', join(dir, 'warm.key'), '-out', join(dir, 'warm.csr')]),
          'openssl req',
        );
      }

      const genRows: string[][] = [];
      const verifyRows: string[][] = [];
      for (const keyType of pki.KEY_TYPES) {
        const count = generationCount(keyType, context.quick);
        context.log(`pki: ${keyType}: ${count} keys + CSRs with the library${hasOpenssl ? ' and with openssl' : ''}`);
        const lib = await timeLibraryGeneration(pki, keyType, count);
        samples.push(
          sampleSet(
            `pki/generate/${keyType}/library`,
            `library generateKey + createCertificateRequest (${keyType})`,
            'ms',
            { keyType, tool: 'library' },
            lib.ms,
          ),
        );
        const libSummary = summarize(lib.ms);
        const libFile = join(dir, `${keyType}.library.csr`);
        writeFileSync(libFile, lib.pem);

        let ossl: ReturnType<typeof summarize> | undefined;
        let osslVerify: ReturnType<typeof summarize> | undefined;
        if (hasOpenssl) {
          const result = await timeOpensslGeneration(keyType, count, dir);
          samples.push(
            sampleSet(
              `pki/generate/${keyType}/openssl`,
              `openssl req -new -newkey (${keyType}), per invocation`,
              'ms',
              { keyType, tool: 'openssl' },
              result.ms,
            ),
          );
          ossl = summarize(result.ms);
          // Interoperability, not timed: each tool must accept the other's request.
          pki.verifyCertificateRequest(result.pem);
          const verify = await timeOpensslVerify(libFile, context.quick ? 3 : 10);
          samples.push(
            sampleSet(
              `pki/verify/${keyType}/openssl`,
              `openssl req -verify of the library's CSR (${keyType}), per invocation`,
              'ms',
              { keyType, tool: 'openssl' },
              verify,
            ),
          );
          osslVerify = summarize(verify);
        }
        genRows.push([
          keyType,
          String(count),
          formatMs(libSummary.p50),
          formatMs(libSummary.p95),
          ossl ? formatMs(ossl.p50) : 'n/a',
          ossl ? formatMs(ossl.p95) : 'n/a',
          ossl && startupP50 !== undefined ? formatMs(Math.max(0, ossl.p50 - startupP50)) : 'n/a',
          formatRatio(ratio(ossl?.p50, libSummary.p50)),
        ]);

        const verifyMs = timeLibraryVerify(pki, lib.pem, context.quick ? 20 : 100, context.quick ? 100 : 400);
        samples.push(
          sampleSet(
            `pki/verify/${keyType}/library`,
            `library verifyCertificateRequest (${keyType})`,
            'ms',
            { keyType, tool: 'library' },
            verifyMs,
          ),
        );
        const v = summarize(verifyMs);
        verifyRows.push([
          keyType,
          String(v.n),
          formatMs(v.p50),
          formatMs(v.p95),
          osslVerify ? formatMs(osslVerify.p50) : 'n/a',
          formatRatio(ratio(osslVerify?.p50, v.p50)),
        ]);
      }

      const generation: Table = {
        title: 'Key + CSR generation, one item at a time',
        columns: rowColumns(
          'key type',
          'items',
          'library p50 ms',
          'library p95 ms',
          'openssl p50 ms',
          'openssl p95 ms',
          'openssl p50 − start-up ms',
          'openssl ÷ library',
        ),
        rows: genRows,
        footnotes: [
          'Library: generateKey(type) (node:crypto generateKeyPair, async) + createCertificateRequest({ privateKey, ' +
            'commonName, organizations }) in this process, after one untimed ECDSA warm-up of each tool.',
          '`openssl req -new -newkey <type> -nodes -subj /O=bench/CN=bench -keyout <file> -out <file>`, timed per ' +
            `invocation from spawn to exit, so process start-up is included: \`openssl version\` alone takes ` +
            `${formatMs(startupP50)} ms (p50), subtracted in the "− start-up" column.`,
          'RSA key generation searches for primes, so its time varies widely from key to key (see p95). openssl signs ' +
            'every request with SHA-256; the library uses SHA-384 for P-384 and SHA-512 for P-521.',
        ],
      };
      const verification: Table = {
        title: 'CSR parse + verify (PEM in, self-signature checked)',
        columns: rowColumns(
          'key type',
          'iterations',
          'library p50 ms',
          'library p95 ms',
          'openssl req -verify p50 ms',
          'openssl ÷ library',
        ),
        rows: verifyRows,
        footnotes: [
          'Library: verifyCertificateRequest(pem): PEM decoding, ASN.1 parsing, key and algorithm checks, signature ' +
            'verification, in process (warm).',
          '`openssl req -in <library CSR> -noout -verify`, per invocation incl. process start-up; it doubles as an ' +
            "interoperability check (openssl accepts the library's requests, the library accepts openssl's).",
        ],
      };
      return {
        name: 'pki',
        title: this.title,
        startedAt: startedAt.toISOString(),
        durationMs: performance.now() - started,
        tables: [generation, verification],
        samples,
        notes,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
