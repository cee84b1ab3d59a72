import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { action, CommandError, readStdin } from './common';
import { addressesIn, fieldName, readRawMessage, toBuffer, type RawMessage } from './raw-message';
import { addSmtpTargetOptions, describeSmtpError, smtpTransport, type SmtpTargetOptions } from './smtp-target';

// sendmail's exit codes (sysexits.h), which PHP, cron and git read as "failed" when not 0.
const EX_USAGE = 64;
const EX_NOINPUT = 66;
const EX_UNAVAILABLE = 69;
const EX_TEMPFAIL = 75;

interface SendmailOptions extends SmtpTargetOptions {
  f?: string;
  r?: string;
  F?: string;
  t?: boolean;
  i?: boolean;
  o?: string[];
  b?: string;
  v?: boolean;
}

/**
 * Without -i (or -oi), a line holding a single dot ends the message, as in sendmail. PHP's mail(),
 * git send-email and cron all pass -i; a bare `sendmail alice@x < file` does not.
 */
function cutAtDotLine(input: Buffer): Buffer {
  const match = /(^|\n)\.\r?\n|(^|\n)\.$/.exec(input.toString('latin1'));
  return match ? input.subarray(0, match.index + (match[1] ?? match[2] ?? '').length) : input;
}

function localSender(): string {
  let user = 'nobody';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (a container with a random uid): keep "nobody".
  }
  return `${user}@${hostname() || 'localhost'}`;
}

/** Quotes a display name for a From header when it needs quoting. */
function displayName(name: string): string {
  return /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * What an MTA's cleanup does to a message from sendmail (Postfix as the model): Bcc is dropped (its
 * recipients stay in the envelope), and a missing From, Date or Message-ID is added.
 */
function cleanup(message: RawMessage, sender: string, fullName: string | undefined): RawMessage {
  const names = new Set(message.fields.map(fieldName));
  const added: string[] = [];
  if (!names.has('from')) added.push(`From: ${fullName ? `${displayName(fullName)} <${sender}>` : sender}`);
  if (!names.has('date')) added.push(`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`);
  if (!names.has('message-id')) added.push(`Message-ID: <${randomUUID()}@${hostname() || 'localhost'}>`);
  return {
    ...message,
    fields: [...added.map((h) => h + message.eol), ...message.fields.filter((f) => fieldName(f) !== 'bcc')],
  };
}

async function sendmail(recipients: string[], options: SendmailOptions): Promise<void> {
  const mode = options.b ?? 'm';
  if (mode !== 'm') {
    throw new CommandError(
      `-b${mode} is not supported: only delivery mode (-bm, the default) is; ` +
        'for an SMTP conversation connect to Pigeonhole on its SMTP port',
      EX_USAGE,
    );
  }
  const ignoreDots = options.i === true || (options.o ?? []).includes('i');
  // Unknown options are let through (see below) and must not be taken for recipients.
  const addresses = recipients.filter((r) => !r.startsWith('-')).flatMap((r) => r.split(','));
  const input = await readStdin();
  if (input.length === 0) throw new CommandError('no message on standard input', EX_NOINPUT);
  const message = readRawMessage(ignoreDots ? input : cutAtDotLine(input));

  // With -t, or when no recipient is given, the headers name them. Like Postfix (not old Sendmail),
  // -t adds the header recipients to the ones on the command line.
  const rcpt = [...addresses.map((a) => a.trim()).filter(Boolean)];
  if (options.t || rcpt.length === 0) rcpt.push(...addressesIn(message, ['to', 'cc', 'bcc']));
  const unique = [...new Set(rcpt)];
  if (unique.length === 0) {
    throw new CommandError('no recipients: name them as arguments, or in To/Cc/Bcc headers with -t', EX_USAGE);
  }
  // `-f '<>'` (a null sender, as bounce-sending scripts pass it) and `-f <user@host>` are both seen.
  const given = (options.f ?? options.r)?.trim().replace(/^<(.*)>$/, '$1');
  const sender = given ?? addressesIn(message, ['from'])[0] ?? localSender();
  const raw = toBuffer(cleanup(message, sender, options.F));

  const transport = smtpTransport(options);
  try {
    const info = (await transport.sendMail({ envelope: { from: sender, to: unique }, raw })) as { response: string };
    if (options.v) process.stderr.write(`${info.response}\n`);
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    throw new CommandError(
      describeSmtpError(err, options),
      code === undefined ? EX_TEMPFAIL : code >= 500 ? EX_UNAVAILABLE : EX_TEMPFAIL,
    );
  } finally {
    transport.close();
  }
}

/**
 * `pigeonhole sendmail`: a drop-in for /usr/sbin/sendmail that reads the message on standard input
 * and hands it to Pigeonhole over SMTP. Takes the flags PHP's mail() (`-t -i -f`), cron
 * (`-FCronDaemon -i -B8BITMIME -oem`) and git send-email (`-i -f`) pass; options that only steer a
 * real MTA's queue are accepted and ignored.
 */
export function sendmailCommand(): Command {
  const command = new Command('sendmail')
    .description('a drop-in for /usr/sbin/sendmail: read a message on standard input and send it to Pigeonhole')
    .argument('[recipients...]', 'envelope recipients (with none, the To, Cc and Bcc headers are used)')
    .option('-f <address>', 'envelope sender (default: the From header, else user@host)')
    .option('-r <address>', 'same as -f (obsolete form)')
    .option('-F <name>', 'full name for a From header added when the message has none')
    .option('-t', 'also take recipients from the To, Cc and Bcc headers')
    .option('-i', 'a line with a single dot does not end the message (also -oi)')
    .option(
      '-o <option>',
      'sendmail option; -oi is -i, others (-oem, -odi, ...) are ignored',
      (v, p: string[] = []) => [...p, v],
    )
    .option('-b <mode>', 'mode: only -bm (deliver, the default); -bs and the others are refused')
    .option('-v', 'print the server reply')
    .addOption(new Option('-B <type>', 'body type (7BIT, 8BITMIME): ignored, 8-bit always passes').hideHelp())
    .addOption(new Option('-N <dsn>', 'delivery status notifications: ignored').hideHelp())
    .addOption(new Option('-R <ret>', 'DSN return: ignored').hideHelp())
    .addOption(new Option('-V <envid>', 'DSN envelope id: ignored').hideHelp())
    .addOption(new Option('-L <tag>', 'syslog tag: ignored').hideHelp())
    .addOption(new Option('-C <file>', 'configuration file: ignored').hideHelp())
    .addOption(new Option('-O <option=value>', 'sendmail option: ignored').hideHelp())
    .addOption(new Option('-h <hops>', 'hop count: ignored').hideHelp())
    .addOption(new Option('-X <logfile>', 'traffic log: ignored').hideHelp())
    .helpOption('--help', 'display help for command')
    // Real MTAs take many more flags; an unknown one must not make PHP's mail() fail.
    .allowUnknownOption()
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  printf "Subject: hi\\n\\nbody\\n" | pigeonhole sendmail alice@example.test\n' +
        '  php.ini: sendmail_path = "pigeonhole sendmail -t -i"\n' +
        '  ln -s "$(command -v pigeonhole)" /usr/sbin/sendmail   # then plain `sendmail` works',
    );
  return addSmtpTargetOptions(command).action(action('sendmail', sendmail));
}
