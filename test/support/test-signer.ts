import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificatesV1Api, type KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import { parseCertificateRequest, type PublicKeyInfo } from '../../src/pki/index.js';

function isApproved(csr: V1CertificateSigningRequest): boolean {
  return csr.status?.conditions?.some((c) => c.type === 'Approved' && c.status === 'True') ?? false;
}

function isFailed(csr: V1CertificateSigningRequest): boolean {
  return csr.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True') ?? false;
}

/** What a {@link TestSigner} refuses, as a signer whose CA cannot sign some key algorithms does. */
export interface TestSignerPolicy {
  /** Key algorithms it refuses: the request is marked Failed with reason UnsupportedKeyType. @default - none */
  readonly refuseKeyAlgorithms?: readonly PublicKeyInfo['algorithm'][];
}

/**
 * A real, minimal signer for a custom signer name, as a cluster operator would run one (the in-tree signers issue
 * serving certificates only to kubelets): it polls for approved CertificateSigningRequests of its signer name and
 * issues a serverAuth certificate with openssl from its own CA, copying the requested SANs. Test code, not a fake
 * of Kubernetes: the API server, approval and status update are all real.
 */
export class TestSigner {
  private readonly dir = mkdtempSync(join(tmpdir(), 'test-signer-'));
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** Names it issued a certificate for. */
  readonly issued: string[] = [];

  /** Names it marked Failed. */
  readonly refused: string[] = [];

  private constructor(
    private readonly kc: KubeConfig,
    readonly signerName: string,
    private readonly policy: TestSignerPolicy,
  ) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        `/CN=test signer CA for ${signerName.replace(/\//g, ' ')}`,
        '-days',
        '2',
        '-keyout',
        join(this.dir, 'ca.key'),
        '-out',
        join(this.dir, 'ca.crt'),
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      join(this.dir, 'leaf.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
    );
  }

  /** Starts signing requests for `signerName`, polling every `intervalMs`; `policy` says what it refuses. */
  static start(kc: KubeConfig, signerName: string, intervalMs = 100, policy: TestSignerPolicy = {}): TestSigner {
    const signer = new TestSigner(kc, signerName, policy);
    signer.timer = setInterval(() => void signer.tick(), intervalMs);
    return signer;
  }

  /** The CA certificate (PEM) it signs with. */
  get caPem(): string {
    return readFileSync(join(this.dir, 'ca.crt'), 'utf8');
  }

  stop(): void {
    clearInterval(this.timer);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const api = this.kc.makeApiClient(CertificatesV1Api);
      const { items } = await api.listCertificateSigningRequest();
      for (const csr of items) {
        if (csr.spec.signerName !== this.signerName || !isApproved(csr) || csr.status?.certificate) continue;
        if (isFailed(csr)) continue;
        const refusal = this.refusalOf(csr);
        if (refusal) await this.fail(api, csr, refusal);
        else await this.sign(api, csr);
      }
    } catch {
      // the next tick tries again (the API server may be restarting)
    } finally {
      this.busy = false;
    }
  }

  /** Why the policy refuses the request, if it does. */
  private refusalOf(csr: V1CertificateSigningRequest): string | undefined {
    const { algorithm } = parseCertificateRequest(Buffer.from(csr.spec.request, 'base64')).publicKeyInfo;
    if (!this.policy.refuseKeyAlgorithms?.includes(algorithm)) return undefined;
    return `${this.signerName} does not sign ${algorithm} keys; use an RSA or ECDSA key`;
  }

  /** Marks the request Failed, as a signer does when it will not issue (the /status subresource, like signing). */
  private async fail(api: CertificatesV1Api, csr: V1CertificateSigningRequest, message: string): Promise<void> {
    const name = csr.metadata?.name ?? '';
    const now = new Date();
    await api.replaceCertificateSigningRequestStatus({
      name,
      body: {
        ...csr,
        status: {
          ...csr.status,
          conditions: [
            ...(csr.status?.conditions ?? []),
            {
              type: 'Failed',
              status: 'True',
              reason: 'UnsupportedKeyType',
              message,
              lastUpdateTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      },
    });
    this.refused.push(name);
  }

  private async sign(api: CertificatesV1Api, csr: V1CertificateSigningRequest): Promise<void> {
    const name = csr.metadata?.name ?? '';
    const requestFile = join(this.dir, `${name}.csr`);
    writeFileSync(requestFile, Buffer.from(csr.spec.request, 'base64'));
    const days = Math.max(1, Math.round((csr.spec.expirationSeconds ?? 86_400) / 86_400));
    const certificate = execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        requestFile,
        '-CA',
        join(this.dir, 'ca.crt'),
        '-CAkey',
        join(this.dir, 'ca.key'),
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        '-days',
        String(days),
        '-copy_extensions',
        'copyall',
        '-extfile',
        join(this.dir, 'leaf.ext'),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    await api.replaceCertificateSigningRequestStatus({
      name,
      body: { ...csr, status: { ...csr.status, certificate: Buffer.from(certificate).toString('base64') } },
    });
    this.issued.push(name);
  }
}
