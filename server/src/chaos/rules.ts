/**
 * Per-address chaos rules: addresses whose local part names the failure, so that a test picks the
 * failure by picking the recipient, with no API call and no randomness.
 *
 * - `fail-451@any.domain` as a recipient: RCPT TO answers 451. As the sender: MAIL FROM answers 451.
 * - `fail-data-554@any.domain` as a recipient: RCPT TO is accepted, the end of DATA answers 554 and
 *   the message is not stored.
 *
 * The code is any of 400 to 599. A suffix after `+`, `.` or `-` is allowed (`fail-451+signup@x`), so
 * that many tests can use the rule at once and still tell their mail apart.
 */
const RULE = /^fail-(data-)?([45]\d\d)(?:[+.-][^@]*)?@/i;

/** Where a rule applies. */
export type RuleStage = 'address' | 'data';

/** The failure an address asks for, or null. `stage` is `data` for `fail-data-NNN@`. */
export function addressRule(address: string): { stage: RuleStage; code: number } | null {
  const match = RULE.exec(address);
  if (!match) return null;
  return { stage: match[1] ? 'data' : 'address', code: Number(match[2]) };
}
