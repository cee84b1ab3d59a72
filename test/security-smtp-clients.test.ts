import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, socketsOn } from './fixtures/handles';
import { queuedId, RawSmtp, SmtpClosedError } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * Hostile SMTP clients: early talkers, HTTP on the SMTP port, TLS handshakes that never finish,
 * floods of idle connections, clients that drip a byte a second, and CRLF injection through the
 * envelope. Throughout, the server stays up, answers well-formed clients, and frees every socket.
 * Floods of idle connections: security-smtp-flood.test.ts.
 */

/** Opens a socket, writes `bytes` (optionally before the greeting) and collects output until close. */
async function talk(port: number, bytes: string, waitForGreeting: boolean): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let output = '';
  const greeted = new Promise<void>((resolve) =>
    socket.on('data', (d: Buffer) => {
      output += d.toString('latin1');
      resolve();
    }),
  );
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (waitForGreeting) await greeted;
  socket.write(Buffer.from(bytes, 'latin1'));
  await closed;
  return output;
}

async function sendGood(port: number, subject: string): Promise<number> {
  const { smtp, greeting } = await RawSmtp.connect(port);
  if (greeting.code !== 220) {
    smtp.destroy();
    return greeting.code;
  }
  await smtp.command('EHLO good.example.test');
  const reply = await smtp.sendMail('good@example.test', ['rcpt@example.test'], `Subject: ${subject}\r\n\r\nok\r\n`);
  await smtp.quit();
  return reply.code;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

describe('hostile SMTP clients', () => {
  it('refuses commands sent before the greeting with 421 and stores nothing', async () => {
    const p = await start();
    const output = await talk(
      p.smtpPort,
      'EHLO early\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nSubject: early\r\n\r\nx\r\n.\r\n',
      false,
    );
    expect(output).toMatch(/^421 .*too soon/i);
    expect(output).not.toMatch(/^250/m);
    expect(p.store.count).toBe(0);
    expect(await sendGood(p.smtpPort, 'after the early talker')).toBe(250);
    await eventually('SMTP sockets closed', () => socketsOn(p.smtpPort) === 0);
  });

  it('answers HTTP sent to the SMTP port with 421 and closes', async () => {
    const p = await start();
    const output = await talk(p.smtpPort, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n', true);
    const replies = output.split('\r\n').filter(Boolean);
    expect(replies[0]).toMatch(/^220 /);
    expect(replies[1]).toMatch(/^421 .*HTTP/);
    expect(replies).toHaveLength(2);
    const post = await talk(p.smtpPort, 'POST /api/v1/send HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}', true);
    expect(post).toMatch(/\r\n421 /);
    expect(await sendGood(p.smtpPort, 'after HTTP')).toBe(250);
    await eventually('SMTP sockets closed', () => socketsOn(p.smtpPort) === 0);
  });

  it('closes STARTTLS and implicit-TLS handshakes that never finish, and serves others meanwhile', async () => {
    const plain = await start({ smtpIdleTimeout: '1s' });
    const implicit = await start({ smtpIdleTimeout: '1s', smtpRequireTls: true });
    const stalled: Promise<string>[] = [];
    for (let i = 0; i < 20; i++) {
      // Half a ClientHello after STARTTLS, then silence.
      stalled.push(talk(plain.smtpPort, 'EHLO stall\r\nSTARTTLS\r\n\x16\x03\x01\x02\x00\x01', true));
      // A TLS listener: connect, send five bytes of a record header, then silence.
      stalled.push(
        new Promise<string>((resolve) => {
          const s = net.connect(implicit.smtpPort, '127.0.0.1', () =>
            s.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])),
          );
          s.on('error', () => {});
          s.once('close', () => resolve('closed'));
        }),
      );
    }
    // While they hang, well-formed clients of both listeners are served.
    expect(await sendGood(plain.smtpPort, 'during the stall')).toBe(250);
    const info = await transport(implicit, { secure: true }).sendMail({
      from: 'tls@example.test',
      to: 'rcpt@example.test',
      subject: 'implicit TLS during the stall',
      text: 'ok',
    });
    expect(info.accepted).toEqual(['rcpt@example.test']);
    // Every stalled handshake is closed by the server (the idle timeout), not by the client.
    const outputs = await Promise.all(stalled);
    expect(outputs.filter((o) => o.includes('220 2.0.0 Ready to start TLS'))).toHaveLength(20);
    await eventually('plain sockets closed', () => socketsOn(plain.smtpPort) === 0);
    await eventually('TLS sockets closed', () => socketsOn(implicit.smtpPort) === 0);
  });

  it('keeps serving while clients drip one byte a second, and closes them once they pause past the timeout', async () => {
    const p = await start({ smtpIdleTimeout: '2500ms' });
    const drippers = await Promise.all(Array.from({ length: 20 }, () => RawSmtp.connect(p.smtpPort)));
    const line = 'EHLO drip.example.test\r\n';
    let sent = 0;
    const drip = setInterval(() => {
      for (const { smtp } of drippers) smtp.send(line[sent % line.length]!);
      sent++;
    }, 1000);
    try {
      // Four seconds and more of dripping: longer than the idle timeout, so only the drip keeps them
      // open (a byte a second leaves a margin of 1.5 s for a busy machine's timers).
      for (let i = 0; i < 8; i++) {
        expect(await sendGood(p.smtpPort, `while dripping ${i}`)).toBe(250);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(drippers.every(({ smtp }) => !smtp.closed)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    // The drip stops: the server closes each with 421 after the idle timeout.
    const last = await Promise.all(
      drippers.map(async ({ smtp }) => {
        try {
          return (await smtp.reply()).code;
        } catch (err) {
          return err instanceof SmtpClosedError ? 0 : -1;
        }
      }),
    );
    expect(last.every((code) => code === 421)).toBe(true);
    await eventually('drippers freed', () => socketsOn(p.smtpPort) === 0);
    expect(p.store.count).toBe(8);
  });

  it('answers a command line over --smtp-max-line-length with 421 and closes, ended or not', async () => {
    const p = await start({ smtpMaxLineLength: 1024 });
    for (const line of [`MAIL FROM:<${'a'.repeat(2000)}@example.test>\r\n`, `NOOP ${'x'.repeat(64 * 1024)}`]) {
      const { smtp } = await RawSmtp.connect(p.smtpPort);
      expect((await smtp.command('EHLO long.example.test')).code).toBe(250);
      // The second has no line end at all: it is cut at the limit, not buffered forever.
      smtp.send(line);
      const reply = await smtp.reply();
      expect(reply.code).toBe(421);
      expect(reply.text).toMatch(/too long/i);
      await eventually('closed by the server', () => smtp.closed);
    }
    expect(await sendGood(p.smtpPort, 'after the long lines')).toBe(250);
    await eventually('sockets freed', () => socketsOn(p.smtpPort) === 0);
  });

  it('cannot forge transcript lines, envelope entries or headers through MAIL FROM / RCPT TO', async () => {
    const p = await start();
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    expect((await smtp.command('EHLO x\r250-FORGED')).code).toBe(501);
    expect((await smtp.command('EHLO inject.example.test')).code).toBe(250);
    // Control characters inside an address are refused outright.
    expect((await smtp.command('MAIL FROM:<evil@example.test\r250 forged>')).code).toBe(501);
    expect((await smtp.command('MAIL FROM:<evil\x00@example.test>')).code).toBe(501);
    expect((await smtp.command('MAIL FROM:<evil@example.test\x1b[2K>')).code).toBe(501);
    // A bare LF ends the command: what follows is a command of its own, never part of the address.
    smtp.send('MAIL FROM:<evil@example.test\nX-Injected: yes>\r\n');
    expect((await smtp.reply()).code).toBe(501);
    expect((await smtp.reply()).code).toBe(500);
    // Parameters are lax in smtp-server (a bare CR passes): accepted, but the transcript escapes it.
    expect((await smtp.command('MAIL FROM:<a@example.test> SIZE=10\r250 2.1.0 forged')).code).toBe(250);
    expect((await smtp.command('RCPT TO:<b@example.test\rX-Injected: yes>')).code).toBe(501);
    expect((await smtp.command('RCPT TO:<b@example.test> NOTIFY=NEVER\r\x1b[31mX-Injected: yes')).code).toBe(250);
    const body = 'Subject: injection\r\n\r\nbody\r\n';
    expect((await smtp.command('DATA')).code).toBe(354);
    smtp.send(`${body}.\r\n`);
    const reply = await smtp.reply();
    expect(reply.code).toBe(250);
    await smtp.quit();

    const stored = p.store.get(queuedId(reply))!;
    expect(stored.keepRaw().toString('latin1')).toBe(body);
    // NOTIFY=NEVER is recorded as the delivery-report request it is; the rest of the line is not.
    expect(stored.envelope).toEqual({
      mailFrom: 'a@example.test',
      rcptTo: ['b@example.test'],
      dsn: { ret: '', envid: '', recipients: [{ address: 'b@example.test', notify: ['NEVER'], orcpt: '' }] },
    });
    for (const entry of stored.session.transcript) {
      expect(entry.line, JSON.stringify(entry.line)).not.toMatch(CONTROL);
    }
    const client = stored.session.transcript.filter((l) => l.direction === 'client').map((l) => l.line);
    expect(client.some((l) => /^\d{3}[ -]/.test(l))).toBe(false);
    expect(client).toContain('MAIL FROM:<a@example.test> SIZE=10\\r250 2.1.0 forged');
    const server = stored.session.transcript.filter((l) => l.direction === 'server').map((l) => l.line);
    expect(server.some((l) => /forged/i.test(l))).toBe(false);
  });
});
