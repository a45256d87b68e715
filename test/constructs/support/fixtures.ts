import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import type { App } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { KubeCsrProvider } from '../../../src/constructs/index.js';
import type { KubernetesCertificateSigningRequestV1EphemeralConfig } from '../../../src/constructs/index.js';

/**
 * The EC P-224 CSR of the hashicorp/kubernetes documentation and acceptance test (O=example cluster, CN=admin).
 * Public data, and stable, so snapshots that use it do not change between runs.
 */
export const PROVIDER_DOCS_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIHSMIGBAgEAMCoxGDAWBgNVBAoTD2V4YW1wbGUgY2x1c3RlcjEOMAwGA1UEAxMF
YWRtaW4wTjAQBgcqhkjOPQIBBgUrgQQAIQM6AASSG8S2+hQvfMq5ucngPCzK0m0C
ImigHcF787djpF2QDbz3oQ3QsM/I7ftdjB/HHlG2a5YpqjzT0KAAMAoGCCqGSM49
BAMCA0AAMD0CHQDErNLjX86BVfOsYh/A4zmjmGknZpc2u6/coTHqAhxcR41hEU1I
DpNPvh30e0Js8/DYn2YUfu/pQU19
-----END CERTIFICATE REQUEST-----
`;

export const CSR_TYPE = 'kubernetes_certificate_signing_request_v1';

/** The five dashes of a PEM line: tests build key headers from it, so no file outside test/fixtures has one. */
export const PEM_DASHES = '-'.repeat(5);

/** A fresh temporary directory. */
export function tempDir(prefix = 'constructs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A testing app and a stack with a default kubernetes provider. */
export function stackWithProvider(app: App = Testing.app()): { app: App; stack: TerraformStack } {
  const stack = new TerraformStack(app, 'test');
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
  return { app, stack };
}

/** A testing app and a stack whose only provider is a default kubecsr. */
export function stackWithKubecsr(app: App = Testing.app()): { stack: TerraformStack; kubecsr: KubeCsrProvider } {
  const stack = new TerraformStack(app, 'test');
  const kubecsr = new KubeCsrProvider(stack, 'kubecsr', { configPath: '~/.kube/config' });
  return { stack, kubecsr };
}

/** The provider documentation's ephemeral CSR (name "test", kube-apiserver-client, client auth), with overrides. */
export function docsCsrConfig(
  overrides: Partial<KubernetesCertificateSigningRequestV1EphemeralConfig> = {},
): KubernetesCertificateSigningRequestV1EphemeralConfig {
  return {
    metadata: { name: 'test' },
    spec: { request: PROVIDER_DOCS_CSR, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    autoApprove: true,
    ...overrides,
  };
}

/** Parsed JSON, indexable at any depth (tests assert on the leaves). */
export interface JsonTree {
  readonly [key: string]: JsonTree;
}

/** Testing.synth output parsed. */
export function synthJson(stack: TerraformStack, runValidations = false): JsonTree {
  return JSON.parse(Testing.synth(stack, runValidations)) as JsonTree;
}

/** All regular files under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Substrings that identify a base64 encoding of `bytes` at any alignment (3 offsets, edges trimmed). */
function base64Signatures(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = bytes.subarray(offset).toString('base64').replace(/=+$/, '');
    const inner = b64.slice(1, -2);
    if (inner.length >= 16) out.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * Strings whose presence means the private key of `pemFile` leaked: its PEM body, and its secret components
 * (JWK d, p, q: the private scalar / primes) in hex and in base64 or base64url at any alignment. Public parts (which
 * a CSR legitimately carries) are not included.
 */
export function keySignatures(pemFile: string): string[] {
  const pem = readFileSync(pemFile, 'utf8');
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const jwk = createPrivateKey(pem).export({ format: 'jwk' });
  const secrets = [jwk.d, jwk.p, jwk.q]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Buffer.from(v, 'base64url'));
  return [body, ...secrets.flatMap((bytes) => [bytes.toString('hex'), ...base64Signatures(bytes)])];
}

/** Pieces of key material found in `text`: PEM private key headers, or any signature of the given key files. */
export function keyMaterialIn(text: string, keyFiles: readonly string[]): string[] {
  const found: string[] = [];
  if (/PRIVATE KEY/.test(text)) found.push('a PRIVATE KEY header');
  const flat = text.replace(/\\n|\s/g, '');
  for (const keyFile of keyFiles) {
    const leaked = keySignatures(keyFile).some((signature) =>
      /^[0-9a-f]+$/.test(signature) ? flat.toLowerCase().includes(signature) : flat.includes(signature),
    );
    if (leaked) found.push(`part of ${keyFile}`);
  }
  return found;
}

/** Whether a terraform binary is available (for `terraform fmt` syntax checks of HCL output). */
export function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    return true;
  } catch {
    return false;
  }
}

/** Parses HCL with `terraform fmt -`; throws with terraform's message on a syntax error. */
export function terraformFmt(hcl: string): string {
  return execFileSync('terraform', ['fmt', '-no-color', '-'], {
    input: hcl,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
