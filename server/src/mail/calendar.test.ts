import { describe, expect, it } from 'vitest';
import { calendarEvents } from './calendar';
import { deliveryReport } from './delivery-report';

/** Hostile calendars and reports: each is read within its bound or skipped, never thrown. */
describe('calendar and delivery-report bounds', () => {
  it('skips a calendar nested 100,000 components deep instead of failing the message', async () => {
    const text = `BEGIN:VCALENDAR\r\n${'BEGIN:X\r\n'.repeat(100_000)}${'END:X\r\n'.repeat(100_000)}END:VCALENDAR\r\n`;
    await expect(calendarEvents([{ PartID: '2', text }])).resolves.toEqual([]);
  });

  it('reads at most 50 events of a calendar of 10,000', async () => {
    const event = (i: number) =>
      `BEGIN:VEVENT\r\nUID:${i}\r\nDTSTART:20300101T100000Z\r\nSUMMARY:e${i}\r\nEND:VEVENT\r\n`;
    const text = `BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\n${Array.from({ length: 10_000 }, (_, i) => event(i)).join('')}END:VCALENDAR\r\n`;
    const events = await calendarEvents([{ PartID: '1', text }]);
    expect(events).toHaveLength(50);
    expect(events[0]).toMatchObject({ Method: 'PUBLISH', UID: '0', Summary: 'e0', Start: '2030-01-01T10:00:00.000Z' });
  });

  it('keeps a time zone of one message out of the next', async () => {
    const zone = (offset: string) =>
      `BEGIN:VTIMEZONE\r\nTZID:Team\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:${offset}\r\nTZOFFSETTO:${offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n`;
    const calendar = (offset: string) =>
      `BEGIN:VCALENDAR\r\n${zone(offset)}BEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Team:20300101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const [plus] = await calendarEvents([{ PartID: '1', text: calendar('+0200') }]);
    const [minus] = await calendarEvents([{ PartID: '1', text: calendar('-0500') }]);
    expect([plus!.Start, minus!.Start]).toEqual(['2030-01-01T08:00:00.000Z', '2030-01-01T15:00:00.000Z']);
    // Without its VTIMEZONE the same TZID is unknown: the wall-clock time, no offset invented.
    const bare =
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Team:20300101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    expect((await calendarEvents([{ PartID: '1', text: bare }]))[0]!.Start).toBe('2030-01-01T10:00:00');
  });

  it('reads at most 500 recipients of a report and nothing from one without recipient blocks', () => {
    const block = (i: number) => `Final-Recipient: rfc822; r${i}@example.test\nAction: failed\nStatus: 5.1.1`;
    const body = ['Reporting-MTA: dns; mx.example.test', ...Array.from({ length: 5000 }, (_, i) => block(i))].join(
      '\n\n',
    );
    expect(deliveryReport('2', body, '3')?.Recipients).toHaveLength(500);
    expect(deliveryReport('2', 'Reporting-MTA: dns; mx.example.test\n', '')).toBeNull();
  });
});
