import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command } from 'commander';
import type Mail from 'nodemailer/lib/mailer';
import { action, collect, collectList, CommandError, readStdin } from './common';
import { addSmtpTargetOptions, describeSmtpError, smtpTransport, type SmtpTargetOptions } from './smtp-target';

interface SendOptions extends SmtpTargetOptions {
  to: string[];
  cc?: string[];
  bcc?: string[];
  from: string;
  subject: string;
  text?: string;
  html?: string;
  attach?: string[];
  header?: string[];
}

/** `-` stands for standard input, so a body can be piped in. */
async function bodyOf(value: string | undefined): Promise<string | undefined> {
  return value === '-' ? (await readStdin()).toString('utf8') : value;
}

function headersOf(lines: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new CommandError(`--header: expected "Name: value", got "${line}"`, 2);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

async function send(options: SendOptions): Promise<void> {
  if (options.text === '-' && options.html === '-') throw new CommandError('only one of --text and --html can be -', 2);
  const text = await bodyOf(options.text);
  const html = await bodyOf(options.html);
  const attachments: Mail.Attachment[] = [];
  for (const file of options.attach ?? []) {
    try {
      attachments.push({ filename: basename(file), content: await readFile(file) });
    } catch (err) {
      throw new CommandError(`--attach: cannot read ${file}: ${(err as Error).message}`, 2);
    }
  }
  const mail: Mail.Options = {
    from: options.from,
    to: options.to,
    subject: options.subject,
    headers: headersOf(options.header),
    attachments,
  };
  if (options.cc) mail.cc = options.cc;
  if (options.bcc) mail.bcc = options.bcc;
  if (html !== undefined) mail.html = html;
  if (text !== undefined || html === undefined) mail.text = text ?? 'A test message sent by pigeonhole send.';
  const transport = smtpTransport(options);
  try {
    const info = (await transport.sendMail(mail)) as { messageId: string; response: string };
    process.stdout.write(
      `sent ${info.messageId} to ${[...options.to, ...(options.cc ?? [])].join(', ')}: ${info.response}\n`,
    );
  } catch (err) {
    throw new CommandError(describeSmtpError(err, options));
  } finally {
    transport.close();
  }
}

/** `pigeonhole send`: a test message in one line, built and sent with nodemailer. */
export function sendCommand(): Command {
  const command = new Command('send')
    .description('send a test message to a running Pigeonhole')
    .requiredOption('--to <address>', 'recipient (repeat or comma-separate for more)', collectList)
    .option('--cc <address>', 'Cc recipient (repeatable)', collectList)
    .option('--bcc <address>', 'Bcc recipient: envelope only (repeatable)', collectList)
    .option('--from <address>', 'sender', 'pigeonhole@localhost')
    .option('--subject <text>', 'subject', 'Test message')
    .option('--text <text>', 'plain text body ("-" reads standard input)')
    .option('--html <html>', 'HTML body ("-" reads standard input); with --text, both as alternatives')
    .option('--attach <file>', 'attach a file (repeatable)', collect)
    .option('--header <"Name: value">', 'an extra header, e.g. "X-Tags: signup" (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExample:\n  pigeonhole send --to alice@example.test --subject Hi --html "<p>Hello</p>" --attach report.pdf',
    );
  return addSmtpTargetOptions(command).action(action('send', send));
}
