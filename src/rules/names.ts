/**
 * Name rules as the Kubernetes API server applies them (k8s.io/apimachinery/pkg/util/validation and
 * k8s.io/apimachinery/pkg/api/validation), reimplemented as pure functions. Each returns the list of problems found,
 * empty when the value is valid. Messages are lowercase fragments meant to follow the field name.
 */

/** Maximum length of a DNS-1123 subdomain (metadata.name of a CertificateSigningRequest). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Maximum length of a DNS-1123 label. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/**
 * Kubernetes keeps at most this many characters of `generateName` before appending its 5 random characters
 * (apiserver SimpleNameGenerator: 63 - 5).
 */
export const GENERATE_NAME_KEPT_PREFIX_LENGTH = 58;
/** Maximum length of a signerName: a 253-character domain, '/', and a 317-character path (253 + 63 + 1). */
export const SIGNER_NAME_MAX_LENGTH = 571;

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);

/** Problems with `value` as a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.', at most 253 characters). */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length === 0) {
    return ['must not be empty'];
  }
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    problems.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters (got ${value.length})`);
  }
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    problems.push(
      "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

/** Problems with `value` as a DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters). */
export function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length === 0) {
    return ['must not be empty'];
  }
  if (value.length > DNS1123_LABEL_MAX_LENGTH) {
    problems.push(`must be no more than ${DNS1123_LABEL_MAX_LENGTH} characters (got ${value.length})`);
  }
  if (!DNS1123_LABEL_RE.test(value)) {
    problems.push(
      "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

/**
 * Problems with `prefix` as `metadata.generateName`. Kubernetes validates a prefix like a name after masking a
 * trailing '-' (apimachinery maskTrailingDash), so `csr-` is valid while `-csr` is not. The mask reproduces the
 * upstream quirk verbatim (it replaces the last two characters with 'a'), so the same prefixes pass as on a server.
 */
export function generateNamePrefixProblems(prefix: string): string[] {
  const masked = prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -2)}a` : prefix;
  return dns1123SubdomainProblems(masked);
}

/**
 * Problems with `value` as a CSR signerName, following apiserver ValidateSignerName: exactly one '/', a domain of at
 * least two DNS-1123 labels (at most 253 characters) before it, a path of '.'-separated DNS-1123 subdomains after it,
 * at most 571 characters in all.
 */
export function signerNameProblems(value: string): string[] {
  if (value.length === 0) {
    return ['must not be empty'];
  }
  const segments = value.split('/');
  if (segments.length !== 2) {
    return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"];
  }
  const [domain, path] = segments as [string, string];
  const problems: string[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    problems.push(`domain part must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  }
  const domainLabels = domain.split('.');
  for (const label of domainLabels) {
    const labelProblems = dns1123LabelProblems(label);
    if (labelProblems.length > 0) {
      problems.push(`domain label ${JSON.stringify(label)} ${labelProblems.join(' and ')}`);
      break;
    }
  }
  if (domainLabels.length < 2) {
    problems.push(
      `domain part ${JSON.stringify(domain)} should be a domain with at least two segments separated by dots`,
    );
  }
  for (const label of path.split('.')) {
    const labelProblems = dns1123SubdomainProblems(label);
    if (labelProblems.length > 0) {
      problems.push(`path label ${JSON.stringify(label)} ${labelProblems.join(' and ')}`);
      break;
    }
  }
  if (value.length > SIGNER_NAME_MAX_LENGTH) {
    problems.push(`must be no more than ${SIGNER_NAME_MAX_LENGTH} characters (got ${value.length})`);
  }
  return problems;
}

/** True when the signerName is reserved by the Kubernetes project (domain kubernetes.io or *.kubernetes.io). */
export function isKubernetesSignerName(signerName: string): boolean {
  const host = signerName.split('/', 1)[0] ?? '';
  return host === 'kubernetes.io' || host.endsWith('.kubernetes.io');
}

/**
 * Turns arbitrary text into a DNS-1123 subdomain usable as metadata.name: lowercase, runs of invalid characters
 * become '-', trimmed to `maxLength` and to alphanumeric ends. Returns `fallback` when nothing usable is left.
 */
export function toDns1123Subdomain(text: string, maxLength = DNS1123_SUBDOMAIN_MAX_LENGTH, fallback = 'csr'): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.')
    .slice(0, maxLength)
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[^a-z0-9]+$/, '');
  return cleaned.length > 0 ? cleaned : fallback;
}

/** metadata.generateName when a request names neither a name nor a prefix: the runtime's and the provider's default. */
export const DEFAULT_GENERATE_NAME = 'kube-csr-';

/**
 * The metadata.generateName of the CertificateSigningRequests kubecsr makes for its key-generating types
 * (kubecsr_certificate, kubecsr_client_identity): `kubecsr-<common name as a DNS-1123 subdomain>-`, so the
 * API server completes it to a unique name per Open.
 */
export function kubecsrGenerateName(commonName: string | undefined): string {
  return `kubecsr-${toDns1123Subdomain(commonName ?? '', 40, 'certificate')}-`;
}
