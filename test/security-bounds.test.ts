import { randomBytes } from 'node:crypto';
import mailhog from 'mailhog';
import { MailpitClient } from 'mailpit-api';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

afterEach(() => {
  vi.restoreAllMocks();
});

async function send(httpUrl: string, body: unknown): Promise<Response> {
  return fetch(`${httpUrl}/api/v1/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('list limits', () => {
  it('Mailpit clients asking for a huge page get every message, not a 400', async () => {
    const p = await start();
    const t = transport(p);
    for (const subject of ['one', 'two', 'three']) {
      await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject, text: 'x' });
    }
    // mailpit-api and cypress-mailpit pass the caller's limit through; "all" is often a big one.
    const mailpit = new MailpitClient(p.httpUrl);
    const listed = await mailpit.listMessages(0, 1_000_000);
    expect(listed.messages.map((m) => m.Subject)).toEqual(['three', 'two', 'one']);
    const found = await mailpit.searchMessages({ query: 'to:b@example.test', start: 0, limit: 1_000_000 });
    expect(found.messages_count).toBe(3);
    expect(found.messages).toHaveLength(3);
  });

  it("MailHog pages hold at most 250 messages, as MailHog's own clamp", async () => {
    const p = await start();
    // One pooled connection (nodemailer's pool options; the helper's type names the plain ones).
    const t = transport(p, { pool: true, maxConnections: 1, maxMessages: Infinity } as never);
    await Promise.all(
      Array.from({ length: 251 }, (_, i) =>
        t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `m${i}`, text: 'x' }),
      ),
    );
    t.close();
    const url = new URL(p.httpUrl);
    const mh = mailhog({ host: url.hostname, port: Number(url.port) });
    const page = await mh.messages(0, 5000);
    expect(page).toMatchObject({ total: 251, count: 250, start: 0 });
    expect(page!.items).toHaveLength(250);
    const found = await mh.search('b@example.test', 'to', 0, 5000);
    expect(found).toMatchObject({ total: 251, count: 250 });
    const rest = await mh.messages(250, 5000);
    expect(rest).toMatchObject({ total: 251, count: 1, start: 250 });
  });
});

describe('POST /api/v1/send and --max-message-size', () => {
  it('refuses a send whose decoded parts exceed the limit before composing it, as Mailpit JSON', async () => {
    const p = await start({ maxMessageSize: '1MB' });
    const compile = vi.spyOn(MailComposer.prototype, 'compile');
    // 40 MB of attachments, well within the 64 MB body limit: composing them would cost far more.
    const res = await send(p.httpUrl, {
      From: { Email: 'app@example.test' },
      To: [{ Email: 'user@example.test' }],
      Subject: 'too large',
      Attachments: Array.from({ length: 4 }, (_, i) => ({
        Filename: `${i}.bin`,
        Content: randomBytes(10 * 1024 * 1024).toString('base64'),
      })),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { Error: string };
    expect(body.Error).toMatch(/exceeds the limit of 1048576 bytes/);
    expect(compile).not.toHaveBeenCalled();
    expect((await p.client.messages()).total).toBe(0);
  });

  it('still checks the composed size exactly, and accepts a send within the limit', async () => {
    const p = await start({ maxMessageSize: '1MB' });
    const compile = vi.spyOn(MailComposer.prototype, 'compile');
    // 900 KB decoded fits; as base64 in the message it is 1.2 MB, which does not.
    const over = await send(p.httpUrl, {
      From: { Email: 'app@example.test' },
      Attachments: [{ Filename: 'a.bin', Content: randomBytes(900 * 1024).toString('base64') }],
    });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { Error: string }).Error).toMatch(/^message size \d+ exceeds the limit/);
    expect(compile).toHaveBeenCalledTimes(1);
    const ok = await send(p.httpUrl, { From: { Email: 'app@example.test' }, To: [{ Email: 'u@example.test' }] });
    expect(ok.status).toBe(200);
    expect((await p.client.messages()).total).toBe(1);
  });

  it('answers other refusals of the send route in the same JSON shape', async () => {
    const p = await start();
    const res = await send(p.httpUrl, { From: { Email: 'not an address' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ Error: 'invalid From address: not an address' });
    const invalid = await send(p.httpUrl, { To: [] });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { Error: string }).Error).toMatch(/From/);
  });
});
