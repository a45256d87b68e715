import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { CsrRuntimeError } from './errors.js';

/** What goes into the kubeconfig written for a new user. */
export interface UserKubeconfigParams {
  /** The cluster entry: the current context's cluster of the kubeconfig used to issue the certificate. */
  readonly kubeConfig: KubeConfig;
  /** The users entry's name, and the user the certificate is for. */
  readonly userName: string;
  /** The contexts entry's name. */
  readonly contextName: string;
  /** The context's default namespace. @default - none */
  readonly namespace?: string;
  /** The client certificate (leaf first, then intermediates), PEM. */
  readonly certificatePem: string;
  /** The private key, PEM. */
  readonly privateKeyPem: string;
}

const q = (value: string): string => JSON.stringify(value); // a JSON string is a YAML double-quoted scalar
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * The CA of the current cluster as base64 PEM (certificate-authority-data), read from the file when needed;
 * undefined when the kubeconfig names none (the system's trust store verifies the server).
 *
 * @throws CsrRuntimeError `kubeconfig` when the certificate-authority file cannot be read
 */
export function clusterCaData(kc: KubeConfig): string | undefined {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return undefined;
  if (cluster.caData) return cluster.caData;
  if (!cluster.caFile) return undefined;
  try {
    return readFileSync(cluster.caFile).toString('base64');
  } catch (error) {
    throw new CsrRuntimeError(
      'kubeconfig',
      `cannot read the certificate-authority file ${cluster.caFile} of cluster "${cluster.name}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * A kubeconfig (YAML) with one cluster (same server, CA, TLS server name and proxy as the current context's),
 * one user with the embedded client certificate and key, and one context that is current: what
 * `kubectl config set-credentials --embed-certs` and `kubectl config set-context` build.
 *
 * @throws CsrRuntimeError `kubeconfig` when the kubeconfig names no current cluster or its CA file cannot be read
 */
export function userKubeconfigYaml(params: UserKubeconfigParams): string {
  const cluster = params.kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new CsrRuntimeError('kubeconfig', 'the kubeconfig names no current cluster: choose a context that has one');
  }
  const caData = clusterCaData(params.kubeConfig);
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(cluster.name)}`,
    '  cluster:',
    `    server: ${q(cluster.server)}`,
    ...(caData ? [`    certificate-authority-data: ${q(caData)}`] : []),
    ...(cluster.tlsServerName ? [`    tls-server-name: ${q(cluster.tlsServerName)}`] : []),
    ...(cluster.skipTLSVerify ? ['    insecure-skip-tls-verify: true'] : []),
    ...(cluster.proxyUrl ? [`    proxy-url: ${q(cluster.proxyUrl)}`] : []),
    'users:',
    `- name: ${q(params.userName)}`,
    '  user:',
    `    client-certificate-data: ${q(b64(params.certificatePem))}`,
    `    client-key-data: ${q(b64(params.privateKeyPem))}`,
    'contexts:',
    `- name: ${q(params.contextName)}`,
    '  context:',
    `    cluster: ${q(cluster.name)}`,
    `    user: ${q(params.userName)}`,
    ...(params.namespace ? [`    namespace: ${q(params.namespace)}`] : []),
    `current-context: ${q(params.contextName)}`,
    'preferences: {}',
  ];
  return `${lines.join('\n')}\n`;
}
