import type { DeliveryReport } from '@pigeonhole/shared/schemas/message';
import { MailWarning } from 'lucide-react';
import { partUrl } from '../api/part-urls';

/**
 * A bounce or delivery report (RFC 3464) shown as what it is: the status of each recipient, the
 * reporting server, and a link to the message that came back.
 */
export function DeliveryReportCard({ id, report }: { id: string; report: DeliveryReport | undefined }) {
  if (!report) return null;
  return (
    <section className="dsn-card" aria-label="Delivery report" data-testid="delivery-report">
      <div className="dsn-card__head">
        <MailWarning size={18} aria-hidden="true" />
        <span>Delivery report{report.ReportingMTA ? ` from ${report.ReportingMTA}` : ''}</span>
        {report.ReturnedPartID ? (
          <a
            className="dsn-card__returned"
            href={partUrl(id, report.ReturnedPartID)}
            download={`returned-${report.ReturnedPartID}.eml`}
          >
            Returned message
          </a>
        ) : null}
      </div>
      <table className="dsn-card__table">
        <thead>
          <tr>
            <th>Recipient</th>
            <th>Action</th>
            <th>Status</th>
            <th>Diagnostic</th>
          </tr>
        </thead>
        <tbody>
          {report.Recipients.map((r, i) => (
            <tr key={`${r.FinalRecipient}-${i}`} className={`dsn-card__row--${r.Action || 'unknown'}`}>
              <td className="mono">{r.FinalRecipient}</td>
              <td>{r.Action}</td>
              <td className="mono">{r.Status}</td>
              <td className="mono">{r.DiagnosticCode}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
