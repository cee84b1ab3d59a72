import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseCount } from '../config';
import { action, CommandError } from './common';
import { findSources, readMbox, type FoundMessage, type Source } from './ingest-sources';
import { ProgressBar } from './progress';
import { addressesIn, readRawMessage } from './raw-message';
import { addSmtpTargetOptions, describeSmtpError, smtpTransport, type SmtpTargetOptions } from './smtp-target';

interface IngestOptions extends SmtpTargetOptions {
  rcpt?: string;
  connections: string;
  progress?: boolean;
}

/** Recipient used when a message names none (a draft, a bounce): the envelope needs one. */
const NOBODY = 'undisclosed-recipients@localhost';

/** The envelope the message would have had: Return-Path or From for the sender, To/Cc/Bcc for recipients. */
function envelopeOf(found: FoundMessage, rcpt: string | undefined): { from: string; to: string[] } {
  const message = readRawMessage(found.raw);
  const from = addressesIn(message, ['return-path'])[0] ?? addressesIn(message, ['from'])[0] ?? found.mboxSender ?? '';
  if (rcpt) return { from, to: [rcpt] };
  const to = addressesIn(message, ['to', 'cc', 'bcc']);
  if (to.length === 0) to.push(...addressesIn(message, ['delivered-to', 'x-original-to']));
  return { from, to: to.length > 0 ? to : [NOBODY] };
}

async function* messagesOf(source: Source): AsyncGenerator<FoundMessage> {
  if (source.kind === 'mbox') {
    yield* readMbox(source.path);
    return;
  }
  yield { raw: await readFile(source.path), label: source.path };
}

async function ingest(paths: string[], options: IngestOptions): Promise<void> {
  const connections = parseCount(options.connections, 'connections');
  if (connections < 1) throw new CommandError('--connections: must be at least 1', 2);
  let found: Awaited<ReturnType<typeof findSources>>;
  try {
    found = await findSources(paths);
  } catch (err) {
    throw new CommandError(`cannot read ${(err as Error).message}`, 2);
  }
  const total = found.sources.reduce((sum, s) => sum + s.size, 0);
  const showBar = options.progress ?? process.stderr.isTTY === true;
  const bar = showBar ? new ProgressBar(total, process.stderr) : null;
  const transport = smtpTransport(options, { maxConnections: connections });

  let sent = 0;
  // Progress counts the bytes of messages the server has taken, not of those read ahead.
  let doneBytes = 0;
  const failed: string[] = [];
  let fatal: unknown = null;
  const inFlight = new Set<Promise<void>>();
  const send = (message: FoundMessage): Promise<void> => {
    const envelope = envelopeOf(message, options.rcpt);
    const job = transport
      .sendMail({ envelope, raw: message.raw })
      .then(() => {
        sent++;
      })
      .catch((err: unknown) => {
        // A message the server refuses (552, too large) is reported; a lost connection stops the load.
        if ((err as { responseCode?: number }).responseCode)
          failed.push(`${message.label}: ${describeSmtpError(err, options)}`);
        else fatal ??= err;
      })
      .finally(() => {
        inFlight.delete(job);
        doneBytes += message.raw.length;
        bar?.update(doneBytes, sent);
      });
    inFlight.add(job);
    return job;
  };

  let completed = false;
  try {
    for (const source of found.sources) {
      for await (const message of messagesOf(source)) {
        if (fatal) break;
        // Keep a few messages per connection in flight; more would only buffer in memory.
        while (inFlight.size >= connections * 4) await Promise.race(inFlight);
        void send(message);
      }
      if (fatal) break;
    }
    await Promise.all(inFlight);
    completed = !fatal;
  } finally {
    transport.close();
    bar?.finish(completed);
  }
  if (fatal) throw new CommandError(`${describeSmtpError(fatal, options)} (${sent} messages sent before)`);
  const notes = [
    found.skipped.length ? `${found.skipped.length} files skipped (not mail)` : '',
    failed.length ? `${failed.length} refused` : '',
  ].filter(Boolean);
  process.stdout.write(
    `ingested ${sent} messages into ${options.smtp}${notes.length ? ` (${notes.join(', ')})` : ''}\n`,
  );
  if (failed.length) {
    const shown = failed
      .slice(0, 10)
      .map((f) => `  ${f}\n`)
      .join('');
    throw new CommandError(`${failed.length} messages were refused:\n${shown}${failed.length > 10 ? '  ...\n' : ''}`);
  }
}

/** `pigeonhole ingest`: loads `.eml` files, Maildir folders and mbox files into a running Pigeonhole over SMTP. */
export function ingestCommand(): Command {
  const command = new Command('ingest')
    .description('load .eml files, Maildir folders and mbox files into a running Pigeonhole over SMTP')
    .argument('<paths...>', 'files and directories: .eml, Maildir (cur/ new/), mbox')
    .option('--rcpt <address>', 'envelope recipient for every message (default: its To, Cc and Bcc)')
    .option('--connections <n>', 'SMTP connections in parallel', '4')
    .addOption(new Option('--progress', 'show a progress bar (default: when standard error is a terminal)'))
    .addOption(new Option('--no-progress', 'never show a progress bar'))
    .addHelpText('after', '\nExample:\n  pigeonhole ingest ~/Maildir archive.mbox fixtures/*.eml');
  return addSmtpTargetOptions(command).action(action('ingest', ingest));
}
