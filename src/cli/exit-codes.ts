/**
 * The exit codes of `kube-csr`, stable across releases so that scripts can branch on them. `kube-csr --help` prints
 * this table.
 */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** It failed: API error, unreachable cluster, bad input file, a file it refuses to overwrite... */
  failure: 1,
  /** The command line is wrong: unknown command or flag, missing or invalid value. Nothing was done. */
  usage: 2,
  /** The CertificateSigningRequest was denied. */
  denied: 3,
  /** No certificate was issued within --timeout. */
  timeout: 4,
  /** Interrupted by SIGINT (Ctrl-C) or SIGTERM; the CertificateSigningRequest was deleted first. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code table as help text. */
export const EXIT_CODES_HELP = `Exit codes:
  ${EXIT_CODES.ok}    ok
  ${EXIT_CODES.failure}    failure (API error, unreachable cluster, invalid input file, file exists...)
  ${EXIT_CODES.usage}    usage error (unknown command or flag, missing or invalid value); nothing was done
  ${EXIT_CODES.denied}    the CertificateSigningRequest was denied
  ${EXIT_CODES.timeout}    timed out waiting for the certificate
  ${EXIT_CODES.interrupted}  interrupted (Ctrl-C / SIGTERM); the CertificateSigningRequest was deleted first`;
