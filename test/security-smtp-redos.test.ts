import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';
import { has } from './helpers/smtp';

const run = promisify(execFile);

/**
 * A header built to make a regular expression backtrack (`From: a<100,000 spaces>x`) once froze the
 * whole server: the summary's fast path took 17.5 s of the main thread for 98 KB, 49 s for 195 KB.
 * Now the message is answered and listed, and another client sending at the same time is answered
 * within 100 ms of each of its commands throughout, the listing that makes the summary included.
 */

/** A client that sends messages one after another until stopped, timing every command's reply. */
function steadyClient(port: number) {
  let stop = false;
  let worst = 0;
  let sent = 0;
  const timed = async (smtp: RawSmtp, line: string) => {
    const t = performance.now();
    const reply = await smtp.command(line);
    const ms = performance.now() - t;
    worst = Math.max(worst, ms);
    return reply;
  };
  const done = (async () => {
    const { smtp } = await RawSmtp.connect(port);
    await smtp.command('EHLO steady.example.test');
    // A first message untimed: the first of anything in a process pays for compiling it.
    expect(
      (await smtp.sendMail('steady@example.test', ['inbox@example.test'], 'Subject: warm\r\n\r\nx\r\n')).code,
    ).toBe(250);
    while (!stop) {
      expect((await timed(smtp, 'MAIL FROM:<steady@example.test>')).code).toBe(250);
      expect((await timed(smtp, 'RCPT TO:<inbox@example.test>')).code).toBe(250);
      expect((await timed(smtp, 'DATA')).code).toBe(354);
      expect((await timed(smtp, `Subject: steady ${sent}\r\n\r\nok\r\n.`)).code).toBe(250);
      sent++;
      // A steady sender, not a flood: the point is its latency, not the server's throughput.
      await new Promise((r) => setTimeout(r, 5));
    }
    await smtp.quit();
  })();
  return {
    async stop() {
      stop = true;
      await done;
      return { worst, sent };
    },
  };
}

describe('adversarial From header', () => {
  it.runIf(has('python3'))(
    'is answered 250 and listed while another client is served within 100 ms of each command',
    async () => {
      const p = await start();
      // The first API request of a process compiles its route and serializer: not the header's cost.
      await p.client.messages();
      // The attacker is Python's smtplib in a process of its own, so that only the server's work
      // counts against this process's event loop. It waits a moment so that the steady client,
      // started after the spawn (which is not the server's work either), is sending when it comes.
      const script = `
import smtplib, sys, time
time.sleep(0.5)
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    for kb in (98, 195):
        raw = ("From: a" + " " * (kb * 1000) + "x\\r\\nTo: victim@example.test\\r\\n"
               "Subject: adversarial %d\\r\\n\\r\\nbody\\r\\n" % kb).encode()
        s.sendmail("attacker@example.test", ["victim@example.test"], raw)
        print(s.noop()[0], flush=True)
`;
      const attack = run('python3', ['-c', script, String(p.smtpPort)]);
      const steady = steadyClient(p.smtpPort);
      const { stdout } = await attack;
      // sendmail raises on anything but 250; the NOOP after each shows the session still served.
      expect(stdout.trim().split('\n')).toEqual(['250', '250']);
      // The listing makes the summaries of both (deferred while SMTP is busy): the step that froze.
      const list = await p.client.messages({ limit: 500 });
      const subjects = list.messages.map((m) => m.Subject);
      expect(subjects).toContain('adversarial 98');
      expect(subjects).toContain('adversarial 195');
      const hostile = list.messages.find((m) => m.Subject === 'adversarial 195')!;
      expect(hostile.Size).toBeGreaterThan(195_000);
      const { worst, sent } = await steady.stop();
      expect(sent).toBeGreaterThan(0);
      expect(worst).toBeLessThan(100);
    },
    60_000,
  );
});
