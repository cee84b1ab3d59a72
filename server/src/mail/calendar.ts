import type { CalendarEvent } from '@pigeonhole/shared/schemas/message';
import type ICALModule from 'ical.js';

/**
 * Meeting invites (iCalendar, RFC 5545, in text/calendar parts; iTIP's METHOD, RFC 5546) read with
 * ical.js, Mozilla's parser behind Thunderbird's calendar: it handles folding, escaping, TZID with
 * VTIMEZONE and recurrence, none of which a hand-written reader would get right.
 */

/** A calendar part larger than this is listed and downloadable but not read (real invites are KBs). */
const MAX_CALENDAR_BYTES = 1024 * 1024;
/** Events read per message: a hostile calendar of 100,000 VEVENTs costs no more. */
const MAX_EVENTS = 50;

type Ical = typeof ICALModule;
type Time = InstanceType<Ical['Time']>;

/** `mailto:a@x` (any case) to `a@x`; other URIs as they are. */
function address(uri: unknown): string {
  return String(uri ?? '').replace(/^mailto:/i, '');
}

/**
 * RFC 3339 in UTC when the time's zone is known (UTC or a VTIMEZONE of the calendar), the wall-clock
 * time without an offset for a floating time or an unknown TZID, `YYYY-MM-DD` for an all-day date.
 */
function timeString(time: Time | null | undefined): string {
  if (!time) return '';
  if (time.isDate) return time.toString();
  const zone = time.zone?.tzid;
  if (zone && zone !== 'floating') return time.toJSDate().toISOString();
  return time.toString();
}

/**
 * The events of each calendar part (`PartID` and its text): method, summary, start, end, organizer
 * and attendees. A part that does not parse is skipped: it stays a downloadable attachment.
 */
export async function calendarEvents(parts: { PartID: string; text: string }[]): Promise<CalendarEvent[]> {
  if (parts.length === 0) return [];
  const ICAL = (await import('ical.js')).default;
  const events: CalendarEvent[] = [];
  for (const part of parts) {
    if (part.text.length > MAX_CALENDAR_BYTES) continue;
    let root: InstanceType<Ical['Component']>;
    try {
      root = new ICAL.Component(ICAL.parse(part.text));
    } catch {
      continue;
    }
    // The calendar's own time zones, so that DTSTART;TZID=... converts to UTC; removed afterwards,
    // for ical.js keeps them in one process-wide registry and another message may define the same name.
    const zones = root.getAllSubcomponents('vtimezone').map((c) => new ICAL.Timezone(c));
    for (const zone of zones) ICAL.TimezoneService.register(zone);
    try {
      const method = String(root.getFirstPropertyValue('method') ?? '');
      for (const component of root.getAllSubcomponents('vevent')) {
        if (events.length >= MAX_EVENTS) break;
        events.push(eventOf(ICAL, part.PartID, method, component));
      }
    } catch {
      // A malformed event in a calendar that parsed: what was read stands.
    } finally {
      for (const zone of zones) ICAL.TimezoneService.remove(zone.tzid);
    }
  }
  return events;
}

function eventOf(
  ICAL: Ical,
  partId: string,
  method: string,
  component: InstanceType<Ical['Component']>,
): CalendarEvent {
  const event = new ICAL.Event(component);
  const organizer = component.getFirstProperty('organizer');
  return {
    PartID: partId,
    Method: method.toUpperCase(),
    UID: event.uid ?? '',
    Summary: event.summary ?? '',
    Location: event.location ?? '',
    Start: timeString(event.startDate),
    End: timeString(event.endDate),
    AllDay: Boolean(event.startDate?.isDate),
    Organizer: organizer
      ? { Name: String(organizer.getParameter('cn') ?? ''), Address: address(organizer.getFirstValue()) }
      : null,
    Attendees: event.attendees.map((a) => ({
      Name: String(a.getParameter('cn') ?? ''),
      Address: address(a.getFirstValue()),
      Role: String(a.getParameter('role') ?? ''),
      Status: String(a.getParameter('partstat') ?? ''),
    })),
  };
}
