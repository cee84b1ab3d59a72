import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credential } from '../config';

function equal(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * USER/PASS check. With no credentials configured every login succeeds, as SMTP AUTH does, so a mail
 * client set up with any account just works.
 */
export function checkPassword(credentials: Credential[] | null, username: string, password: string): boolean {
  if (!credentials) return true;
  const user = credentials.find((c) => c.username === username);
  // Compare even for an unknown user so that the answer takes as long.
  const ok = equal(password, user?.password ?? '\0no such user');
  return user !== undefined && ok;
}

/**
 * APOP check (RFC 1939 section 7): the digest is MD5 of the greeting's timestamp followed by the
 * password, in lower-case hex. Any digest passes when no credentials are configured.
 */
export function checkApop(
  credentials: Credential[] | null,
  username: string,
  digest: string,
  timestamp: string,
): boolean {
  if (!credentials) return true;
  const user = credentials.find((c) => c.username === username);
  const expected = createHash('md5')
    .update(timestamp + (user?.password ?? ''))
    .digest('hex');
  const ok = equal(digest.toLowerCase(), expected);
  return user !== undefined && ok;
}
