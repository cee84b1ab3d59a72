import type { Pigeonhole, StartOptions } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * Cross-site request forgery against state changes: the requests a page on another site can make a
 * browser send without a preflight (a form or `fetch` with `mode: 'no-cors'`: form or text bodies, a
 * foreign `Origin`, `Sec-Fetch-Site: cross-site`), sent here by hand with fetch, against release,
 * chaos, delete and read state. A second Pigeonhole is the relay sink: it must receive nothing.
 * The same attack from a real Chromium page is in test/browser/security-csrf-browser.test.ts.
 */

/** Messages held, through the API (the store defers summaries of a burst until someone asks). */
async function total(p: Pigeonhole): Promise<number> {
  return (await p.client.messages()).total;
}

const ATTACK = '{"To":["attacker@evil.example"]}';
const MAILHOG_ATTACK = '{"Email":"attacker@evil.example"}';

/** A Pigeonhole holding one caught message, relaying into a second one that counts arrivals. */
async function withCaughtMail(options: StartOptions = {}): Promise<{ p: Pigeonhole; sink: Pigeonhole; id: string }> {
  const sink = await start();
  const p = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: sink.smtpPort, enableChaos: true, ...options });
  await transport(p).sendMail({
    from: 'app@example.test',
    to: 'user@example.test',
    subject: 'Reset your password',
    text: 'https://app.example.test/reset?token=secret',
  });
  return { p, sink, id: p.store.latest()!.id };
}

async function send(
  p: Pigeonhole,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; error: string | null }> {
  // Bytes, not a string: fetch would add `Content-Type: text/plain` to a string body on its own.
  const bytes = body === undefined ? {} : { body: new TextEncoder().encode(body) };
  const res = await fetch(`${p.httpUrl}${path}`, { method, headers, ...bytes });
  return { status: res.status, text: await res.text(), error: res.headers.get('x-pigeonhole-error') };
}

/** The content types a form or a no-cors fetch may carry without a preflight (Fetch standard). */
const SIMPLE_TYPES = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/plain;charset=UTF-8',
  'multipart/form-data; boundary=x',
];

describe('cross-site state changes', () => {
  it('refuses release, MailHog release and chaos with a form or text body (415), from any origin, and relays nothing', async () => {
    const { p, sink, id } = await withCaughtMail();
    for (const type of SIMPLE_TYPES) {
      for (const origin of [undefined, 'http://evil.example']) {
        const headers: Record<string, string> = { 'content-type': type, ...(origin ? { origin } : {}) };
        const mailpit = await send(p, 'POST', '/api/v1/message/latest/release', headers, ATTACK);
        expect([403, 415], `${type} ${origin}`).toContain(mailpit.status);
        if (!origin) {
          expect(mailpit.status).toBe(415);
          expect(mailpit.text).toMatch(/application\/json/);
        }
        const mailhog = await send(p, 'POST', `/api/v1/messages/${id}/release`, headers, MAILHOG_ATTACK);
        expect([403, 415], `${type} ${origin}`).toContain(mailhog.status);
        expect(mailhog.error ?? '').toMatch(/application\/json|--api-cors/);
        const chaos = await send(
          p,
          'PUT',
          '/api/v1/chaos',
          headers,
          '{"Recipient":{"ErrorCode":451,"Probability":100}}',
        );
        expect([403, 415], `${type} ${origin}`).toContain(chaos.status);
      }
    }
    expect(p.app.pigeonhole.chaos?.triggers.Recipient.Probability).toBe(0);
    // A release is answered only after the relay took the message, so nothing is on its way either.
    expect(await total(sink)).toBe(0);
    // The sink works: the same release as JSON from no browser (curl, the clients) arrives.
    const json = await send(
      p,
      'POST',
      '/api/v1/message/latest/release',
      { 'content-type': 'application/json' },
      ATTACK,
    );
    expect(json).toMatchObject({ status: 200, text: 'ok' });
    await sink.client.waitForMessage({ subject: 'Reset your password', timeout: 10_000 });
    expect(await total(sink)).toBe(1);
  });

  it('refuses JSON from a foreign Origin or Sec-Fetch-Site with 403 naming --api-cors, on every state change', async () => {
    const { p, sink, id } = await withCaughtMail();
    const host = new URL(p.httpUrl).host;
    const json = { 'content-type': 'application/json' };
    const foreign: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://${host}.evil.example` },
      // Same site, other port: still another origin.
      { origin: `http://${host.replace(/:\d+$/, ':1')}` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: `http://${host}`, 'sec-fetch-site': 'cross-site' },
    ];
    const requests: [string, string, string | undefined][] = [
      ['POST', '/api/v1/message/latest/release', ATTACK],
      ['POST', `/api/v1/messages/${id}/release`, MAILHOG_ATTACK],
      ['PUT', '/api/v1/chaos', '{"Recipient":{"ErrorCode":451,"Probability":100}}'],
      ['PUT', '/api/v1/messages', JSON.stringify({ IDs: [id], Read: true })],
      ['PUT', '/api/v1/tags', JSON.stringify({ IDs: [id], Tags: ['pwned'] })],
      ['DELETE', '/api/v1/messages', undefined],
      ['DELETE', `/api/v1/messages/${id}`, undefined],
      [
        'POST',
        '/api/v1/send',
        JSON.stringify({ From: { Email: 'a@evil.example' }, To: [{ Email: 'b@example.test' }] }),
      ],
    ];
    for (const headers of foreign) {
      for (const [method, path, body] of requests) {
        const res = await send(p, method, path, { ...json, ...headers }, body);
        const label = `${method} ${path} ${JSON.stringify(headers)}`;
        expect(res.status, label).toBe(403);
        expect(res.text || res.error, label).toMatch(/--api-cors/);
      }
    }
    expect(await total(p)).toBe(1);
    // The list, not the message route: reading a message marks it read, as in Mailpit.
    expect((await p.client.messages()).messages[0]).toMatchObject({ Read: false, Tags: [] });
    expect(await total(sink)).toBe(0);

    // The UI's own requests: same origin, as Chromium labels them.
    const own = { ...json, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' };
    expect((await send(p, 'PUT', '/api/v1/messages', own, JSON.stringify({ IDs: [id], Read: true }))).status).toBe(200);
    expect((await send(p, 'POST', '/api/v1/message/latest/release', own, ATTACK)).status).toBe(200);
    expect((await send(p, 'DELETE', '/api/v1/messages', { origin: `http://${host}` })).status).toBe(200);
    expect(await total(p)).toBe(0);
  });

  it('lets an origin named by --api-cors change state with JSON, and still refuses it a form body', async () => {
    const { p, sink } = await withCaughtMail({ apiCors: 'http://app.example.test' });
    const cors = { origin: 'http://app.example.test', 'sec-fetch-site': 'cross-site' };
    const form = await send(
      p,
      'POST',
      '/api/v1/message/latest/release',
      { ...cors, 'content-type': 'text/plain' },
      ATTACK,
    );
    expect(form.status).toBe(415);
    const other = await send(
      p,
      'POST',
      '/api/v1/message/latest/release',
      {
        origin: 'http://evil.example',
        'content-type': 'application/json',
      },
      ATTACK,
    );
    expect(other.status).toBe(403);
    expect(await total(sink)).toBe(0);
    const ok = await send(
      p,
      'POST',
      '/api/v1/message/latest/release',
      { ...cors, 'content-type': 'application/json' },
      ATTACK,
    );
    expect(ok).toMatchObject({ status: 200, text: 'ok' });
  });

  it('reads JSON with +json types, a charset, or no Content-Type (the mailhog client), and a typeless DELETE body as JSON', async () => {
    const { p } = await withCaughtMail({ enableChaos: true });
    const t = transport(p);
    await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'second', text: 'x' });
    const [second, first] = (await p.client.messages()).messages;
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON']) {
      const res = await send(
        p,
        'PUT',
        '/api/v1/chaos',
        { 'content-type': type },
        '{"Sender":{"ErrorCode":451,"Probability":3}}',
      );
      expect(res.status, type).toBe(200);
    }
    const typeless = await send(p, 'PUT', '/api/v1/chaos', {}, '{"Sender":{"ErrorCode":451,"Probability":4}}');
    expect(typeless.status).toBe(200);
    expect(p.app.pigeonhole.chaos?.triggers.Sender.Probability).toBe(4);
    // fastify would skip a DELETE body that has no type, and delete every message instead of one.
    const del = await send(p, 'DELETE', '/api/v1/messages', {}, JSON.stringify({ IDs: [first!.ID] }));
    expect(del.status).toBe(200);
    expect((await p.client.messages()).messages.map((m) => m.ID)).toEqual([second!.ID]);
    const bad = await send(p, 'PUT', '/api/v1/chaos', {}, 'Recipient=1');
    expect(bad.status).toBe(400);
  });
});
