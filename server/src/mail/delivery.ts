import type { Delivery, DeliveryReport, Dsn } from '@pigeonhole/shared/schemas/message';
import type { Envelope } from '../store/types';
import { decodeWords } from './mime/header-value';
import { first, type HeaderMap } from './mime/headers';

/** The envelope's DSN request in the API's shape, or null when the client asked for none. */
export function dsnJson(envelope: Envelope): Dsn | null {
  const dsn = envelope.dsn;
  if (!dsn) return null;
  return {
    Ret: dsn.ret,
    Envid: dsn.envid,
    Recipients: dsn.recipients.map((r) => ({ Address: r.address, Notify: r.notify, Orcpt: r.orcpt })),
  };
}

/**
 * The delivery tracking of a message: what it asks for, the envelope's DSN parameters (RFC 3461) and
 * a `Disposition-Notification-To` header (a read receipt, RFC 8098), and, when the message is itself
 * a delivery report, what it reports (`report`); undefined when there is none of these.
 */
export function deliveryOf(
  envelope: Envelope,
  headers: HeaderMap,
  report: DeliveryReport | null = null,
): Delivery | undefined {
  const receipt = decodeWords(first(headers, 'disposition-notification-to')).trim();
  const dsn = dsnJson(envelope);
  if (!dsn && !receipt && !report) return undefined;
  return { DSN: dsn, ReadReceiptTo: receipt, ...(report ? { Report: report } : {}) };
}
