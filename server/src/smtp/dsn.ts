import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { DsnRequest } from '../store/types';
import { SmtpError } from './auth';

/** Longest ENVID RFC 3461 §4.4 allows. */
const MAX_ENVID = 100;

/**
 * The 501 a MAIL FROM's ENVID earns, or null. smtp-server decodes xtext (`+2B` is `+`), refuses
 * control characters and checks RET and NOTIFY values and ORCPT's `type;` prefix, but not ENVID's
 * length nor what else it holds; the ENVID is kept and shown, so it must be what RFC 3461 §4.4
 * allows: at most 100 characters of printable ASCII (a bidi override could make it read otherwise).
 */
export function mailFromDsnRefusal(address: SMTPServerAddress): SmtpError | null {
  const envid = address.args ? address.args.ENVID : undefined;
  if (typeof envid !== 'string') return null;
  if (envid.length > MAX_ENVID || !printableAscii(envid))
    return new SmtpError(`Error: ENVID must be at most ${MAX_ENVID} printable ASCII characters (RFC 3461 4.4)`, 501);
  return null;
}

function printableAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * What the client asked of delivery reports (RFC 3461) in this transaction, as smtp-server parsed
 * it (hideDSN: false), or undefined when it asked nothing: most mail does not, and then no object
 * is kept.
 */
export function dsnOf(session: SMTPServerSession): DsnRequest | undefined {
  const { dsn, rcptTo } = session.envelope;
  const asked = Boolean(dsn?.ret || dsn?.envid) || rcptTo.some((r) => r.dsn?.notify || r.dsn?.orcpt);
  if (!asked) return undefined;
  return {
    ret: dsn?.ret ?? '',
    envid: dsn?.envid ?? '',
    recipients: rcptTo.map((r) => ({
      address: r.address,
      notify: r.dsn?.notify ?? [],
      orcpt: r.dsn?.orcpt ?? '',
    })),
  };
}
