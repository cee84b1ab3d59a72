import { PigeonholeHttpError, WaitTimeoutError } from '@pigeonhole/shared/client';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

describe('our routes beyond Mailpit', () => {
  it('session: client, HELO, TLS, AUTH user, envelope and a masked transcript', async () => {
    const p = await start();
    await transport(p, {
      ignoreTLS: false,
      requireTLS: true,
      name: 'client.example.test',
      auth: { user: 'mailer', pass: 'very-secret-password' },
    }).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      bcc: 'c@example.test',
      subject: 'S',
      text: 'body text here',
    });
    const session = await p.client.session('latest');
    expect(session.ClientAddress).toMatch(/127\.0\.0\.1/);
    expect(session.Helo).toBe('client.example.test');
    expect(session.Secure).toBe(true);
    expect(session.TLS?.Protocol).toMatch(/^TLSv1\.[23]$/);
    expect(session.TLS?.Cipher).toBeTruthy();
    expect(session.Username).toBe('mailer');
    expect(session.MailFrom).toBe('a@example.test');
    expect(session.RcptTo).toEqual(['b@example.test', 'c@example.test']);
    const lines = session.Transcript.map((l) => `${l.Direction}: ${l.Line}`);
    expect(lines.some((l) => /^client: EHLO client\.example\.test/.test(l))).toBe(true);
    expect(lines.some((l) => /^client: STARTTLS/.test(l))).toBe(true);
    expect(lines.some((l) => /^client: MAIL FROM:<a@example\.test>/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('very-secret-password');
    expect(lines.join('\n')).not.toContain(Buffer.from('very-secret-password').toString('base64'));
    expect(lines.join('\n')).not.toContain('body text here');
    expect(session.Transcript.every((l) => !Number.isNaN(Date.parse(l.At)))).toBe(true);
  });

  it('wait: answers at once when the mail is there, later when it arrives, 408 at the timeout', async () => {
    const p = await start();
    const t = transport(p);
    await t.sendMail({ from: 'a@example.test', to: 'early@example.test', subject: 'Early', text: 'x' });
    const already = await p.client.wait({ query: 'to:early@example.test', timeout: 5000 });
    expect(already.messages.map((m) => m.Subject)).toEqual(['Early']);

    const pending = p.client.wait({ query: 'to:late@example.test', count: 2, timeout: 20_000 });
    let settled = false;
    void pending.then(() => (settled = true));
    await t.sendMail({ from: 'a@example.test', to: 'late@example.test', subject: 'Late 1', text: 'x' });
    await t.sendMail({ from: 'a@example.test', to: 'other@example.test', subject: 'Other', text: 'x' });
    // One of two matching messages: the wait must still be open (the request is still pending).
    await p.client.messages();
    expect(settled).toBe(false);
    await t.sendMail({ from: 'a@example.test', to: 'late@example.test', subject: 'Late 2', text: 'x' });
    const later = await pending;
    expect(later.messages_count).toBe(2);
    expect(later.messages.map((m) => m.Subject)).toEqual(['Late 2', 'Late 1']);

    const timedOut = await p.client.wait({ query: 'to:never@example.test', timeout: 300 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(PigeonholeHttpError);
    expect((timedOut as PigeonholeHttpError).status).toBe(408);
    const raw = await fetch(`${p.httpUrl}/api/v1/wait?query=to:never&timeout=200ms`);
    expect(raw.status).toBe(408);
    const bad = await fetch(`${p.httpUrl}/api/v1/wait?timeout=forever`);
    expect(bad.status).toBe(400);
  });

  it('waitForMessage resolves with the full message; its timeout error says what did arrive', async () => {
    const p = await start();
    const t = transport(p);
    const waiting = p.client.waitForMessage({ to: 'new-user@example.test', subject: 'Confirm', timeout: 20_000 });
    await t.sendMail({
      from: 'noreply@example.test',
      cc: 'new-user@example.test',
      subject: 'Confirm your address',
      text: 'Code 424242',
    });
    const message = await waiting;
    expect(message.Subject).toBe('Confirm your address');
    expect(message.Text).toContain('424242');

    const error = await p.client.waitForMessage({ to: 'ghost@example.test', timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(String((error as Error).message)).toContain('addressed:ghost@example.test');
    expect(String((error as Error).message)).toContain('Confirm your address');

    const two = p.client.waitForMessages({ from: 'batch@example.test', count: 2, timeout: 20_000 });
    await t.sendMail({ from: 'batch@example.test', to: 'x@example.test', subject: 'B1', text: 'x' });
    await t.sendMail({ from: 'batch@example.test', to: 'x@example.test', subject: 'B2', text: 'x' });
    expect((await two).map((m) => m.Subject)).toEqual(['B2', 'B1']);
  });

  it('mailboxes: every recipient (Bcc from the envelope) with message and unread counts', async () => {
    const p = await start();
    const t = transport(p);
    await t.sendMail({
      from: 'a@example.test',
      to: '"Bob B" <Bob@Example.test>',
      cc: 'carol@example.test',
      subject: '1',
      text: 'x',
    });
    await t.sendMail({
      from: 'a@example.test',
      to: 'bob@example.test',
      bcc: 'dave@example.test',
      subject: '2',
      text: 'x',
    });
    const first = (await p.client.messages()).messages.find((m) => m.Subject === '1')!;
    await p.client.setRead(true, { ids: [first.ID] });
    const { mailboxes } = await p.client.mailboxes();
    expect(mailboxes).toEqual([
      { Address: 'bob@example.test', Name: 'Bob B', Messages: 2, Unread: 1 },
      { Address: 'carol@example.test', Name: '', Messages: 1, Unread: 0 },
      { Address: 'dave@example.test', Name: '', Messages: 1, Unread: 1 },
    ]);
  });

  it('send: Mailpit body keys in any case, tags, bad base64 refused', async () => {
    const p = await start();
    const res = await fetch(`${p.httpUrl}/api/v1/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: { email: 'app@example.test', name: 'App' },
        to: [{ email: 'someone@example.test' }],
        subject: 'lower-case keys',
        text: 'hi',
        tags: ['Alpha'],
        attachments: [{ content: Buffer.from('one').toString('base64'), fileName: 'one.txt' }],
      }),
    });
    expect(res.status).toBe(200);
    const { ID } = (await res.json()) as { ID: string };
    const message = await p.client.get(ID);
    expect(message.Subject).toBe('lower-case keys');
    expect(message.Tags).toEqual(['Alpha']);
    expect(message.Attachments.map((a) => a.FileName)).toEqual(['one.txt']);
    const bad = await fetch(`${p.httpUrl}/api/v1/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ From: { Email: 'a@example.test' }, Attachments: [{ Content: '***', Filename: 'x' }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('base64');
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const p = await start();
    const res = await fetch(`${p.httpUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/messages',
      '/api/v1/search',
      '/api/v1/message/{id}',
      '/api/v1/message/{id}/part/{partId}',
      '/api/v1/tags/{tag}',
      '/api/v1/send',
      '/api/v1/wait',
      '/api/v1/mailboxes',
      '/api/v1/message/{id}/session',
      '/api/v2/messages',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/api/v1/messages']!)).toEqual(expect.arrayContaining(['get', 'put', 'delete']));
  });

  it('info counts accepted and deleted messages', async () => {
    const p = await start();
    const t = transport(p);
    await t.sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'x',
      text: 'x',
      headers: { 'X-Tags': 't1' },
    });
    await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'y', text: 'y' });
    await p.client.delete([(await p.client.messages()).messages[0]!.ID]);
    const info = await p.client.info();
    expect(info.Messages).toBe(1);
    expect(info.Tags).toEqual({ t1: 1 });
    expect(info.RuntimeStats.SMTPAccepted).toBe(2);
    expect(info.RuntimeStats.MessagesDeleted).toBe(1);
    expect(info.RuntimeStats.Memory).toBeGreaterThan(0);
  });

  it('--api-cors: CORS headers and preflight for listed origins only; empty JSON bodies are no body', async () => {
    const p = await start({ apiCors: 'http://localhost:3000' });
    const allowed = await fetch(`${p.httpUrl}/api/v1/messages`, { headers: { Origin: 'http://localhost:3000' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const foreign = await fetch(`${p.httpUrl}/api/v1/messages`, { headers: { Origin: 'http://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${p.httpUrl}/api/v1/messages`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'DELETE' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');

    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' });
    const empty = await fetch(`${p.httpUrl}/api/v1/messages`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(200);
    expect((await p.client.messages()).total).toBe(0);
  });
});
