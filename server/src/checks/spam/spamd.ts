// SpamAssassin's spamd protocol (SPAMC/1.5, the `REPORT` command), as spamc speaks it: one
// connection per message, the report's rule table parsed into Mailpit's `Rules`.
import { connect } from 'node:net';
import type { SpamCheck } from '@pigeonhole/shared/schemas/checks';

/** The answer's size is bounded: a report is a few KB. */
const MAX_ANSWER = 1024 * 1024;

/** Mailpit rounds scores down to one decimal. */
export const round1 = (n: number): number => Math.floor(n * 10) / 10;

/** Parses spamd's answer to REPORT: the `Spam:` header's score and the report's rule table. */
export function parseSpamdReport(answer: string): Omit<SpamCheck, 'Filter' | 'Error'> {
  const [head, body] = splitOnce(answer);
  const status = /^SPAMD\/[\d.]+\s+(\d+)\s+(.*)$/m.exec(head);
  if (!status) throw new Error(`spamd: unexpected answer "${head.split(/\r?\n/)[0]?.slice(0, 100) ?? ''}"`);
  if (status[1] !== '0') throw new Error(`spamd: ${status[2]!.trim()} (code ${status[1]})`);
  const spam = /^Spam:\s*(True|False|Yes|No)\s*;\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)/im.exec(head);
  if (!spam) throw new Error('spamd: no Spam header in the answer');
  const score = Number(spam[2]);
  const rules: SpamCheck['Rules'] = [];
  // The table: " pts rule name              description", a dashed line, then rows; a long
  // description continues on lines indented past the name column.
  const lines = body.split(/\r?\n/);
  const start = lines.findIndex((l) => /^-{3,}\s+-{3,}/.test(l.trim()));
  for (const line of start === -1 ? [] : lines.slice(start + 1)) {
    const row = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (row) rules.push({ Score: round1(Number(row[1])), Name: row[2]!, Description: row[3]!.trim() });
    else if (/^\s{20,}\S/.test(line) && rules.length > 0) {
      const last = rules[rules.length - 1]!;
      last.Description = `${last.Description} ${line.trim()}`;
    } else if (line.trim() === '') continue;
    else break;
  }
  return { IsSpam: /^(True|Yes)$/i.test(spam[1]!), Score: round1(score), Rules: rules };
}

/** The answer's headers and body, split at the first blank line. */
function splitOnce(answer: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(answer);
  if (!match) return [answer, ''];
  return [answer.slice(0, match.index), answer.slice(match.index + match[0].length)];
}

/** Asks spamd at host:port for a REPORT on `raw`; rejects on a network error, a bad answer or the timeout. */
export function spamdReport(
  host: string,
  port: number,
  raw: Buffer,
  timeoutMs: number,
): Promise<Omit<SpamCheck, 'Filter' | 'Error'>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = connect({ host, port });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new Error(`spamd at ${host}:${port} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => {
      socket.write(`REPORT SPAMC/1.5\r\nContent-length: ${raw.length}\r\n\r\n`);
      socket.write(raw);
      // spamd reads until the declared length; half-closing tells older versions the message ended.
      socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER) return fail(new Error('spamd: answer too large'));
      chunks.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      fail(new Error(`spamd at ${host}:${port}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`)),
    );
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(parseSpamdReport(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}
