import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { latencyNote, startProcess } from './helpers/pigeonhole-process';
import { has } from './helpers/smtp';

const run = promisify(execFile);

/**
 * A header built to make a regular expression backtrack (`From: a<100,000 spaces>x`) once froze the
 * whole server: the summary's fast path took 17.5 s of the main thread for 98 KB, 49 s for 195 KB.
 * Now the message is answered and listed, and another client sending at the same time is answered
 * within 100 ms of each of its commands throughout, the listing that makes the summary included.
 * Pigeonhole and that client run in a process of their own, the attacker in a third, so that only
 * the server's work counts against the 100 ms.
 */

/**
 * The other client: a steady sender, not a flood (the point is its latency, not the server's
 * throughput), whose first message is untimed (the first of anything in a process pays for
 * compiling it).
 */
const STEADY = { pauseMs: 5, warmup: true } as const;

describe('adversarial From header', () => {
  it.runIf(has('python3'))(
    'is answered 250 and listed while another client is served within 100 ms of each command',
    async () => {
      const p = await startProcess();
      // The first API request of a process compiles its route and serializer: not the header's cost.
      await p.client.messages();
      // The attacker is Python's smtplib in a process of its own. It waits a moment so that the
      // steady client is sending when it comes.
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
      const steady = await p.probe(STEADY);
      const attack = run('python3', ['-c', script, String(p.smtpPort)]);
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
      const report = await steady.stop();
      expect(report.unexpected).toEqual([]);
      expect(report.delivered).toBeGreaterThan(0);
      console.log(latencyNote(report));
      expect(report.maxMs, latencyNote(report)).toBeLessThan(100);
    },
    60_000,
  );
});
