import { parseGoDuration, type DurationSyntax } from '../../rules/duration.js';

/** The syntax of kubecsr's `timeout` attributes: Terraform's `timeouts` style, ms/s/m/h only. */
export const TIMEOUT_SYNTAX: DurationSyntax = { units: ['ms', 's', 'm', 'h'], numbers: 'plain' };

/**
 * Parses a duration the way Terraform's `timeouts` blocks write them: "90s", "5m", "1h30m", "500ms".
 * Returns undefined when the text is not such a duration.
 */
export function parseDuration(text: string): number | undefined {
  const parsed = parseGoDuration(text, TIMEOUT_SYNTAX);
  return 'ms' in parsed ? parsed.ms : undefined;
}
