import type { CalendarEvent } from '@pigeonhole/shared/schemas/message';
import { CalendarDays, Download } from 'lucide-react';
import { partFileName } from '@pigeonhole/shared/part-name';
import { partUrl } from '../api/part-urls';

/** Start and end as the reader's local time; an all-day or floating time as the invite wrote it. */
function when(event: CalendarEvent): string {
  const show = (value: string) => {
    if (!value) return '';
    // Only a time with its zone known (RFC 3339 with Z) converts; the rest is shown as written.
    if (!/Z$/.test(value)) return value.replace('T', ' ');
    return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  };
  const start = show(event.Start);
  const end = show(event.End);
  return end ? `${start} – ${end}` : start;
}

const METHODS: Record<string, string> = {
  REQUEST: 'Invitation',
  CANCEL: 'Cancelled',
  REPLY: 'Reply',
  PUBLISH: 'Event',
  COUNTER: 'Counter-proposal',
};

/**
 * The events of a message's invites, as a card above the body: what, when, where, who organises,
 * who attends with their answer, and the .ics download. Text only: every value comes from the mail.
 */
export function CalendarCard({ id, events }: { id: string; events: CalendarEvent[] | undefined }) {
  if (!events || events.length === 0) return null;
  return (
    <section className="cal-cards" aria-label="Calendar invitation">
      {events.map((event, i) => (
        <div key={`${event.PartID}-${i}`} className="cal-card" data-testid="calendar-event">
          <CalendarDays size={22} aria-hidden="true" className="cal-card__icon" />
          <div className="cal-card__body">
            <div className="cal-card__kind">{METHODS[event.Method] ?? (event.Method || 'Event')}</div>
            <div className="cal-card__summary">{event.Summary || '(no title)'}</div>
            <div className="cal-card__when">{when(event)}</div>
            {event.Location ? <div className="cal-card__where">{event.Location}</div> : null}
            {event.Organizer ? (
              <div className="cal-card__who">
                Organizer: {event.Organizer.Name || event.Organizer.Address}
                {event.Organizer.Name ? <span className="cal-card__addr"> {event.Organizer.Address}</span> : null}
              </div>
            ) : null}
            {event.Attendees.length > 0 ? (
              <ul className="cal-card__attendees" aria-label="Attendees">
                {event.Attendees.map((a, j) => (
                  <li key={`${a.Address}-${j}`}>
                    {a.Name || a.Address}
                    {a.Status ? <span className="cal-card__status"> {a.Status.toLowerCase()}</span> : null}
                    {a.Role === 'OPT-PARTICIPANT' ? <span className="cal-card__status"> (optional)</span> : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <a
            className="btn btn--ghost cal-card__ics"
            href={partUrl(id, event.PartID)}
            download={partFileName({ FileName: '', ContentType: 'text/calendar', PartID: event.PartID })}
          >
            <Download size={15} aria-hidden="true" />
            <span className="btn__label">.ics</span>
          </a>
        </div>
      ))}
    </section>
  );
}
