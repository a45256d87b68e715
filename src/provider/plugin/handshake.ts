/** go-plugin's magic cookie for Terraform providers: proof that Terraform, not a person, started the executable. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
/** The cookie's value, the same for every Terraform provider. */
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** go-plugin's core protocol version and the plugin protocol served. */
export const CORE_PROTOCOL_VERSION = 1;
export const PLUGIN_PROTOCOL_VERSION = 6;

/** What a person sees when they run the provider by hand. */
export const NOT_STARTED_BY_TERRAFORM =
  'This is kubecsr, a Terraform provider (plugin protocol 6): Terraform starts it, not you. ' +
  'Install it with `kube-csr provider install`, then use provider "kubecsr" in a configuration.';

/** Why the provider cannot serve this Terraform, or undefined when it can. */
export function launchProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return NOT_STARTED_BY_TERRAFORM;
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(PLUGIN_PROTOCOL_VERSION)).split(',').map((v) => v.trim());
  if (!versions.includes(String(PLUGIN_PROTOCOL_VERSION))) {
    return `kubecsr speaks plugin protocol ${PLUGIN_PROTOCOL_VERSION}, this Terraform offers ${versions.join(', ')}: use Terraform >= 1.10`;
  }
  if (!env.PLUGIN_CLIENT_CERT) {
    return 'Terraform did not send PLUGIN_CLIENT_CERT; kubecsr serves only over mutual TLS (Terraform >= 1.10 sends it)';
  }
  return undefined;
}

/**
 * The line go-plugin reads from the plugin's stdout: core version, protocol version, network, address, "grpc", and
 * the server certificate as base64 DER without padding (Go's RawStdEncoding; padded text fails to decode there).
 */
export function handshakeLine(socketPath: string, certificateDer: Buffer): string {
  const certificate = certificateDer.toString('base64').replace(/=+$/, '');
  return `${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|unix|${socketPath}|grpc|${certificate}\n`;
}
