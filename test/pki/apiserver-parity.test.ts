/**
 * Parity with the REAL kube-apiserver of the shared test cluster (started by `npm test`, see scripts/run-tests.ts).
 *
 * - spec.request: each input is sent as a CertificateSigningRequest with a server-side dry run (`dryRun: 'All'`:
 *   validation and admission run, nothing is stored), and its decision is compared with verifyCertificateRequest.
 * - status.certificate: each input is written through the /status subresource of one approved request, again as a
 *   dry run, and compared with parseCertificateChain.
 * - what Go reads from our requests: kube-controller-manager's signer (Go crypto/x509) issues certificates for our
 *   requests of every key type; the subject and SANs it copied must be those we parse.
 *
 * Each table row states what kube-apiserver answers (accepts, or rejects with HTTP 422 and the Go error on the field,
 * or another HTTP status) and what we answer (accept, or the PkiError code). Rows where we decide differently carry
 * `differs`, the documented reason; the test fails when a row has `differs` but we agree, or disagrees without it.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ApiException, CertificatesV1Api } from '@kubernetes/client-node';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import {
  createCertificateRequest,
  generateKey,
  KEY_TYPES,
  MAX_CERTIFICATE_CHAIN_BYTES,
  MAX_CERTIFICATE_REQUEST_BYTES,
  parseCertificateChain,
  PkiError,
  verifyCertificateRequest,
} from '../../src/pki/index.js';
import type { KeyType, PkiErrorCode } from '../../src/pki/index.js';
import { openCertificateSigningRequest } from '../../src/runtime/index.js';
import { sharedKubeConfig, sharedKubeconfigPath } from '../support/cluster-env.js';
import { csrNamesWithPrefix, uniqueSuffix } from '../support/identities.js';
import { opensslOk, scratchDir } from './support/openssl.js';
import { makePki } from './support/pki.js';
import type { TestPki } from './support/pki.js';

const P224_FIXTURE = readFileSync(new URL('../fixtures/pki/ec-p224-example.csr', import.meta.url), 'utf8');
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
/** No controller signs for this signer, so status.certificate stays ours to write. */
const UNSIGNED_SIGNER = 'example.com/pki-parity';
const SUBJECT = { commonName: 'parity-user', organizations: ['example cluster', 'devs'] } as const;

/**
 * kube-apiserver's answer: it accepts, or it rejects with HTTP 422 and a field error whose Go message matches
 * `invalid`, or it rejects the whole HTTP request with `status` before validation.
 */
type KubeVerdict = 'accepts' | { readonly invalid: RegExp } | { readonly status: number; readonly reason: string };

/** One row: an input, what kube-apiserver answers, what we answer, and why we differ (exactly when we do). */
interface ParityCase<Inputs> {
  readonly name: string;
  readonly input: (inputs: Inputs) => string | Buffer;
  readonly kube: KubeVerdict;
  readonly ours: 'accepts' | PkiErrorCode;
  /** The documented reason we decide differently from kube-apiserver. Required exactly when we do. */
  readonly differs?: string;
}

/** What the API server said: accepted, or the HTTP status with the Status object's reason and field causes. */
type KubeAnswer =
  | { readonly accepted: true }
  | {
      readonly accepted: false;
      readonly status: number;
      readonly reason?: string;
      readonly causes: readonly { readonly field?: string; readonly message?: string }[];
    };

async function kubeAnswer(call: () => Promise<unknown>): Promise<KubeAnswer> {
  try {
    await call();
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof ApiException)) {
      throw error;
    }
    const raw: unknown = error.body;
    let body: unknown = raw;
    if (typeof raw === 'string') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
    }
    const status = (body ?? {}) as {
      reason?: string;
      details?: { causes?: { field?: string; message?: string }[] };
    };
    return { accepted: false, status: error.code, reason: status.reason, causes: status.details?.causes ?? [] };
  }
}

/**
 * The Go error of a field cause. spec.request causes quote the whole input as a Go byte list first
 * (`Invalid value: []byte{0x2d, ...}: <error>`), status.certificate causes a placeholder.
 */
function goError(message: string | undefined): string {
  return (message ?? '').replace(/^Invalid value: (\[\]byte\{[^}]*\}|"<certificate data>"): /, '');
}

function assertKube(answer: KubeAnswer, expected: KubeVerdict, field: string): void {
  if (expected === 'accepts') {
    assert.ok(
      answer.accepted,
      answer.accepted ? '' : `kube-apiserver rejected it (${answer.status}): ${goError(answer.causes[0]?.message)}`,
    );
    return;
  }
  assert.ok(!answer.accepted, 'kube-apiserver accepted it');
  if ('invalid' in expected) {
    assert.equal(answer.status, 422, `HTTP ${answer.status} ${answer.reason ?? ''}`);
    const cause = answer.causes.find((c) => c.field === field);
    assert.ok(cause, `no ${field} field error in ${JSON.stringify(answer.causes.map((c) => c.field))}`);
    assert.match(goError(cause.message), expected.invalid);
  } else {
    assert.equal(answer.status, expected.status);
    assert.equal(answer.reason, expected.reason);
  }
}

/** Our answer: accepted, or the PkiError code. Any other exception is a bug and fails the test. */
function ourAnswer<T>(check: () => T): { verdict: 'accepts'; value: T } | { verdict: PkiErrorCode; message: string } {
  try {
    return { verdict: 'accepts', value: check() };
  } catch (error) {
    if (PkiError.isPkiError(error)) {
      return { verdict: error.code, message: error.message };
    }
    throw error;
  }
}

/** A row where both kube-apiserver and we accept. */
function accepted<I>(name: string, input: (inputs: I) => string | Buffer): ParityCase<I> {
  return { name, input, kube: 'accepts', ours: 'accepts' };
}

/** A row where both reject: kube-apiserver with HTTP 422 and a Go error matching `invalid`, we with `ours`. */
function rejected<I>(
  name: string,
  input: (inputs: I) => string | Buffer,
  invalid: RegExp,
  ours: PkiErrorCode,
): ParityCase<I> {
  return { name, input, kube: { invalid }, ours };
}

/**
 * Two rows at our size limit `limit`, both of which kube-apiserver accepts: `text` padded to exactly `limit` bytes,
 * which we accept, and to one byte more, which we reject on purpose (`differs`).
 */
function ourSizeLimit<I>(limit: number, text: (inputs: I) => string, differs: string): ParityCase<I>[] {
  return [
    accepted(`exactly ${limit} bytes (our limit)`, (i) => paddedTo(text(i), limit)),
    {
      name: `${limit + 1} bytes (one over our limit)`,
      input: (i) => paddedTo(text(i), limit + 1),
      kube: 'accepts',
      ours: 'oversized-input',
      differs,
    },
  ];
}

/** States the row's expectation in words for the test name. */
function expectation<I>(c: ParityCase<I>): string {
  const kube =
    c.kube === 'accepts'
      ? 'kube-apiserver accepts'
      : 'invalid' in c.kube
        ? 'kube-apiserver rejects (422)'
        : `kube-apiserver rejects (${c.kube.status})`;
  const ours = c.ours === 'accepts' ? 'we accept' : `we reject (${c.ours})`;
  return `${kube} and ${ours}${c.differs ? `, on purpose: ${c.differs}` : ''}`;
}

function assertDifferenceDocumented<I>(c: ParityCase<I>): void {
  const differ = (c.kube === 'accepts') !== (c.ours === 'accepts');
  assert.equal(
    c.differs !== undefined,
    differ,
    differ ? 'we decide differently from kube-apiserver: document why in `differs`' : '`differs` but we agree',
  );
}

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function armour(der: Buffer, label: string, width = 64): string {
  const lines = der.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Re-armours the block of `pem` after `mutate` changed a copy of its DER. */
function tampered(pem: string, label: string, mutate: (der: Buffer) => Buffer | void): string {
  const der = derOf(pem);
  return armour(mutate(der) ?? der, label);
}

/** `text` followed by a comment line that makes the whole input exactly `bytes` long (ASCII). */
function paddedTo(text: string, bytes: number): string {
  const filler = bytes - Buffer.byteLength(text) - 1;
  assert.ok(filler > 0);
  return `${text}${'#'.repeat(filler)}\n`;
}

/** `pem` with RFC 1421 headers after its BEGIN line. */
function withPemHeaders(pem: string): string {
  return pem.replace('-----\n', '-----\nComment: made by hand\n\n');
}

/** `pem` with every line indented by two spaces (a yaml paste). */
function indented(pem: string): string {
  return pem.replace(/^/gm, '  ');
}

/** `pem` after a UTF-8 byte order mark. */
function withBom(pem: string): string {
  return `\uFEFF${pem}`;
}

/** Spoils the first base64 character of the block body; the block stays well framed. */
function badBase64(pem: string): string {
  return pem.replace(/-----\n./, '-----\n!');
}

/** Removes the END line of the block: a cut block, as when a copy lost its end. */
function withoutEnd(pem: string): string {
  return pem.replace(/-----END [^\n]+\n/, '');
}

// ---------------------------------------------------------------------------------------------------------------
// spec.request
// ---------------------------------------------------------------------------------------------------------------

/** Requests openssl makes at test time, for algorithms and keys our generator refuses to produce. */
const OPENSSL_REQUESTS = {
  'RSA 2048 signed with RSASSA-PSS over SHA-256': [
    '-newkey',
    'rsa:2048',
    '-sha256',
    '-sigopt',
    'rsa_padding_mode:pss',
    '-sigopt',
    'rsa_pss_saltlen:32',
  ],
  'RSA 2048 signed with RSASSA-PSS over SHA-1': ['-newkey', 'rsa:2048', '-sha1', '-sigopt', 'rsa_padding_mode:pss'],
  'RSA 2048 signed with sha1WithRSAEncryption': ['-newkey', 'rsa:2048', '-sha1'],
  'RSA 2048 signed with md5WithRSAEncryption': ['-newkey', 'rsa:2048', '-md5'],
  'RSA 1024': ['-newkey', 'rsa:1024'],
  'RSA 768': ['-newkey', 'rsa:768'],
  Ed448: ['-newkey', 'ed448'],
  'ECDSA secp256k1': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
  'an RSASSA-PSS-only key (id-RSASSA-PSS)': ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
  DSA: ['-newkey', 'dsa:dsa.params'],
} as const satisfies Record<string, readonly string[]>;
type OpensslRequest = keyof typeof OPENSSL_REQUESTS;

interface RequestInputs {
  /** An ECDSA P-256 request of ours: the base most rows alter. */
  readonly request: string;
  /** The same made from an RSA 2048 key. */
  readonly rsaRequest: string;
  /** The P-256 request's private key (PKCS#8 PEM). */
  readonly privateKeyPem: string;
  /** Our request for every key type, plus `ecdsa-p224` (Node key; our generator has no P-224 type). */
  readonly ofKeyType: ReadonlyMap<KeyType | 'ecdsa-p224', string>;
  readonly openssl: Readonly<Record<OpensslRequest, string>>;
}

const REQUEST_LABEL = 'CERTIFICATE REQUEST';
/**
 * An input whose base64 alone exceeds kube-apiserver's 3 MiB request body limit by 16 KiB. Only just over: Go's HTTP
 * server drains up to 256 KiB of an unread body and answers 413; with more left it closes the connection, and the
 * client sees a reset instead of the answer.
 */
const REQUEST_BODY_OVER_LIMIT_BYTES = ((3 * 1024 * 1024 + 16 * 1024) / 4) * 3;
const NOT_A_REQUEST_BLOCK = /^PEM block type must be CERTIFICATE REQUEST$/;

function keyTypeRow(keyType: KeyType | 'ecdsa-p224'): ParityCase<RequestInputs> {
  return {
    name: `our ${keyType} request`,
    input: (i) => i.ofKeyType.get(keyType) ?? '',
    kube: 'accepts',
    ours: 'accepts',
  };
}

function opensslRow(
  name: OpensslRequest,
  kube: KubeVerdict,
  ours: 'accepts' | PkiErrorCode,
): ParityCase<RequestInputs> {
  return { name: `an openssl request: ${name}`, input: (i) => i.openssl[name], kube, ours };
}

const REQUEST_CASES: readonly ParityCase<RequestInputs>[] = [
  // Keys and signature algorithms.
  ...KEY_TYPES.map(keyTypeRow),
  keyTypeRow('ecdsa-p224'),
  { name: 'the P-224 docs example fixture', input: () => P224_FIXTURE, kube: 'accepts', ours: 'accepts' },
  opensslRow('RSA 2048 signed with RSASSA-PSS over SHA-256', 'accepts', 'accepts'),
  opensslRow('RSA 2048 signed with sha1WithRSAEncryption', 'accepts', 'accepts'),
  opensslRow('RSA 1024', 'accepts', 'accepts'),
  opensslRow(
    'RSA 2048 signed with RSASSA-PSS over SHA-1',
    { invalid: /^x509: cannot verify signature: algorithm unimplemented$/ },
    'unsupported-signature-algorithm',
  ),
  opensslRow(
    'RSA 2048 signed with md5WithRSAEncryption',
    { invalid: /^x509: cannot verify signature: insecure algorithm MD5-RSA$/ },
    'unsupported-signature-algorithm',
  ),
  opensslRow('RSA 768', { invalid: /^crypto\/rsa: 768-bit keys are insecure/ }, 'unsupported-key'),
  opensslRow(
    'Ed448',
    { invalid: /^x509: cannot verify signature: algorithm unimplemented$/ },
    'unsupported-signature-algorithm',
  ),
  opensslRow('ECDSA secp256k1', { invalid: /^x509: unsupported elliptic curve$/ }, 'unsupported-key'),
  opensslRow(
    'an RSASSA-PSS-only key (id-RSASSA-PSS)',
    { invalid: /^x509: cannot verify signature: algorithm unimplemented$/ },
    'unsupported-key',
  ),
  opensslRow('DSA', { invalid: /^x509: cannot verify signature: algorithm unimplemented$/ }, 'unsupported-key'),
  {
    name: 'a flipped byte in the ECDSA signature',
    input: (i) =>
      tampered(i.request, REQUEST_LABEL, (der) => {
        der[der.length - 2] ^= 0x01;
      }),
    kube: { invalid: /^x509: ECDSA verification failure$/ },
    ours: 'bad-signature',
  },
  {
    name: 'a flipped byte in the RSA signature',
    input: (i) =>
      tampered(i.rsaRequest, REQUEST_LABEL, (der) => {
        der[der.length - 2] ^= 0x01;
      }),
    kube: { invalid: /^crypto\/rsa: verification error$/ },
    ours: 'bad-signature',
  },
  {
    name: 'the subject changed after signing',
    input: (i) =>
      tampered(i.request, REQUEST_LABEL, (der) => {
        const at = der.indexOf('parity-user');
        assert.ok(at > 0);
        der.write('parity-usex', at, 'latin1');
      }),
    kube: { invalid: /^x509: ECDSA verification failure$/ },
    ours: 'bad-signature',
  },
  rejected(
    'truncated DER (last 10 bytes cut, re-armoured)',
    (i) => tampered(i.request, REQUEST_LABEL, (der) => der.subarray(0, der.length - 10)),
    /^asn1: syntax error: data truncated$/,
    'truncated-der',
  ),
  // PEM framing.
  { name: 'CRLF line endings', input: (i) => i.request.replace(/\n/g, '\r\n'), kube: 'accepts', ours: 'accepts' },
  rejected('lone CR line breaks', (i) => i.request.replace(/\n/g, '\r'), NOT_A_REQUEST_BLOCK, 'malformed-pem'),
  { name: 'text before the block', input: (i) => `notes:\n${i.request}`, kube: 'accepts', ours: 'accepts' },
  { name: 'text after the block', input: (i) => `${i.request}more notes\n`, kube: 'accepts', ours: 'accepts' },
  accepted('trailing blanks on every line', (i) => i.request.replace(/\n/g, ' \t\n')),
  { name: 'no final newline', input: (i) => i.request.trimEnd(), kube: 'accepts', ours: 'accepts' },
  accepted('the base64 on one line', (i) => armour(derOf(i.request), REQUEST_LABEL, 100_000)),
  accepted('the base64 wrapped at 76 columns', (i) => armour(derOf(i.request), REQUEST_LABEL, 76)),
  rejected(
    'the legacy NEW CERTIFICATE REQUEST label',
    (i) => i.request.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST'),
    NOT_A_REQUEST_BLOCK,
    'legacy-pem-label',
  ),
  rejected(
    'the CERTIFICATE label',
    (i) => i.request.replace(/CERTIFICATE REQUEST/g, 'CERTIFICATE'),
    NOT_A_REQUEST_BLOCK,
    'wrong-pem-label',
  ),
  {
    name: 'PEM headers',
    input: (i) => withPemHeaders(i.request),
    kube: 'accepts',
    ours: 'pem-headers',
    differs: 'headers could hide content or mark an encrypted block (README: pem-headers)',
  },
  {
    name: 'two request blocks',
    input: (i) => i.request + i.request,
    kube: 'accepts',
    ours: 'multiple-blocks',
    differs: 'kube-apiserver silently reads only the first; ambiguous (README: multiple-blocks)',
  },
  {
    name: 'the request, then its private key',
    input: (i) => i.request + i.privateKeyPem,
    kube: 'accepts',
    ours: 'multiple-blocks',
    differs: 'kube-apiserver ignores the key block, which would send a secret to the cluster (README: multiple-blocks)',
  },
  rejected(
    'the private key, then the request',
    (i) => i.privateKeyPem + i.request,
    NOT_A_REQUEST_BLOCK,
    'wrong-pem-label',
  ),
  rejected('every line indented (a yaml paste)', (i) => indented(i.request), NOT_A_REQUEST_BLOCK, 'malformed-pem'),
  rejected('only the BEGIN line indented', (i) => `  ${i.request}`, NOT_A_REQUEST_BLOCK, 'malformed-pem'),
  rejected(
    'only the END line indented',
    (i) => i.request.replace('-----END', '  -----END'),
    NOT_A_REQUEST_BLOCK,
    'malformed-pem',
  ),
  rejected('BEGIN in the middle of a line', (i) => `spec.request: ${i.request}`, NOT_A_REQUEST_BLOCK, 'malformed-pem'),
  rejected('a UTF-8 byte order mark', (i) => withBom(i.request), NOT_A_REQUEST_BLOCK, 'malformed-pem'),
  rejected('a character that is not base64', (i) => badBase64(i.request), NOT_A_REQUEST_BLOCK, 'bad-base64'),
  rejected(
    'a base64 body one character short',
    (i) => i.request.replace(/.\n-----END/, '\n-----END'),
    NOT_A_REQUEST_BLOCK,
    'bad-base64',
  ),
  {
    name: 'a block with bad base64, then a whole request',
    input: (i) => badBase64(i.request) + i.request,
    kube: 'accepts',
    ours: 'multiple-blocks',
    differs:
      "Go's pem.Decode skips the damaged block and reads the next one; we report two blocks (README: multiple-blocks)",
  },
  {
    name: 'a block without its END line, then a whole request',
    input: (i) => withoutEnd(i.request) + i.request,
    kube: 'accepts',
    ours: 'malformed-pem',
    differs:
      "Go's pem.Decode skips the cut block; we report it (pem.ts: structural damage Go would skip is an error here)",
  },
  rejected('nothing', () => '', NOT_A_REQUEST_BLOCK, 'empty-input'),
  rejected(
    'DER without armour, as text',
    (i) => derOf(i.request).toString('latin1'),
    NOT_A_REQUEST_BLOCK,
    'no-pem-armor',
  ),
  {
    name: 'DER without armour, as a Buffer',
    input: (i) => derOf(i.request),
    kube: { invalid: NOT_A_REQUEST_BLOCK },
    ours: 'accepts',
    differs:
      'README: a Buffer that starts with 0x30 and has no BEGIN line is read as DER (for files); what we send is ' +
      'the re-armoured `pem`, which kube-apiserver accepts (checked below)',
  },
  // Size.
  ...ourSizeLimit<RequestInputs>(
    MAX_CERTIFICATE_REQUEST_BYTES,
    (i) => i.request,
    'a request is under 4 KiB; 64 KiB stops a wrong file early (README: MAX_CERTIFICATE_REQUEST_BYTES)',
  ),
  {
    name: `${REQUEST_BODY_OVER_LIMIT_BYTES} bytes, whose base64 puts the HTTP body just over kube-apiserver's 3 MiB limit`,
    input: (i) => paddedTo(i.request, REQUEST_BODY_OVER_LIMIT_BYTES),
    kube: { status: 413, reason: 'RequestEntityTooLarge' },
    ours: 'oversized-input',
  },
];

describe('spec.request: verifyCertificateRequest vs the real kube-apiserver (server-side dry run)', () => {
  const api = sharedKubeConfig().makeApiClient(CertificatesV1Api);
  const prefix = `pki-parity-${uniqueSuffix()}`;
  let inputs: RequestInputs;
  let sequence = 0;

  before(async () => {
    const keys = await Promise.all(KEY_TYPES.map((keyType) => generateKey(keyType)));
    const ofKeyType = new Map<KeyType | 'ecdsa-p224', string>(
      keys.map((key) => [key.keyType, createCertificateRequest({ privateKey: key.privateKey, ...SUBJECT })]),
    );
    const p224 = generateKeyPairSync('ec', { namedCurve: 'P-224' });
    ofKeyType.set('ecdsa-p224', createCertificateRequest({ privateKey: p224.privateKey, ...SUBJECT }));
    const p256 = keys.find((key) => key.keyType === 'ecdsa-p256');
    assert.ok(p256);
    const tmp = await scratchDir();
    try {
      const dsaParams = ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048'];
      await opensslOk([...dsaParams, '-out', 'dsa.params'], tmp.dir);
      const names = Object.keys(OPENSSL_REQUESTS) as OpensslRequest[];
      const made = await Promise.all(
        names.map(async (name, index) => {
          const args = ['req', '-new', '-nodes', ...OPENSSL_REQUESTS[name], '-keyout', `${index}.key`];
          await opensslOk(args.concat(['-subj', '/O=example cluster/CN=parity-user', '-out', `${index}.csr`]), tmp.dir);
          return [name, await tmp.read(`${index}.csr`)] as const;
        }),
      );
      inputs = {
        request: ofKeyType.get('ecdsa-p256') ?? '',
        rsaRequest: ofKeyType.get('rsa-2048') ?? '',
        privateKeyPem: p256.privateKeyPem,
        ofKeyType,
        openssl: Object.fromEntries(made) as Record<OpensslRequest, string>,
      };
    } finally {
      await tmp.dispose();
    }
  });

  after(async () => {
    assert.deepEqual(await csrNamesWithPrefix(sharedKubeConfig(), prefix), [], 'a dry run stored an object');
  });

  function submit(request: string | Buffer): Promise<KubeAnswer> {
    const body: V1CertificateSigningRequest = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: `${prefix}-${sequence++}` },
      spec: { request: Buffer.from(request).toString('base64'), signerName: CLIENT_SIGNER, usages: ['client auth'] },
    };
    return kubeAnswer(() => api.createCertificateSigningRequest({ body, dryRun: 'All' }));
  }

  for (const c of REQUEST_CASES) {
    it(`GIVEN spec.request with ${c.name} WHEN kube-apiserver and verifyCertificateRequest check it THEN ${expectation(c)}`, async () => {
      assertDifferenceDocumented(c);
      const input = c.input(inputs);
      assertKube(await submit(input), c.kube, 'spec.request');
      const ours = ourAnswer(() => verifyCertificateRequest(input));
      assert.equal(ours.verdict, c.ours, 'message' in ours ? ours.message : 'we accepted it');
      if ('value' in ours) {
        // What we would send is the canonical re-armoured block: kube-apiserver must take it too.
        assertKube(await submit(ours.value.pem), 'accepts', 'spec.request');
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// status.certificate
// ---------------------------------------------------------------------------------------------------------------

type ChainInputs = TestPki & { readonly request: string };

const CERTIFICATE_LABEL = 'CERTIFICATE';
const NO_CERTIFICATE_BLOCK = /^must contain at least one CERTIFICATE PEM block$/;

const CHAIN_CASES: readonly ParityCase<ChainInputs>[] = [
  { name: 'the leaf alone', input: (p) => p.leaf, kube: 'accepts', ours: 'accepts' },
  { name: 'leaf and intermediate', input: (p) => p.leaf + p.intermediate, kube: 'accepts', ours: 'accepts' },
  accepted('CRLF line endings', (p) => (p.leaf + p.intermediate).replace(/\n/g, '\r\n')),
  accepted('text before, between and after the blocks', (p) => `issued:\n${p.leaf}chain:\n${p.intermediate}end\n`),
  {
    name: 'a flipped byte in the signature (neither checks signatures here)',
    input: (p) =>
      tampered(p.leaf, CERTIFICATE_LABEL, (der) => {
        der[der.length - 2] ^= 0x01;
      }),
    kube: 'accepts',
    ours: 'accepts',
  },
  rejected('lone CR line breaks', (p) => p.leaf.replace(/\n/g, '\r'), NO_CERTIFICATE_BLOCK, 'malformed-pem'),
  rejected('PEM headers', (p) => withPemHeaders(p.leaf), /^no PEM block headers are permitted$/, 'pem-headers'),
  rejected(
    'the request block after the leaf',
    (p) => p.leaf + p.request,
    /^only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"$/,
    'wrong-pem-label',
  ),
  rejected(
    'the private key after the leaf',
    (p) => p.leaf + p.leafKey.privateKeyPem,
    /^only CERTIFICATE PEM blocks are allowed, found "PRIVATE KEY"$/,
    'wrong-pem-label',
  ),
  rejected(
    "OpenSSL's TRUSTED CERTIFICATE label",
    (p) => p.leaf.replace(/CERTIFICATE/g, 'TRUSTED CERTIFICATE'),
    /^only CERTIFICATE PEM blocks are allowed, found "TRUSTED CERTIFICATE"$/,
    'wrong-pem-label',
  ),
  rejected('a UTF-8 byte order mark', (p) => withBom(p.leaf), NO_CERTIFICATE_BLOCK, 'malformed-pem'),
  rejected('every line indented', (p) => indented(p.leaf), NO_CERTIFICATE_BLOCK, 'malformed-pem'),
  rejected('BEGIN in the middle of a line', (p) => `certificate: ${p.leaf}`, NO_CERTIFICATE_BLOCK, 'malformed-pem'),
  rejected('a character that is not base64', (p) => badBase64(p.leaf), NO_CERTIFICATE_BLOCK, 'bad-base64'),
  rejected(
    'truncated DER (last 10 bytes cut, re-armoured)',
    (p) => tampered(p.leaf, CERTIFICATE_LABEL, (der) => der.subarray(0, der.length - 10)),
    /^x509: malformed certificate$/,
    'truncated-der',
  ),
  rejected(
    'DER that is not a certificate',
    () => armour(Buffer.from('3003020101', 'hex'), CERTIFICATE_LABEL),
    /^x509: malformed tbs certificate$/,
    'malformed-der',
  ),
  rejected(
    'an empty block',
    () => '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
    /^found CERTIFICATE PEM block containing 0 certificates$/,
    'truncated-der',
  ),
  rejected('no block', () => 'nothing here\n', NO_CERTIFICATE_BLOCK, 'no-pem-armor'),
  rejected(
    'DER without armour, as text',
    (p) => derOf(p.leaf).toString('latin1'),
    NO_CERTIFICATE_BLOCK,
    'no-pem-armor',
  ),
  {
    name: 'two certificates in one block',
    input: (p) => armour(Buffer.concat([derOf(p.leaf), derOf(p.intermediate)]), CERTIFICATE_LABEL),
    kube: 'accepts',
    ours: 'malformed-der',
    differs: 'each block must hold exactly one certificate (README: certificate chains)',
  },
  {
    name: 'the leaf, then a block with bad base64',
    input: (p) => p.leaf + badBase64(p.intermediate),
    kube: 'accepts',
    ours: 'bad-base64',
    differs: "Go's pem.Decode skips the damaged block (pem.ts: structural damage Go would skip is an error here)",
  },
  {
    name: 'the leaf, then an indented block',
    input: (p) => p.leaf + indented(p.intermediate),
    kube: 'accepts',
    ours: 'malformed-pem',
    differs: "Go's pem.Decode reads the indented block as text (pem.ts: a BEGIN line must start a line)",
  },
  {
    name: 'a block without its END line, then a whole certificate',
    input: (p) => withoutEnd(p.leaf) + p.intermediate,
    kube: 'accepts',
    ours: 'malformed-pem',
    differs: "Go's pem.Decode skips the cut block (pem.ts: structural damage Go would skip is an error here)",
  },
  ...ourSizeLimit<ChainInputs>(
    MAX_CERTIFICATE_CHAIN_BYTES,
    (p) => p.leaf,
    'README: MAX_CERTIFICATE_CHAIN_BYTES, the ClusterTrustBundle limit of kube-apiserver',
  ),
];

describe('status.certificate: parseCertificateChain vs the real kube-apiserver (dry-run /status update)', () => {
  const api = sharedKubeConfig().makeApiClient(CertificatesV1Api);
  const name = `pki-parity-status-${uniqueSuffix()}`;
  let inputs: ChainInputs | undefined;
  let created: V1CertificateSigningRequest | undefined;
  let approved: V1CertificateSigningRequest | undefined;

  before(async () => {
    const pki = await makePki();
    const key = await generateKey('ecdsa-p256');
    const request = createCertificateRequest({ privateKey: key.privateKey, ...SUBJECT });
    inputs = { ...pki, request };
    // A real (stored) request for a signer nobody runs, approved, so that only our dry runs write its status.
    created = await api.createCertificateSigningRequest({
      body: {
        metadata: { name },
        spec: {
          request: Buffer.from(request).toString('base64'),
          signerName: UNSIGNED_SIGNER,
          usages: ['client auth'],
        },
      },
    });
    approved = await api.replaceCertificateSigningRequestApproval({
      name,
      body: {
        ...created,
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'PkiParity', message: 'test' }] },
      },
    });
  });

  after(async () => {
    try {
      if (created) {
        const stored = await api.readCertificateSigningRequest({ name });
        await api.deleteCertificateSigningRequest({ name });
        assert.equal(stored.status?.certificate, undefined, 'a dry run stored a certificate');
      }
    } finally {
      await inputs?.tmp.dispose();
    }
  });

  for (const c of CHAIN_CASES) {
    it(`GIVEN status.certificate with ${c.name} WHEN kube-apiserver and parseCertificateChain check it THEN ${expectation(c)}`, async () => {
      assertDifferenceDocumented(c);
      assert.ok(inputs && approved);
      const input = c.input(inputs);
      assert.equal(typeof input, 'string');
      const certificate = Buffer.from(input).toString('base64');
      const body: V1CertificateSigningRequest = { ...approved, status: { ...approved.status, certificate } };
      const answer = await kubeAnswer(() => api.replaceCertificateSigningRequestStatus({ name, body, dryRun: 'All' }));
      assertKube(answer, c.kube, 'status.certificate');
      const ours = ourAnswer(() => parseCertificateChain(input.toString()));
      assert.equal(ours.verdict, c.ours, 'message' in ours ? ours.message : 'we accepted it');
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// What Go reads from our requests
// ---------------------------------------------------------------------------------------------------------------

describe("kube-controller-manager's signer (Go crypto/x509) reads our requests as we do", () => {
  const params = {
    ...SUBJECT,
    dnsNames: ['worker-1.example.com'],
    ipAddresses: ['10.0.0.5', 'fd00::5'],
    uris: ['spiffe://cluster.local/ns/default/sa/worker'],
    emailAddresses: ['ops@example.com'],
  };
  // OpenSSL's rendering (Node's X509Certificate), an independent reader of what the signer copied.
  const opensslSans = [
    'DNS:worker-1.example.com',
    'IP Address:10.0.0.5',
    'IP Address:FD00:0:0:0:0:0:0:5',
    'URI:spiffe://cluster.local/ns/default/sa/worker',
    'email:ops@example.com',
  ].sort();

  for (const keyType of [...KEY_TYPES, 'ecdsa-p224'] as const) {
    it(`GIVEN our ${keyType} request with every kind of SAN WHEN the signer issues it THEN the certificate holds the subject and SANs we parse`, async () => {
      const privateKey =
        keyType === 'ecdsa-p224'
          ? generateKeyPairSync('ec', { namedCurve: 'P-224' }).privateKey
          : (await generateKey(keyType)).privateKey;
      const request = createCertificateRequest({ privateKey, ...params });
      const parsed = verifyCertificateRequest(request);
      const issued = await openCertificateSigningRequest(
        {
          metadata: { name: `pki-parity-signed-${keyType}-${uniqueSuffix()}` },
          spec: { request, signerName: CLIENT_SIGNER, usages: ['client auth'] },
        },
        { kubeconfig: sharedKubeconfigPath(), timeoutMs: 60_000 },
      );
      const leaf = issued.chain.leaf;
      assert.equal(leaf.subject.commonName, parsed.subject.commonName);
      // Go writes all organizations into one RDN, a DER SET OF, which sorts them: groups are a set to Kubernetes.
      assert.deepEqual(leaf.subject.organizations, [...parsed.subject.organizations].sort());
      assert.deepEqual(leaf.subjectAltNames, parsed.subjectAltNames);
      assert.deepEqual(parsed.subject.organizations, [...SUBJECT.organizations]);
      assert.deepEqual(parsed.subjectAltNames, {
        dnsNames: params.dnsNames,
        ipAddresses: params.ipAddresses,
        uris: params.uris,
        emailAddresses: params.emailAddresses,
      });
      const x509 = new X509Certificate(issued.leafPem);
      assert.deepEqual((x509.subjectAltName ?? '').split(', ').sort(), opensslSans);
      // One multi-valued RDN, as Go wrote it.
      assert.deepEqual(x509.subject.split('\n').sort(), ['CN=parity-user', 'O=devs + O=example cluster']);
      assert.ok(x509.publicKey.equals(parsed.publicKey), 'the certificate is for the request key');
    });
  }
});
