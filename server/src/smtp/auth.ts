import { timingSafeEqual, createHash } from 'node:crypto';
import type { SMTPServerAuthentication } from 'smtp-server';
import type { Credential } from '../config';

/** An SMTP error carrying its reply code, as smtp-server expects from hooks. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

function equal(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Checks AUTH PLAIN, LOGIN and CRAM-MD5. With no credentials configured every login succeeds, so an
 * app configured with or without auth just works (as in Mailpit's `--smtp-auth-accept-any`).
 * Returns the user name, or throws a 535.
 */
export function authenticate(auth: SMTPServerAuthentication, credentials: Credential[] | null): string {
  const username = auth.username ?? '';
  if (!credentials) return username;
  const user = credentials.find((c) => c.username === username);
  const ok =
    user !== undefined &&
    (auth.method === 'CRAM-MD5' ? auth.validatePassword(user.password) : equal(auth.password ?? '', user.password));
  if (!ok) throw new SmtpError('Authentication credentials invalid', 535);
  return username;
}
