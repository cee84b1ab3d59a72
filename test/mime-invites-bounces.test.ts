import { readFileSync } from 'node:fs';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';

/**
 * Meeting invites and bounces shown as what they are, over real SMTP: the events of a text/calendar
 * part in the message JSON (read with ical.js, its VTIMEZONE honoured), the invite downloadable as
 * .ics; a multipart/report's status per recipient, the returned message reachable as a part.
 */

let p: Pigeonhole;
beforeAll(async () => {
  p = await startPigeonhole({ logLevel: 'silent' });
});
afterAll(async () => {
  await p.stop();
});

async function deliver(name: string): Promise<string> {
  const { smtp } = await RawSmtp.connect(p.smtpPort);
  try {
    await smtp.command('EHLO mime.example.test');
    const reply = await smtp.sendMail(
      'sender@example.test',
      ['eli@example.test'],
      readFileSync(new URL(`./fixtures/mime/${name}`, import.meta.url)),
    );
    expect(reply.code, reply.text).toBe(250);
    return queuedId(reply);
  } finally {
    await smtp.quit();
  }
}

describe('invites and delivery reports', () => {
  it('lists the events of a text/calendar part with their time zone applied', async () => {
    const id = await deliver('invite-timezone.eml');
    const message = await p.client.get(id);
    expect(message.Attachments.map((a) => a.ContentType)).toEqual(['text/calendar']);
    expect(message.Calendar).toEqual([
      {
        PartID: message.Attachments[0]!.PartID,
        Method: 'REQUEST',
        UID: 'arch-review-7@example.test',
        Summary: 'Architecture review',
        Location: 'Room Kepler',
        // 10:00 in Berlin summer time is 08:00 UTC.
        Start: '2030-06-13T08:00:00.000Z',
        End: '2030-06-13T09:30:00.000Z',
        AllDay: false,
        Organizer: { Name: 'Dana Lead', Address: 'dana@example.test' },
        Attendees: [
          { Name: 'Eli Dev', Address: 'eli@example.test', Role: 'REQ-PARTICIPANT', Status: 'NEEDS-ACTION' },
          { Name: 'Fay Ops', Address: 'fay@example.test', Role: 'OPT-PARTICIPANT', Status: 'TENTATIVE' },
        ],
      },
    ]);
    const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${message.Attachments[0]!.PartID}`);
    expect(res.headers.get('content-disposition')).toMatch(/filename="part-2\.ics"/);
    expect(await res.text()).toContain('BEGIN:VCALENDAR');
    // A message without an invite has no Calendar field at all: Mailpit's shape exactly.
    expect('Calendar' in (await p.client.get(await deliver('d7-mixed-text-and-html.eml')))).toBe(false);
  });

  it('reports each recipient of a bounce and serves the returned message as a part', async () => {
    const id = await deliver('bounce-dsn.eml');
    const message = await p.client.get(id);
    const report = message.Delivery?.Report;
    expect(report).toMatchObject({ PartID: '2', ReportingMTA: 'mx.example.test', ReturnedPartID: '3' });
    expect(report?.Recipients.map((r) => [r.FinalRecipient, r.Action, r.Status, r.DiagnosticCode])).toEqual([
      ['nobody@example.test', 'failed', '5.1.1', '550 5.1.1 <nobody@example.test>: Recipient address rejected'],
      ['slow@example.test', 'delayed', '4.4.1', '421 try again later'],
    ]);
    expect(message.Text).toContain('could not be delivered');
    expect(message.Attachments.map((a) => [a.PartID, a.ContentType])).toEqual([
      ['2', 'message/delivery-status'],
      ['3', 'message/rfc822'],
    ]);
    const returned = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/3`);
    expect(await returned.text()).toContain('Subject: Your password reset');
  });

  it('keeps a calendar that does not parse as a plain attachment, with no events', async () => {
    const raw = readFileSync(new URL('./fixtures/mime/invite-timezone.eml', import.meta.url))
      .toString('latin1')
      .replace('BEGIN:VEVENT', 'BEGIN:VEVENT\r\n;;;broken');
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO mime.example.test');
    const reply = await smtp.sendMail('sender@example.test', ['eli@example.test'], Buffer.from(raw, 'latin1'));
    await smtp.quit();
    const message = await p.client.get(queuedId(reply));
    expect(message.Attachments.map((a) => a.ContentType)).toEqual(['text/calendar']);
    expect(message.Calendar).toBeUndefined();
  });
});
