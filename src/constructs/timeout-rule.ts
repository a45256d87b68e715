import { Token } from 'cdktf';
import { parseDuration } from '../provider/values/duration.js';

/**
 * The kubecsr `timeout` rule at synthesis, as the provider applies it: a positive duration in ms, s, m or h. Returns
 * the message for a literal that breaks it; undefined when it is fine, absent or a token.
 */
export function timeoutProblem(timeout: string | undefined): string | undefined {
  // Only a literal string is judged (as before the rule was shared): a token, or a value of another type from plain
  // JavaScript, is left to Terraform.
  if (typeof timeout !== 'string' || Token.isUnresolved(timeout) || (parseDuration(timeout) ?? 0) > 0) return undefined;
  return (
    `timeout must be a positive duration, received ${JSON.stringify(timeout)}; allowed: a number followed by ` +
    'ms, s, m or h, e.g. "90s", "5m" or "1h30m"; fix: write it that way'
  );
}
