import { GENERAL_ADDRESSES_MAX, parseAddresses } from '../mail/mime/header-value';
import { parseHeaders, splitHeader } from '../mail/mime/headers';

/**
 * The envelope a raw message implies when the request names none (SES raw content without
 * `Destinations`, Mailgun's `messages.mime` sender): From, and every To, Cc and Bcc, each once.
 */
export function envelopeFromHeaders(raw: Buffer): { mailFrom: string; rcptTo: string[] } {
  const { headerEnd } = splitHeader(raw);
  const headers = parseHeaders(raw.toString('utf8', 0, headerEnd));
  const budget = { left: GENERAL_ADDRESSES_MAX };
  const mailFrom = parseAddresses(headers, 'from', budget)[0]?.Address ?? '';
  const seen = new Set<string>();
  const rcptTo: string[] = [];
  for (const name of ['to', 'cc', 'bcc']) {
    for (const { Address: address } of parseAddresses(headers, name, budget)) {
      if (seen.has(address.toLowerCase())) continue;
      seen.add(address.toLowerCase());
      rcptTo.push(address);
    }
  }
  return { mailFrom, rcptTo };
}
