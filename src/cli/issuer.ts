import type { KubeConfig } from '@kubernetes/client-node';
import { CERT_MANAGER_ISSUER_KINDS, MIN_CERT_MANAGER_DURATION_MS, type CertManagerIssuerKind } from '../rules/index.js';
import { UsageError } from './errors.js';

/** A cert-manager issuer named by `--issuer KIND/NAME`. */
export interface IssuerFlag {
  readonly kind: CertManagerIssuerKind;
  readonly name: string;
}

/** The usages of a client certificate, as cert-manager names them. */
export const CLIENT_CERTIFICATE_USAGES = ['digital signature', 'key encipherment', 'client auth'] as const;

/** The shortest --expiration cert-manager takes, for the flag's limits. */
export const MIN_ISSUER_EXPIRATION_MS = MIN_CERT_MANAGER_DURATION_MS;

/** Parses `--issuer ClusterIssuer/NAME` or `--issuer Issuer/NAME`. */
export function parseIssuerFlag(command: string, value: string): IssuerFlag {
  const [kind = '', name = '', ...rest] = value.split('/');
  const allowed = 'ClusterIssuer/NAME, or Issuer/NAME with --namespace';
  if (rest.length > 0 || name === '' || !(CERT_MANAGER_ISSUER_KINDS as readonly string[]).includes(kind)) {
    const hint = (CERT_MANAGER_ISSUER_KINDS as readonly string[]).find((k) => k.toLowerCase() === kind.toLowerCase());
    throw new UsageError(
      `invalid value ${JSON.stringify(value)} for --issuer: ${hint && name ? `the kind is spelled ${hint}` : 'not KIND/NAME'}; allowed: ${allowed}`,
      command,
    );
  }
  return { kind: kind as CertManagerIssuerKind, name };
}

/** The namespace the CertificateRequest goes to: --namespace, else the context's namespace, else default. */
export function certificateRequestNamespace(kc: KubeConfig, namespaceFlag: string | undefined): string {
  if (namespaceFlag !== undefined) return namespaceFlag;
  const context = kc.getContextObject(kc.getCurrentContext());
  return context?.namespace ?? 'default';
}
