import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { eventually, socketsOn } from './fixtures/handles';
import { RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';
import { latencyNote, startProcess } from './helpers/pigeonhole-process';
import { transport } from './helpers/smtp';

/**
 * Connection floods: 1,000 idle SMTP connections against the default limit of 200 once shut every
 * real client out with `421 Too many connected clients`. Now, as in Postfix's stress mode and its
 * postscreen, a connection at the limit waits greeted in a waiting room where it takes no session;
 * one that speaks gets a session by closing one that does nothing (oldest first, with 421 4.7.0),
 * never a session inside a transaction; one that stays silent gets its 421 after 10 s. The stress is
 * logged once when it starts and once when it ends.
 *
 * The flooder here is the hostile kind: it opens 1,000 connections, never says a word, and re-opens
 * every one the server closes, at once, for as long as the test runs. Where the server runs in this
 * process too, each connection costs two file descriptors here. The test with a time bound runs
 * Pigeonhole, and the well-formed clients it times, in a process of their own, so that the flooder's
 * work on this process's loop does not count as the server's.
 */

const FLOOD = 1000;

/** The process's open-file limit (`ulimit -n`), inherited by a child shell. */
function fileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n']).stdout?.toString().trim() ?? '';
  return out === 'unlimited' ? Infinity : Number(out) || 0;
}
const NEEDED_FDS = 2 * FLOOD + 1000;
const enoughFds = fileLimit() >= NEEDED_FDS;
if (!enoughFds) {
  console.warn(
    `skipping the SMTP flood tests: ulimit -n is ${fileLimit()}, they need ${NEEDED_FDS} (two per connection)`,
  );
}

/** Holds `size` silent connections, re-opening each one the server closes until stopped. */
function flooder(port: number, size: number) {
  const sockets = new Set<net.Socket>();
  let stopped = false;
  let closedByServer = 0;
  const replies: string[] = [];
  /** Connections that were greeted. */
  let greeted = 0;
  /** When each connection that waited too long got its 421. */
  const refusedAt: number[] = [];
  const open = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('connect', () => resolve());
      socket.on('data', (d: Buffer) => {
        const line = d.toString('latin1');
        if (line.startsWith('220 ')) greeted++;
        if (line.startsWith('421')) replies.push(line.split('\r\n')[0]!);
        if (/^421 .*Too many connected clients/.test(line)) refusedAt.push(Date.now());
      });
      socket.once('close', () => {
        sockets.delete(socket);
        resolve();
        if (stopped) return;
        closedByServer++;
        void open();
      });
    });
  const opened = (async () => {
    for (let i = 0; i < size; i += 100) await Promise.all(Array.from({ length: Math.min(100, size - i) }, open));
  })();
  return {
    opened,
    get closedByServer() {
      return closedByServer;
    },
    get greeted() {
      return greeted;
    },
    replies,
    refusedAt,
    stop() {
      stopped = true;
      for (const s of sockets) s.destroy();
    },
  };
}

describe.runIf(enoughFds)('SMTP connection floods', () => {
  it('serves 20 well-formed clients in a row, each within 5 s, while a flooder holds 1,000 idle connections', async () => {
    const p = await startProcess({ logLevel: 'info' });
    expect(p.config.smtpMaxConnections).toBe(200);
    expect(p.config.smtpIdleTimeoutMs).toBe(5 * 60_000);
    const flood = flooder(p.smtpPort, FLOOD);
    await flood.opened;
    try {
      // Each client connects afresh, is greeted, says EHLO and sends one message; each is timed
      // from its connect to the 250 after its message.
      const report = await (await p.probe({ connectionPerRound: true, rounds: 20 })).finished();
      expect(report.unexpected).toEqual([]);
      expect(report.delivered).toBe(20);
      console.log(`during the flood: ${latencyNote(report)}, slowest client ${report.maxRoundMs.toFixed(0)} ms`);
      expect(report.maxRoundMs, latencyNote(report)).toBeLessThan(5000);
      // The first client to speak took a flood session, closed with a reason; every connection of
      // the flood, sessions and waiting room alike, was greeted.
      await eventually('a flood session closed for the first client', () => flood.closedByServer >= 1);
      expect(flood.replies[0]).toMatch(/^421 4\.7\.0 pigeonhole\.local Too many connections/);
      await eventually('the flood greeted', () => flood.greeted >= FLOOD);
    } finally {
      flood.stop();
    }
    expect(await p.storeCount()).toBe(20);
    await eventually(
      'every SMTP socket freed',
      async () => (await p.smtpSockets()) === 0 && socketsOn(p.smtpPort) === 0,
    );
    // Stress is logged once when it starts, and once when it ends (the next second's sweep).
    await eventually('stress over', async () => (await p.logCount('SMTP stress over')) === 1, 5000);
    expect(await p.logCount('SMTP under stress')).toBe(1);
  }, 60_000);

  it('refuses connections that waited too long a few at a time, so that they do not come back as one burst', async () => {
    // A flood opened in one burst once got its 421s in one burst 10 s later and came back in one:
    // waiters are admitted newest first, so that burst went ahead of every client then waiting.
    const p = await start({ smtpMaxConnections: 20 });
    const flood = flooder(p.smtpPort, 100);
    await flood.opened;
    try {
      await eventually('the first waiters refused', () => flood.refusedAt.length >= 8, 20_000);
      const at = [...flood.refusedAt].sort((a, b) => a - b);
      // At 20 connections, one refusal a sweep (four a second): never eight within half a second.
      for (let i = 0; i + 7 < at.length; i++) expect(at[i + 7]! - at[i]!).toBeGreaterThan(500);
    } finally {
      flood.stop();
    }
  }, 40_000);

  it('never cuts a session inside a transaction or DATA, gives a speaking client a silent one, and closes one idle past 10 s', async () => {
    const p = await start({ smtpMaxConnections: 50 });
    // One session in the middle of DATA, one with MAIL FROM given, one idle after EHLO, all before
    // the flood, so that they are the oldest.
    const inData = (await RawSmtp.connect(p.smtpPort)).smtp;
    await inData.command('EHLO data.example.test');
    await inData.command('MAIL FROM:<data@example.test>');
    await inData.command('RCPT TO:<rcpt@example.test>');
    expect((await inData.command('DATA')).code).toBe(354);
    inData.send('Subject: half a body\r\n\r\nfirst half\r\n');
    const inMail = (await RawSmtp.connect(p.smtpPort)).smtp;
    await inMail.command('EHLO mail.example.test');
    expect((await inMail.command('MAIL FROM:<mail@example.test>')).code).toBe(250);
    const idle = (await RawSmtp.connect(p.smtpPort)).smtp;
    await idle.command('EHLO idle.example.test');
    const idleClosed = idle.reply();

    const flood = flooder(p.smtpPort, 200);
    await flood.opened;
    try {
      // A client that connects now waits greeted, and on its EHLO gets the session of a silent
      // flood connection (a second old), not the idle one: silent ones go first.
      await new Promise((r) => setTimeout(r, 1100));
      const late = await RawSmtp.connect(p.smtpPort);
      expect(late.greeting.code).toBe(220);
      expect((await late.smtp.command('EHLO late.example.test')).code).toBe(250);
      await eventually('a flood session closed for it', () => flood.closedByServer >= 1);
      expect(flood.replies[0]).toMatch(/^421 4\.7\.0 .*Too many connections/);
      expect(idle.closed).toBe(false);
      late.smtp.destroy();
      // Under stress the idle one is closed with a reason after 10 s; the two in a transaction are
      // not, whatever the flood.
      const closing = await idleClosed;
      expect(closing.code).toBe(421);
      expect(closing.text).toMatch(/^4\.7\.0 .*Idle too long/);
      expect(inData.closed || inMail.closed).toBe(false);
      inData.send('second half\r\n.\r\n');
      expect((await inData.reply()).code).toBe(250);
      expect((await inMail.command('RCPT TO:<rcpt@example.test>')).code).toBe(250);
      expect((await inMail.command('DATA')).code).toBe(354);
      inMail.send('Subject: after MAIL\r\n\r\nok\r\n.\r\n');
      expect((await inMail.reply()).code).toBe(250);
    } finally {
      flood.stop();
      inData.destroy();
      inMail.destroy();
    }
    expect(p.store.count).toBe(2);
  }, 60_000);

  it('greets a connection at the limit as a session would, refuses an early talker there, and takes STARTTLS and implicit TLS through', async () => {
    const p = await start({ smtpMaxConnections: 10 });
    const before = await RawSmtp.connect(p.smtpPort);
    const flood = flooder(p.smtpPort, 20);
    await flood.opened;
    try {
      // In the waiting room: the same greeting a session sends, and smtp-server's answer to a
      // client that speaks before it.
      const waiting = await RawSmtp.connect(p.smtpPort);
      expect(waiting.greeting).toEqual(before.greeting);
      // Its session does not greet it again: the next reply is the one to its EHLO.
      expect((await waiting.smtp.command('EHLO waiting.example.test')).code).toBe(250);
      waiting.smtp.destroy();
      const early = net.connect(p.smtpPort, '127.0.0.1');
      early.write('EHLO early.example.test\r\n');
      const [said] = await once(early.setEncoding('latin1'), 'data');
      expect(said).toMatch(/^421 pigeonhole\.local You talk too soon/);
      early.destroy();
      // A client that speaks gets a session once a silent one has had its second, and its
      // conversation goes on where it left it: EHLO already said, STARTTLS, a message.
      const info = await transport(p, { ignoreTLS: false, requireTLS: true }).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        subject: 'through the waiting room',
        text: 'x',
      });
      expect(info.response).toMatch(/^250 /);
      const stored = p.store.latest()!;
      expect(stored.session.secure).toBe(true);
      const lines = stored.session.transcript.map((l) => l.line);
      expect(lines[0]).toBe(`220 ${before.greeting.text}`);
      expect(lines.slice(1, 3).map((l) => l.split(' ')[0])).toEqual(['EHLO', '250-pigeonhole.local']);
      expect(lines).toContain('STARTTLS');
    } finally {
      flood.stop();
      before.smtp.destroy();
    }

    const tls = await start({ smtpMaxConnections: 10, smtpRequireTls: true });
    const tlsFlood = flooder(tls.smtpPort, 20);
    await tlsFlood.opened;
    try {
      const info = await transport(tls, { secure: true, ignoreTLS: false }).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        text: 'smtps through the waiting room',
      });
      expect(info.response).toMatch(/^250 /);
      expect(tls.store.latest()!.session.secure).toBe(true);
    } finally {
      tlsFlood.stop();
    }
  }, 60_000);

  it('delivers every message of a leaking nodemailer pool of 250 and of the other apps sending meanwhile', async () => {
    const p = await start();
    // A pool that is never closed: its idle connections stay open after each batch.
    const leaky = nodemailer.createTransport({
      host: '127.0.0.1',
      port: p.smtpPort,
      ignoreTLS: true,
      pool: true,
      maxConnections: 250,
      maxMessages: Infinity,
    });
    const send = (t: Transporter, subject: string) =>
      t.sendMail({ from: 'app@example.test', to: 'rcpt@example.test', subject, text: subject });
    const batch = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => send(leaky, `${prefix} ${i}`));
    try {
      await Promise.all(batch(300, 'pool first'));
      // Other apps, each with a connection of its own, while the pool holds its idle ones.
      const others = await Promise.all(Array.from({ length: 20 }, (_, i) => send(transport(p), `other app ${i}`)));
      expect(others.every((info) => /^250 /.test(String(info.response)))).toBe(true);
      // And the pool, still open, goes on sending; the connections closed under it are re-opened.
      const more = await Promise.all(batch(200, 'pool again'));
      expect(more.every((info) => /^250 /.test(String(info.response)))).toBe(true);
    } finally {
      leaky.close();
    }
    expect(p.store.count).toBe(520);
    const subjects = new Set(p.store.page(0, 1000).map((m) => m.summary.Subject));
    for (let i = 0; i < 20; i++) expect(subjects.has(`other app ${i}`)).toBe(true);
  }, 60_000);
});
