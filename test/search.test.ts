import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

type Pigeonhole = Awaited<ReturnType<typeof start>>;

/** Five messages that between them exercise every search filter. */
async function corpus(p: Pigeonhole) {
  const t = transport(p);
  await t.sendMail({
    from: '"Alice Admin" <alice@example.test>',
    to: 'bob@example.test',
    subject: 'Quarterly report',
    text: 'The numbers are in. Zebra crossing ahead.',
    headers: { 'X-Tags': 'reports' },
  });
  await t.sendMail({
    from: 'carol@example.test',
    to: 'dave@example.test',
    cc: 'erin@example.test',
    bcc: 'frank@example.test',
    replyTo: 'helpdesk@example.test',
    subject: 'Password reset',
    text: 'Reset link inside',
    messageId: '<reset-123@example.test>',
  });
  await t.sendMail({
    from: 'alice@example.test',
    to: 'grace+newsletter@example.test',
    subject: 'Monthly newsletter',
    html: '<p>Hello <img src="cid:banner"></p>',
    attachments: [{ filename: 'banner.png', content: Buffer.from('png-ish'), cid: 'banner' }],
  });
  await t.sendMail({
    from: 'heidi@example.test',
    to: 'bob@example.test',
    subject: 'Invoice attached',
    text: 'Quoted-printable body with a long word: supercalifragilistic'.padEnd(3000, ' pad'),
    attachments: [{ filename: 'invoice.pdf', content: Buffer.alloc(20_000, 1) }],
  });
  await t.sendMail({
    from: 'ivan@example.test',
    to: 'judy@example.test',
    subject: 'Ünïcode façade',
    text: 'encoded body: naïve café',
    textEncoding: 'base64',
  });
}

async function subjects(p: Pigeonhole, query: string): Promise<string[]> {
  const result = await p.client.search(query);
  expect(result.messages_count).toBe(result.messages.length);
  return result.messages.map((m) => m.Subject).sort();
}

describe("search: Mailpit's syntax", () => {
  it('matches words, phrases, negation and every field filter', async () => {
    const p = await start();
    await corpus(p);
    // Words: all must match, anywhere (summary fields first, then the body).
    expect(await subjects(p, 'quarterly')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'zebra')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'zebra numbers')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'zebra password')).toEqual([]);
    expect(await subjects(p, 'supercalifragilistic')).toEqual(['Invoice attached']);
    expect(await subjects(p, 'café')).toEqual(['Ünïcode façade']);
    expect(await subjects(p, '"crossing ahead"')).toEqual(['Quarterly report']);
    expect(await subjects(p, '"ahead crossing"')).toEqual([]);
    // Negation with - and !.
    expect(await subjects(p, 'from:alice -newsletter')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'from:alice !subject:quarterly')).toEqual(['Monthly newsletter']);
    // Fields.
    expect(await subjects(p, 'to:bob@example.test')).toEqual(['Invoice attached', 'Quarterly report']);
    expect(await subjects(p, 'from:"Alice Admin"')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'cc:erin')).toEqual(['Password reset']);
    expect(await subjects(p, 'bcc:frank@example.test')).toEqual(['Password reset']);
    expect(await subjects(p, 'reply-to:helpdesk')).toEqual(['Password reset']);
    expect(await subjects(p, 'addressed:frank')).toEqual(['Password reset']);
    expect(await subjects(p, 'addressed:erin')).toEqual(['Password reset']);
    expect(await subjects(p, 'to:frank')).toEqual([]);
    expect(await subjects(p, 'subject:"password reset"')).toEqual(['Password reset']);
    expect(await subjects(p, 'message-id:reset-123@example.test')).toEqual(['Password reset']);
    expect(await subjects(p, 'message-id:reset')).toEqual([]);
    // Tags from X-Tags and from plus-addressing, as Mailpit sets them.
    expect(await subjects(p, 'tag:reports')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'tag:newsletter')).toEqual(['Monthly newsletter']);
    expect(await subjects(p, 'is:tagged')).toEqual(['Monthly newsletter', 'Quarterly report']);
    expect(await subjects(p, '-is:tagged')).toHaveLength(3);
    // Attachments and inline parts.
    expect(await subjects(p, 'has:attachment')).toEqual(['Invoice attached']);
    expect(await subjects(p, 'has:inline')).toEqual(['Monthly newsletter']);
    // Sizes.
    expect(await subjects(p, 'larger:20K')).toEqual(['Invoice attached']);
    expect(await subjects(p, 'smaller:20KB')).toHaveLength(4);
  });

  it('filters by read state and by date, honouring tz', async () => {
    const p = await start();
    await corpus(p);
    const { messages } = await p.client.search('subject:quarterly');
    await p.client.setRead(true, { ids: [messages[0]!.ID] });
    expect(await subjects(p, 'is:read')).toEqual(['Quarterly report']);
    expect(await subjects(p, 'is:unread')).toHaveLength(4);
    expect((await p.client.search('is:unread')).messages_unread).toBe(4);

    const now = new Date();
    const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    expect(await subjects(p, `after:${yesterday}`)).toHaveLength(5);
    expect(await subjects(p, `before:${yesterday}`)).toHaveLength(0);
    expect(await subjects(p, `before:${tomorrow}`)).toHaveLength(5);
    expect(await subjects(p, `after:${tomorrow}`)).toHaveLength(0);
    // An hour ago on Kiritimati's clock (UTC+14): read as UTC it is still ahead; in its zone it is past.
    const earlier = new Date(now.getTime() - 3_600_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Pacific/Kiritimati',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(earlier);
    expect(await subjects(p, `before:"${local}"`)).toHaveLength(5);
    expect((await p.client.search(`before:"${local}"`, { tz: 'Pacific/Kiritimati' })).messages_count).toBe(0);
    expect((await p.client.search(`after:"${local}"`, { tz: 'Pacific/Kiritimati' })).messages_count).toBe(5);
    const bad = await fetch(`${p.httpUrl}/api/v1/search?query=after:2024-01-01&tz=Mars/Olympus`);
    expect(bad.status).toBe(400);
  });

  it('pages through matches and narrows latest with ?query=', async () => {
    const p = await start();
    await corpus(p);
    const page = await p.client.search('example', { start: 1, limit: 2 });
    expect(page.messages_count).toBe(5);
    expect(page.count).toBe(2);
    expect(page.start).toBe(1);
    expect(page.total).toBe(5);
    expect(page.messages.map((m) => m.Subject)).toEqual(['Invoice attached', 'Monthly newsletter']);
    const latest = await p.client.get('latest', { query: 'from:alice' });
    expect(latest.Subject).toBe('Monthly newsletter');
    const none = await fetch(`${p.httpUrl}/api/v1/message/latest?query=from:nobody`);
    expect(none.status).toBe(404);
  });
});
