import type { DeliveryReport } from '@pigeonhole/shared/schemas/message';
import { first, parseHeaders } from './mime/headers';

/**
 * Bounces and delivery reports (RFC 3464, `multipart/report; report-type=delivery-status`): the
 * message/delivery-status part is a block of per-message fields and one block per recipient, each in
 * header syntax, so the header reader reads them. The returned message (message/rfc822, or its
 * headers as text/rfc822-headers) stays a part of its own, named by `ReturnedPartID`.
 */

/** Recipients read per report: a hostile report of 100,000 blocks costs no more. */
const MAX_RECIPIENTS = 500;

/** `rfc822; bob@example.test` to `bob@example.test` (the address type is RFC 3464's, section 2.1.2). */
function typed(value: string): string {
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(semicolon + 1)).trim();
}

/**
 * The report of a message/delivery-status body, with `PartID` its part and `returnedPartId` the part
 * holding the returned message (empty when none). Null when the body holds no recipient block.
 */
export function deliveryReport(partId: string, body: string, returnedPartId: string): DeliveryReport | null {
  const blocks = body.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  const fields = parseHeaders(blocks[0] ?? '');
  const recipients: DeliveryReport['Recipients'] = [];
  for (const block of blocks.slice(1, MAX_RECIPIENTS + 1)) {
    const r = parseHeaders(block);
    const final = typed(first(r, 'final-recipient'));
    if (!final && !first(r, 'action')) continue;
    recipients.push({
      FinalRecipient: final,
      OriginalRecipient: typed(first(r, 'original-recipient')),
      Action: first(r, 'action').toLowerCase(),
      Status: first(r, 'status').split(/\s/)[0] ?? '',
      RemoteMTA: typed(first(r, 'remote-mta')),
      DiagnosticCode: typed(first(r, 'diagnostic-code')),
      LastAttemptDate: first(r, 'last-attempt-date'),
    });
  }
  if (recipients.length === 0) return null;
  return {
    PartID: partId,
    ReportingMTA: typed(first(fields, 'reporting-mta')),
    ArrivalDate: first(fields, 'arrival-date'),
    Recipients: recipients,
    ReturnedPartID: returnedPartId,
  };
}
