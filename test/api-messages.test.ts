import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

async function rich(p: Awaited<ReturnType<typeof start>>) {
  await transport(p).sendMail({
    from: '"Alice Sender" <alice@example.test>',
    to: 'bob+signup@example.test',
    cc: 'carol@example.test',
    bcc: 'dave@example.test',
    replyTo: 'replies@example.test',
    subject: 'Welcome aboard',
    text: 'Your code is 123456. Visit https://example.test/verify',
    html: '<p>Hello <img src="cid:logo@example.test"> <a href="https://example.test/verify">verify</a></p>',
    headers: {
      'X-Tags': 'welcome, onboarding',
      'List-Unsubscribe': '<mailto:unsub@example.test>, <https://example.test/u>',
    },
    attachments: [
      { filename: 'logo.png', content: PNG_1x1, cid: 'logo@example.test' },
      { filename: '../../etc/"evil"\r\nX-Injected: 1.txt', content: 'hello file', contentType: 'text/plain' },
    ],
  });
}

/** A PNG that claims 60,000 x 60,000 pixels (3.6 gigapixels) in a few hundred bytes. */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(60_000, 0);
  header.writeUInt32BE(60_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(60_001 * 3 * 4))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('Mailpit API v1: messages', () => {
  it('returns the full message with attachments, inline parts, checksums, and marks it read', async () => {
    const p = await start();
    await rich(p);
    const list = await p.client.messages();
    expect(list.messages).toHaveLength(1);
    const summary = list.messages[0]!;
    expect(summary.Read).toBe(false);
    expect(summary.Tags).toEqual(['onboarding', 'signup', 'welcome']);

    const message = await p.client.get(summary.ID);
    expect(message.ID).toBe(summary.ID);
    expect(message.Subject).toBe('Welcome aboard');
    expect(message.From).toEqual({ Name: 'Alice Sender', Address: 'alice@example.test' });
    expect(message.Bcc.map((a) => a.Address)).toEqual(['dave@example.test']);
    expect(message.ReplyTo.map((a) => a.Address)).toEqual(['replies@example.test']);
    expect(message.ReturnPath).toBe('alice@example.test');
    expect(message.Text).toContain('Your code is 123456');
    expect(message.HTML).toContain('cid:logo@example.test');
    expect(message.Inline).toHaveLength(1);
    expect(message.Inline[0]).toMatchObject({
      FileName: 'logo.png',
      ContentType: 'image/png',
      ContentID: 'logo@example.test',
    });
    expect(message.Attachments).toHaveLength(1);
    const file = message.Attachments[0]!;
    expect(file.Size).toBe(10);
    expect(file.Checksums).toEqual({
      MD5: createHash('md5').update('hello file').digest('hex'),
      SHA1: createHash('sha1').update('hello file').digest('hex'),
      SHA256: createHash('sha256').update('hello file').digest('hex'),
    });
    expect(message.ListUnsubscribe.Links).toEqual(['mailto:unsub@example.test', 'https://example.test/u']);
    expect(new Date(message.Date).getTime()).not.toBeNaN();

    const after = await p.client.messages();
    expect(after.messages[0]!.Read).toBe(true);
    expect(after.unread).toBe(0);
  });

  it('downloads a part byte for byte with a safe Content-Disposition', async () => {
    const p = await start();
    await rich(p);
    const message = await p.client.get('latest');
    const file = message.Attachments[0]!;
    const res = await fetch(p.client.url('messagePart', { id: message.ID, partId: file.PartID }));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('hello file');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^inline; filename="[^"\\/\r\n]*"; filename\*=UTF-8''/);
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(res.headers.get('x-injected')).toBeNull();
    const image = await p.client.part(message.ID, message.Inline[0]!.PartID);
    expect(Buffer.from(image.bytes).equals(PNG_1x1)).toBe(true);
    expect(image.contentType).toBe('image/png');
    const missing = await fetch(p.client.url('messagePart', { id: message.ID, partId: '9.9' }));
    expect(missing.status).toBe(404);
  });

  it('serves headers in Go canonical form, raw source, and a 404 for unknown IDs', async () => {
    const p = await start();
    await rich(p);
    const headers = await p.client.headers('latest');
    expect(headers.Subject).toEqual(['Welcome aboard']);
    expect(headers['Message-Id']?.[0]).toMatch(/^<.+>$/);
    expect(headers['X-Tags']).toEqual(['welcome, onboarding']);
    expect(Object.keys(headers)).toEqual([...Object.keys(headers)].sort());
    const raw = Buffer.from(await p.client.raw('latest')).toString();
    expect(raw).toContain('Subject: Welcome aboard');
    for (const path of ['/api/v1/message/nope', '/api/v1/message/nope/headers', '/api/v1/message/nope/raw']) {
      const res = await fetch(`${p.httpUrl}${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('Message not found');
    }
  });

  it('renders /view/{ID}.html with cid: rewritten, .txt, and 404 without HTML', async () => {
    const p = await start();
    await rich(p);
    const { ID } = (await p.client.messages()).messages[0]!;
    const html = await p.client.html(ID);
    expect(html).not.toContain('cid:logo@example.test');
    // Inlined as a data: URL: the page loads nothing from Pigeonhole's own origin.
    const src = /<img src="([^"]+)"/.exec(html)![1]!;
    expect(src).toBe(`data:image/png;base64,${PNG_1x1.toString('base64')}`);
    const view = await fetch(p.client.url('viewHtml', { id: ID }));
    expect(view.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await p.client.text(ID)).toContain('Your code is 123456');

    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'plain', text: 'only text' });
    const plain = (await p.client.messages()).messages[0]!;
    const res = await fetch(p.client.url('viewHtml', { id: plain.ID }));
    expect(res.status).toBe(404);
    const latest = await fetch(`${p.httpUrl}/view/latest`, { redirect: 'manual' });
    expect(latest.status).toBe(302);
    expect(latest.headers.get('location')).toBe(`/?id=${plain.ID}`);
  });

  it('makes 180x120 JPEG thumbnails and a blank one for non-images', async () => {
    const p = await start();
    await rich(p);
    const message = await p.client.get('latest');
    const sharp = (await import('sharp')).default;
    for (const part of [message.Inline[0]!, message.Attachments[0]!]) {
      const jpeg = await p.client.thumbnail(message.ID, part.PartID);
      const meta = await sharp(Buffer.from(jpeg)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 180, 120]);
    }
  });

  it('answers a decompression bomb with the blank thumbnail, not with its pixels', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'bomb',
      text: 'x',
      attachments: [{ filename: 'bomb.png', content: pngBomb(), contentType: 'image/png' }],
    });
    const message = await p.client.get('latest');
    const jpeg = Buffer.from(await p.client.thumbnail(message.ID, message.Attachments[0]!.PartID));
    const sharp = (await import('sharp')).default;
    const { width, height, format } = await sharp(jpeg).metadata();
    expect([format, width, height]).toEqual(['jpeg', 180, 120]);
    const { dominant } = await sharp(jpeg).stats();
    expect(dominant).toEqual({ r: 248, g: 248, b: 248 });
  });

  it('marks read and unread by IDs, by search and all; deletes by IDs, by search and all', async () => {
    const p = await start();
    const t = transport(p);
    for (const subject of ['one', 'two', 'three']) {
      await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject, text: subject });
    }
    const ids = (await p.client.messages()).messages.map((m) => m.ID);
    await p.client.setRead(true, { ids: [ids[0]!] });
    expect((await p.client.messages()).unread).toBe(2);
    await p.client.setRead(true, { search: 'subject:two' });
    expect((await p.client.messages()).unread).toBe(1);
    await p.client.setRead(false);
    expect((await p.client.messages()).unread).toBe(3);
    // Go's decoder matches keys case-insensitively; Mailpit's clients rely on it.
    const res = await fetch(`${p.httpUrl}/api/v1/messages`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [ids[1]], read: true }),
    });
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    expect((await p.client.messages()).unread).toBe(2);

    await p.client.delete([ids[0]!]);
    expect((await p.client.messages()).total).toBe(2);
    await p.client.deleteSearch('subject:two');
    expect((await p.client.messages()).messages.map((m) => m.Subject)).toEqual(['one']);
    await p.client.clear();
    expect((await p.client.messages()).total).toBe(0);
  });

  it('answers bad input with 400 and a message', async () => {
    const p = await start();
    const bad = await fetch(`${p.httpUrl}/api/v1/search?query=${encodeURIComponent('larger:lots')}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('larger:lots');
    const badBody = await fetch(`${p.httpUrl}/api/v1/messages`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ IDs: 'not-a-list' }),
    });
    expect(badBody.status).toBe(400);
  });
});
