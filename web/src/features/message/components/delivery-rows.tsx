import type { Delivery, Dsn } from '@pigeonhole/shared/schemas/message';

/** `NOTIFY=SUCCESS,FAILURE for a@x, b@y; RET=HDRS; ENVID=...`: what the app asked, in SMTP's words. */
export function dsnText(dsn: Dsn): string {
  const groups = new Map<string, string[]>();
  for (const r of dsn.Recipients) {
    const key = `${r.Notify.length > 0 ? `NOTIFY=${r.Notify.join(',')}` : 'no NOTIFY'}${r.Orcpt ? ` ORCPT=${r.Orcpt}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r.Address]);
  }
  const parts = [...groups].map(([key, addresses]) => `${key} for ${addresses.join(', ')}`);
  if (dsn.Ret) parts.push(`RET=${dsn.Ret}`);
  if (dsn.Envid) parts.push(`ENVID=${dsn.Envid}`);
  return parts.join('; ');
}

/**
 * The delivery tracking a message asks for, as rows of the header block: delivery status
 * notifications (RFC 3461, from the SMTP envelope) and a read receipt (Disposition-Notification-To).
 * Pigeonhole sends neither; it shows what a real server would have been asked.
 */
export function DeliveryRows({ delivery }: { delivery: Delivery | undefined }) {
  if (!delivery) return null;
  return (
    <>
      {delivery.DSN ? (
        <div className="msg-header__row" data-testid="delivery-dsn">
          <dt>Delivery reports</dt>
          <dd className="mono">{dsnText(delivery.DSN)}</dd>
        </div>
      ) : null}
      {delivery.ReadReceiptTo ? (
        <div className="msg-header__row" data-testid="delivery-receipt">
          <dt>Read receipt</dt>
          <dd>requested, to {delivery.ReadReceiptTo}</dd>
        </div>
      ) : null}
    </>
  );
}
