import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiException, CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError, type CsrRuntimeErrorCode } from './errors.js';

/** How to reach the cluster, the way kubectl does it. */
export interface ClusterConnectionOptions {
  /**
   * A loaded KubeConfig; takes precedence over `kubeconfig` and `context`.
   * @default - loaded from `kubeconfig`, else KUBECONFIG, else ~/.kube/config, else the in-cluster service account
   */
  readonly kubeConfig?: KubeConfig;
  /**
   * Path of a kubeconfig file (like kubectl --kubeconfig).
   * @default - KUBECONFIG, else ~/.kube/config, else the in-cluster service account
   */
  readonly kubeconfig?: string;
  /**
   * The kubeconfig context to use (like kubectl --context).
   * @default - the kubeconfig's current-context
   */
  readonly context?: string;
}

/** Loads the kubeconfig as kubectl would; fails with a `kubeconfig` error that says which file and why. */
export function loadKubeConfig(options: ClusterConnectionOptions = {}): KubeConfig {
  if (options.kubeConfig) return options.kubeConfig;
  const kc = new KubeConfig();
  const source = options.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config (or in-cluster)';
  const anySource =
    options.kubeconfig ||
    process.env.KUBECONFIG ||
    existsSync(join(homedir(), '.kube', 'config')) ||
    process.env.KUBERNETES_SERVICE_HOST;
  if (!anySource) {
    // client-node would quietly fall back to http://localhost:8080, which is never what anyone meant.
    throw new CsrRuntimeError(
      'kubeconfig',
      'no kubeconfig found: pass --kubeconfig (or the kubeconfig option), set KUBECONFIG, or create ~/.kube/config',
    );
  }
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new CsrRuntimeError('kubeconfig', `could not load the kubeconfig ${source}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new CsrRuntimeError(
        'kubeconfig',
        `context "${options.context}" is not in ${source}; it has ${known.length ? known.join(', ') : 'no contexts'}`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new CsrRuntimeError(
      'kubeconfig',
      `the kubeconfig ${source} names no cluster for context "${kc.getCurrentContext()}": set current-context or pass a context`,
    );
  }
  return kc;
}

/** The API server URL the kubeconfig points at, for messages. */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '(no server)';
}

/** A client of certificates.k8s.io/v1. */
export function certificatesApi(kc: KubeConfig): CertificatesV1Api {
  return kc.makeApiClient(CertificatesV1Api);
}

/** The API's Status body of a failed call, when there is one. */
export interface ApiStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string }[] };
}

/**
 * The HTTP status of an API exception (also when wrapped in a CsrRuntimeError as its cause), or undefined for network
 * errors and others.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (CsrRuntimeError.isCsrRuntimeError(error)) return httpStatusOf(error.cause);
  return error instanceof ApiException ? error.code : undefined;
}

/** The Status object the API server sent with an error, parsed from the exception body. */
export function apiStatusOf(error: unknown): ApiStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as ApiStatus;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? body : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Whether an error means the server was not reached at all (refused, reset, DNS, TLS), as opposed to an API answer;
 * a CsrRuntimeError is judged by its cause.
 */
export function isNetworkError(error: unknown): boolean {
  if (CsrRuntimeError.isCsrRuntimeError(error)) return isNetworkError(error.cause);
  if (error instanceof ApiException || !(error instanceof Error)) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  const text = [code, type, error.message].filter((part) => typeof part === 'string').join(' ');
  return /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EPIPE|socket hang up|request-timeout|system|certificate|self.signed/i.test(
    text,
  );
}

/**
 * Turns an error of an API call into a CsrRuntimeError whose message names the operation, the object and the cause
 * in one line (never the raw HTTP body). `what` describes the operation, e.g. `create CertificateSigningRequest "x"`.
 */
export function toRuntimeError(
  error: unknown,
  what: string,
  context: { readonly kc: KubeConfig; readonly csrName?: string; readonly signerName?: string },
): CsrRuntimeError {
  if (CsrRuntimeError.isCsrRuntimeError(error)) return error;
  const base = { cause: error, csrName: context.csrName, signerName: context.signerName };
  if (isNetworkError(error)) {
    return new CsrRuntimeError(
      'unreachable',
      `could not ${what}: the API server ${serverOf(context.kc)} is unreachable (${messageOf(error)}); check that the cluster runs and the kubeconfig points at it`,
      base,
    );
  }
  const status = httpStatusOf(error);
  const apiStatus = apiStatusOf(error);
  const serverMessage = apiStatus?.message ? `: ${apiStatus.message}` : '';
  let code: CsrRuntimeErrorCode = 'api-error';
  let hint = '';
  if (status === 401) {
    code = 'forbidden';
    hint = '; the kubeconfig credentials were not accepted (expired or wrong certificate or token)';
  } else if (status === 403) {
    code = 'forbidden';
    hint = '; grant the missing RBAC permission to the identity in the kubeconfig';
  } else if (status === 422 || status === 400) {
    code = 'invalid-object';
    const causes = apiStatus?.details?.causes ?? [];
    if (causes.length > 0) hint = ` (${causes.map((c) => `${c.field ?? '?'}: ${c.message ?? '?'}`).join('; ')})`;
  }
  if (status === undefined) {
    return new CsrRuntimeError(code, `could not ${what}: ${messageOf(error)}`, base);
  }
  return new CsrRuntimeError(code, `could not ${what}: HTTP ${status}${serverMessage}${hint}`, base);
}
