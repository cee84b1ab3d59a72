import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { converse, transport } from './helpers/smtp';

/**
 * The session route explains every transcript line (shared/src/smtp-explain), and transcript lines
 * are the client's words. Lines shaped to make a regular expression backtrack (long runs of spaces,
 * of `<`, of `=`, of `.`, digits that never end a code) are sent 4 KiB each, as many as a message's
 * transcript keeps (400), over a real socket. The session is explained, each note stays short, and
 * the server goes on serving others. The 5 s bound is generous for a linear pass over 1.6 MB; one
 * quadratic step per line would cost minutes.
 */
const LINE = 4000;
const hostile = [
  `MAIL FROM:<a@example.test>${' '.repeat(LINE)}`,
  `RCPT TO:${'<'.repeat(LINE)}`,
  `RCPT TO:<v@example.test> ${'NOTIFY='.repeat(LINE / 7)}`,
  `RCPT TO:<v@example.test> ${'ORCPT=rfc822;'.repeat(LINE / 13)}`,
  `RCPT TO:<v@example.test> ${'A=B '.repeat(LINE / 4)}`,
  `AUTH ${'PLAIN '.repeat(LINE / 6)}`,
  `EHLO ${'.'.repeat(LINE)}`,
  `${'2.'.repeat(LINE / 2)}`,
  `MAIL${' '.repeat(LINE)}FROM:`,
  `RCPT TO:<v@example.test>${' '.repeat(LINE)}x`,
  `250-${' '.repeat(LINE)}x`,
];

describe('session explanations under hostile lines', () => {
  it('explains a transcript of 4 KiB hostile lines within 5 s, notes bounded, others still served', async () => {
    const p = await start({ smtpMaxRecipients: 1000 });
    const lines = ['EHLO attacker.test', 'MAIL FROM:<attacker@example.test>'];
    // Every other line is the commonest shape of all: a run of spaces that does not end the line.
    const spaces = `RCPT TO:<v@example.test>${' '.repeat(LINE)}x`;
    while (lines.length < 200) {
      for (const l of hostile) lines.push(l.startsWith('RCPT') ? l : `RCPT TO:${l}`, spaces);
    }
    lines.push('RCPT TO:<victim@example.test>', 'DATA', 'Subject: hostile\r\n\r\nbody\r\n.');
    const replies = await converse(p.smtpPort, lines);
    expect(replies.at(-1)).toMatch(/^250 /);

    const started = Date.now();
    const session = await p.client.session('latest');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(session.Transcript.length).toBeGreaterThan(300);
    const longest = session.Transcript.filter((l) => l.Line.length >= LINE);
    expect(longest.length).toBeGreaterThan(100);
    for (const line of session.Transcript) {
      // At most the command, 16 parameters; each term cut to 80 characters.
      expect(line.Explain.length).toBeLessThanOrEqual(17);
      for (const note of line.Explain) expect(note.Term.length).toBeLessThanOrEqual(81);
    }
    // The hostile RCPT lines are still read as RCPT TO, their DSN words as far as they go.
    const notify = session.Transcript.find((l) => l.Line.includes('NOTIFY=NOTIFY='))!;
    expect(notify.Explain[0]!.Term).toBe('RCPT TO');

    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'after', text: 'x' });
    expect((await p.client.get('latest')).Subject).toBe('after');
  }, 60_000);
});
