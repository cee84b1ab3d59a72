import type { MailHogMessage } from '@pigeonhole/shared/schemas/mailhog';
import mailhog from 'mailhog';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

function clientFor(httpUrl: string) {
  const url = new URL(httpUrl);
  return mailhog({ host: url.hostname, port: Number(url.port) });
}

/** The client's own item type plus the MailHog fields it leaves untyped (Content, Raw, To, ...). */
type Item = mailhog.Message & MailHogMessage;

/** `messages()` of the client, which types a missing answer as null. */
async function listOf(
  mh: mailhog.API,
  start?: number,
  limit?: number,
): Promise<{ total: number; count: number; start: number; items: Item[] }> {
  const result = await mh.messages(start, limit);
  if (!result) throw new Error('no answer from /api/v2/messages');
  return result as unknown as { total: number; count: number; start: number; items: Item[] };
}

/** The real `mailhog` npm client, pointed at Pigeonhole. */
describe('the mailhog client against Pigeonhole', () => {
  it('lists, searches and reads messages in MailHog shape', async () => {
    const p = await start();
    const mh = clientFor(p.httpUrl);
    const t = transport(p);
    await t.sendMail({
      from: '"Jörg Sender" <joerg@example.test>',
      to: 'one@example.test',
      cc: 'two@example.test',
      subject: 'Grüße aus Köln',
      text: 'Plain text with ümlauts',
      html: '<b>HTML</b> with ümlauts',
    });
    await t.sendMail({
      from: 'files@example.test',
      to: 'one@example.test',
      subject: 'With a file',
      text: 'see attached',
      attachments: [{ filename: 'data.csv', content: 'a,b\n1,2\n' }],
    });
    await t.sendMail({ from: 'x@example.test', to: 'three@example.test', subject: 'Second', text: 'needle in body' });

    const result = await listOf(mh);
    expect(result.total).toBe(3);
    expect(result.count).toBe(3);
    expect(result.start).toBe(0);
    const [second, withFile, first] = result.items;
    expect(second!.subject).toBe('Second');
    // The client decodes RFC 2047 itself and leaves Q-encoding's `_` as is (so it does with MailHog):
    // the raw header value is served undecoded, as MailHog serves it.
    expect(first!.subject.replace(/_/g, ' ')).toBe('Grüße aus Köln');
    expect(first!.Content.Headers.Subject![0]).toMatch(/^=\?UTF-8\?Q\?/i);
    expect(first!.from).toContain('joerg@example.test');
    expect(first!.to).toBe('one@example.test');
    expect(first!.cc).toBe('two@example.test');
    expect(first!.text?.trim()).toBe('Plain text with ümlauts');
    expect(first!.html?.trim()).toBe('<b>HTML</b> with ümlauts');
    // The client looks at top-level parts only (as with MailHog, which nests MIME the same way).
    expect(withFile!.text?.trim()).toBe('see attached');
    expect(withFile!.attachments.map((a) => a.name)).toEqual(['data.csv']);
    expect(mh.decode(withFile!.attachments[0]!.Body, 'base64')).toBe('a,b\n1,2\n');
    expect(withFile!.MIME?.Parts).toHaveLength(2);
    expect(first!.Raw.From).toBe('joerg@example.test');
    expect(first!.Raw.To).toEqual(['one@example.test', 'two@example.test']);
    expect(first!.To.map((path) => `${path.Mailbox}@${path.Domain}`)).toEqual(['one@example.test', 'two@example.test']);
    expect(second!.MIME).toBeNull();
    expect(first!.deliveryDate.getTime()).not.toBeNaN();

    expect((await listOf(mh, 2, 1)).items.map((m) => m.ID)).toEqual([first!.ID]);
    expect(((await mh.latestFrom('x@example.test')) as { subject: string }).subject).toBe('Second');
    expect(((await mh.latestTo('two@example.test')) as { ID: string }).ID).toBe(first!.ID);
    expect(((await mh.latestContaining('needle')) as { subject: string }).subject).toBe('Second');
    expect((await mh.search('nothing-like-this'))?.count).toBe(0);
  });

  it('deletes one and all with answers the client accepts, and downloads the raw message', async () => {
    const p = await start();
    const mh = clientFor(p.httpUrl);
    const t = transport(p);
    for (const subject of ['a', 'b', 'c'])
      await t.sendMail({ from: 'x@example.test', to: 'y@example.test', subject, text: subject });
    const { items } = await listOf(mh);
    const download = await fetch(`${p.httpUrl}/api/v1/messages/${items[0]!.ID}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.eml"/);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(await p.client.raw(items[0]!.ID)))).toBe(true);

    await mh.deleteMessage(items[0]!.ID);
    expect((await listOf(mh)).total).toBe(2);
    await mh.deleteAll();
    expect((await listOf(mh)).total).toBe(0);
  });

  it('pushes each new message on /api/v2/websocket in MailHog shape', async () => {
    const p = await start();
    const ws = new WebSocket(`${p.httpUrl.replace('http', 'ws')}/api/v2/websocket`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const frame = new Promise<Record<string, unknown>>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Pushed', text: 'x' });
    const message = (await frame) as { Content: { Headers: Record<string, string[]> }; Raw: { To: string[] } };
    expect(message.Content.Headers.Subject).toEqual(['Pushed']);
    expect(message.Raw.To).toEqual(['b@example.test']);
    ws.close();
  });
});
