import net from 'node:net';
import { performance } from 'node:perf_hooks';

/** What an SMTP probe saw: replies and the slowest of them. */
export interface ProbeReport {
  /** Messages accepted with 250 after DATA. */
  delivered: number;
  /** Replies read, every command of every transaction. */
  replies: number;
  /** The slowest reply, ms from the command written to the reply read. */
  maxMs: number;
  /** Replies that were not the expected code, as text. */
  unexpected: string[];
}

/** A running probe: stop it to get its report. */
export interface SmtpProbe {
  stop(): Promise<ProbeReport>;
}

/**
 * A real SMTP client on a raw socket that keeps sending small messages (MAIL, RCPT, DATA, body) on
 * one connection and times every reply, for tests that assert the server keeps answering while
 * something else (a search, a page of mail HTML) runs. The time is measured from the command's
 * write to its reply's arrival, so an event loop that stalls shows up as a slow reply.
 */
export function smtpProbe(port: number): SmtpProbe {
  const socket = net.connect(port, '127.0.0.1');
  const report: ProbeReport = { delivered: 0, replies: 0, maxMs: 0, unexpected: [] };
  let buffer = '';
  let waiting: ((reply: string) => void) | null = null;
  let stopping = false;
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    if (/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(buffer) && waiting) {
      const reply = buffer;
      buffer = '';
      const done = waiting;
      waiting = null;
      done(reply);
    }
  });
  socket.on('error', (err) => report.unexpected.push(`socket: ${err.message}`));
  const read = () => new Promise<string>((resolve) => (waiting = resolve));
  const command = async (line: string, code: string): Promise<void> => {
    const reply = read();
    const at = performance.now();
    socket.write(`${line}\r\n`);
    const text = await reply;
    report.maxMs = Math.max(report.maxMs, performance.now() - at);
    report.replies++;
    if (!text.startsWith(code)) report.unexpected.push(`${line.slice(0, 20)} -> ${text.trim()}`);
  };
  const running = (async () => {
    await read();
    await command('EHLO probe.test', '250');
    for (let i = 0; !stopping; i++) {
      await command('MAIL FROM:<probe@example.test>', '250');
      await command('RCPT TO:<probe@example.test>', '250');
      await command('DATA', '354');
      await command(`Subject: probe ${i}\r\n\r\nprobe body ${i}\r\n.`, '250');
      report.delivered++;
    }
    await command('QUIT', '221');
    socket.end();
  })();
  return {
    async stop() {
      stopping = true;
      await running;
      return report;
    },
  };
}
