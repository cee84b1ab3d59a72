import net from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Pigeonhole } from 'pigeonhole';

/** A nodemailer transport pointed at a Pigeonhole (in-process or not); plain SMTP unless told otherwise. */
export function transport(p: Pick<Pigeonhole, 'smtpPort'>, options: SMTPTransport.Options = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: p.smtpPort,
    secure: false,
    ignoreTLS: true,
    tls: { rejectUnauthorized: false },
    ...options,
  });
}

// Where a command-line peer (swaks, curl, python3, php) is installed, and what CI does when not.
export { has } from './tools';

/**
 * Talks raw SMTP: sends each line (CRLF added) after reading the previous reply, and returns every
 * reply. For tests that need exact bytes on the wire.
 */
export async function converse(port: number, lines: (string | Buffer)[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  let waiting: ((reply: string) => void) | null = null;
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    // A complete reply ends with a line "NNN text" (no dash after the code).
    const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
    if (match && waiting) {
      const reply = buffer;
      buffer = '';
      const done = waiting;
      waiting = null;
      done(reply);
    }
  });
  const next = () => new Promise<string>((resolve) => (waiting = resolve));
  replies.push(await next());
  for (const line of lines) {
    const reply = next();
    socket.write(typeof line === 'string' ? `${line}\r\n` : line);
    replies.push(await reply);
  }
  socket.end();
  return replies;
}
