import { Writable } from 'node:stream';
import mailhog from 'mailhog';
import { MailpitClient } from 'mailpit-api';
import { pino } from 'pino';
import type { Pigeonhole, StartOptions } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/cli';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/** A second Pigeonhole to relay into, and the first one pointed at it. */
async function pair(
  options: StartOptions = {},
  targetOptions: StartOptions = {},
): Promise<{ source: Pigeonhole; target: Pigeonhole }> {
  const target = await start(targetOptions);
  const source = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: target.smtpPort, ...options });
  return { source, target };
}

/** Resolves with the next message the store takes (store events, no polling). */
function nextMessage(p: Pigeonhole) {
  return new Promise<NonNullable<ReturnType<Pigeonhole['store']['latest']>>>((resolve) => {
    const stop = p.store.subscribe((event) => {
      if (event.type !== 'added') return;
      stop();
      resolve(event.message);
    });
  });
}

const RAW = [
  'From: App <app@example.test>',
  'To: Someone <someone@example.test>',
  'Subject: Release me',
  'Message-ID: <original@example.test>',
  'Date: Mon, 23 Nov 2026 10:00:00 +0000',
  '',
  'Line one',
  '.starts with a dot',
  'Grüße in 8 bits',
  '',
].join('\r\n');

async function post(p: Pigeonhole, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${p.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('release (Mailpit POST /api/v1/message/{ID}/release)', () => {
  it('sends the raw bytes unchanged but for a Received header, through mailpit-api', async () => {
    const { source, target } = await pair();
    await transport(source).sendMail({
      envelope: { from: 'bounce@example.test', to: ['someone@example.test'] },
      raw: RAW,
    });
    const original = source.store.latest()!;

    const arrived = nextMessage(target);
    const mailpit = new MailpitClient(source.httpUrl);
    expect(
      await mailpit.releaseMessage(original.id, { To: ['Real Person <real@elsewhere.test>', 'two@elsewhere.test'] }),
    ).toBe('ok');
    const relayed = await arrived;

    const text = relayed.keepRaw().toString('latin1');
    const received =
      /^Received: from [^\r\n]+\r\n\tby pigeonhole\.local \(Pigeonhole release, instance [0-9a-f]{8}\) with ESMTP id ([^;]+);\r\n\t[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000\r\n/.exec(
        text,
      );
    expect(received?.[1]).toBe(original.id);
    expect(relayed.keepRaw().subarray(received![0].length).equals(original.keepRaw())).toBe(true);
    expect(relayed.envelope).toEqual({
      mailFrom: 'bounce@example.test',
      rcptTo: ['real@elsewhere.test', 'two@elsewhere.test'],
    });
    // The original stays caught.
    expect(source.store.get(original.id)).toBeDefined();
  });

  it('accepts lower-case keys and `latest`, as Go decodes them', async () => {
    const { source, target } = await pair();
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'latest', text: 'x' });
    const arrived = nextMessage(target);
    expect(await post(source, '/api/v1/message/latest/release', { to: ['c@example.test'] })).toEqual({
      status: 200,
      text: 'ok',
    });
    expect((await arrived).summary.Subject).toBe('latest');
  });

  it('refuses addresses outside --smtp-relay-allowed-recipients, bad addresses and unknown IDs', async () => {
    const { source, target } = await pair({ smtpRelayAllowedRecipients: '@allowed\\.test$' });
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    const id = source.store.latest()!.id;
    expect(await post(source, `/api/v1/message/${id}/release`, { To: ['x@allowed.test', 'y@other.test'] })).toEqual({
      status: 400,
      text: 'Failed: Address does not match the allowlist: y@other.test',
    });
    expect(await post(source, `/api/v1/message/${id}/release`, { To: ['not an address'] })).toEqual({
      status: 400,
      text: 'Invalid email address: not an address',
    });
    expect((await post(source, `/api/v1/message/${id}/release`, { To: [] })).status).toBe(400);
    expect((await post(source, '/api/v1/message/nope/release', { To: ['x@allowed.test'] })).status).toBe(404);
    expect(target.store.count).toBe(0);
  });

  it("answers a relay's refusal with the relay's own reply and keeps the message", async () => {
    const { source, target } = await pair({}, { enableChaos: true });
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    const id = source.store.latest()!.id;
    const answer = await post(source, `/api/v1/message/${id}/release`, { To: ['fail-550@example.test'] });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/^SMTP error: .*550 5\.\d\.\d+ Chaos rule: fail-550@example\.test always fails/);
    expect(target.store.count).toBe(0);
    expect(source.store.get(id)).toBeDefined();
  });

  it('reports a relay that does not listen', async () => {
    const target = await start();
    const port = target.smtpPort;
    await target.stop();
    const source = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: port });
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    const answer = await post(source, '/api/v1/message/latest/release', { To: ['c@example.test'] });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/^SMTP error: .*ECONNREFUSED/);
  });

  it('answers 400 when no relay is configured', async () => {
    const source = await start();
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    expect(await post(source, '/api/v1/message/latest/release', { To: ['c@example.test'] })).toEqual({
      status: 400,
      text: 'Releasing is not configured: start Pigeonhole with --smtp-relay-host',
    });
  });

  it('relays over STARTTLS with AUTH', async () => {
    const { source, target } = await pair(
      { smtpRelayStarttls: true, smtpRelayInsecureTls: true, smtpRelayUsername: 'relay', smtpRelayPassword: 'pw' },
      { smtpAuth: 'relay:pw' },
    );
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'tls', text: 'x' });
    const arrived = nextMessage(target);
    expect((await post(source, '/api/v1/message/latest/release', { To: ['c@example.test'] })).status).toBe(200);
    const relayed = await arrived;
    expect(relayed.session.secure).toBe(true);
    expect(relayed.session.username).toBe('relay');
  });
});

describe('release (MailHog POST /api/v1/messages/{id}/release)', () => {
  it('works with the mailhog npm client (no Content-Type, lower-case keys): 200 with no body', async () => {
    const { source, target } = await pair();
    await transport(source).sendMail({ envelope: { from: 'a@example.test', to: ['b@example.test'] }, raw: RAW });
    const original = source.store.latest()!;
    const arrived = nextMessage(target);
    const client = mailhog({ host: '127.0.0.1', port: Number(new URL(source.httpUrl).port) });
    const response = await client.releaseMessage(original.id, {
      host: '127.0.0.1',
      port: String(target.smtpPort),
      email: 'mh@example.test',
    });
    expect(response.statusCode).toBe(200);
    const relayed = await arrived;
    expect(relayed.envelope.rcptTo).toEqual(['mh@example.test']);
    expect(relayed.keepRaw().toString('latin1').endsWith(original.keepRaw().toString('latin1'))).toBe(true);
  });

  it('refuses a Host other than the configured relay, with an empty body as MailHog answers failures', async () => {
    const { source, target } = await pair();
    await transport(source).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    const client = mailhog({ host: '127.0.0.1', port: Number(new URL(source.httpUrl).port) });
    const response = await client.releaseMessage(source.store.latest()!.id, {
      host: 'smtp.elsewhere.test',
      port: '25',
      email: 'x@example.test',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-pigeonhole-error']).toContain(
      `only through its configured relay 127.0.0.1:${target.smtpPort}`,
    );
    expect(target.store.count).toBe(0);
    const unknown = await post(source, '/api/v1/messages/nope/release', { Email: 'x@example.test' });
    expect(unknown).toEqual({ status: 404, text: '' });
  });
});

describe('auto-relay', () => {
  it('--smtp-relay-all relays every new message to its envelope recipients', async () => {
    const { source, target } = await pair({ smtpRelayAll: true });
    const arrived = nextMessage(target);
    await transport(source).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      bcc: 'hidden@example.test',
      subject: 'auto',
      text: 'x',
    });
    const relayed = await arrived;
    expect(relayed.summary.Subject).toBe('auto');
    expect(relayed.envelope.rcptTo).toEqual(['b@example.test', 'hidden@example.test']);
  });

  it('--smtp-relay-all with --smtp-auth relays nothing for a client that did not authenticate', async () => {
    const { source, target } = await pair({ smtpRelayAll: true, smtpAuth: 'app:secret' });
    // An open relay through the operator's relay account, were --smtp-auth not enforced.
    await expect(
      transport(source).sendMail({ from: 'spam@example.test', to: 'victim@example.test', subject: 'spam', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 530 });
    const arrived = nextMessage(target);
    const app = transport(source, { ignoreTLS: false, requireTLS: true, auth: { user: 'app', pass: 'secret' } });
    await app.sendMail({ from: 'app@example.test', to: 'b@example.test', subject: 'authenticated', text: 'x' });
    // Relays go out in order: once the authenticated one has arrived, the refused one never will.
    expect((await arrived).summary.Subject).toBe('authenticated');
    expect(target.store.count).toBe(1);
    expect(source.store.count).toBe(1);
  });

  it('--smtp-relay-matching relays only to the matching recipients, and skips mail with none', async () => {
    const { source, target } = await pair({ smtpRelayMatching: '@keep\\.test$' });
    await transport(source).sendMail({ from: 'a@example.test', to: 'x@drop.test', subject: 'none', text: 'x' });
    const arrived = nextMessage(target);
    await transport(source).sendMail({
      from: 'a@example.test',
      to: ['x@drop.test', 'y@keep.test'],
      subject: 'some',
      text: 'x',
    });
    const relayed = await arrived;
    expect(relayed.summary.Subject).toBe('some');
    expect(relayed.envelope.rcptTo).toEqual(['y@keep.test']);
    expect(target.store.count).toBe(1);
  });

  it('never blocks or fails ingest when the relay is down', async () => {
    const target = await start();
    const port = target.smtpPort;
    await target.stop();
    const source = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: port, smtpRelayAll: true });
    const info = await transport(source).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 's',
      text: 'x',
    });
    expect(info.response).toMatch(/^250 /);
    expect(source.store.count).toBe(1);
  });

  it('does not loop when the relay is this Pigeonhole itself', async () => {
    const port = await freePort();
    let warned: () => void = () => undefined;
    const loopWarning = new Promise<void>((resolve) => (warned = resolve));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (chunk.toString().includes('auto-relay loop')) warned();
        done();
      },
    });
    const p = await start({
      smtp: `127.0.0.1:${port}`,
      smtpRelayHost: '127.0.0.1',
      smtpRelayPort: port,
      smtpRelayAll: true,
      logger: pino({ level: 'warn' }, stream),
    });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'loop', text: 'x' });
    await loopWarning;
    // The original and the one copy that came back; the copy was not relayed again.
    expect(p.store.count).toBe(2);
  });
});
