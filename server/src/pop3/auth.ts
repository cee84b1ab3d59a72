import { createHash, timingSafeEqual } from 'node:crypto';
import type { CredentialChecker } from '../access/credentials';

function equal(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * USER/PASS check, by the one credential rule (plain or bcrypt, the same time for unknown names).
 * With no credentials configured every login succeeds, as SMTP AUTH does, so a mail client set up
 * with any account just works.
 */
export async function checkPassword(
  checker: CredentialChecker | null,
  username: string,
  password: string,
): Promise<boolean> {
  return checker ? checker.verify(username, password) : true;
}

/**
 * APOP check (RFC 1939 section 7): the digest is MD5 of the greeting's timestamp followed by the
 * password, in lower-case hex. Any digest passes when no credentials are configured. A user with a
 * bcrypt hash cannot use APOP (it needs the password itself) and gets the same refusal as an unknown
 * name, after the same work.
 */
export function checkApop(
  checker: CredentialChecker | null,
  username: string,
  digest: string,
  timestamp: string,
): boolean {
  if (!checker) return true;
  const password = checker.plainPassword(username);
  const expected = createHash('md5')
    .update(timestamp + (password ?? '\0no such user'))
    .digest('hex');
  const ok = equal(digest.toLowerCase(), expected);
  return password !== null && ok;
}
