import { Command, Option } from 'commander';
import { PigeonholeClient, PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { MAX_PAGE_LIMIT } from '@pigeonhole/shared/schemas/messages';
import { action, CommandError } from './common';
import { openWriter, type DumpFormat } from './dump-writers';

interface DumpOptions {
  url: string;
  format: string;
  query?: string;
}

const FORMATS: readonly DumpFormat[] = ['eml', 'maildir', 'mbox'];

/** Raw messages fetched at once: enough to hide the round trips, few enough to hold. */
const IN_FLIGHT = 8;

/**
 * A client for `url`; `http://user:pass@host:8025` becomes basic auth (fetch refuses URLs that carry
 * credentials), for a Pigeonhole or Mailpit behind `--ui-auth`.
 */
function clientFor(url: string): PigeonholeClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CommandError(`--url: not a URL: "${url}"`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CommandError(`--url: expected an http:// or https:// URL, got "${parsed.protocol}"`, 2);
  }
  const headers: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  return new PigeonholeClient({ baseUrl: parsed.href, headers });
}

/**
 * Every message the query matches (all without one), oldest first, listed a page at a time. A
 * message that arrives meanwhile shifts the newest-first pages; the IDs seen are kept once each.
 */
async function listAll(client: PigeonholeClient, query: string | undefined): Promise<MessageSummary[]> {
  const seen = new Map<string, MessageSummary>();
  for (let start = 0; ; start += MAX_PAGE_LIMIT) {
    const page = query
      ? await client.search(query, { start, limit: MAX_PAGE_LIMIT })
      : await client.messages({ start, limit: MAX_PAGE_LIMIT });
    for (const m of page.messages) if (!seen.has(m.ID)) seen.set(m.ID, m);
    if (page.messages.length < MAX_PAGE_LIMIT) break;
  }
  return [...seen.values()].reverse();
}

async function dump(dest: string, options: DumpOptions): Promise<void> {
  const format = options.format.toLowerCase() as DumpFormat;
  if (!FORMATS.includes(format))
    throw new CommandError(`--format: expected eml, maildir or mbox, got "${options.format}"`, 2);
  const client = clientFor(options.url);
  let messages: MessageSummary[];
  try {
    messages = await listAll(client, options.query);
  } catch (err) {
    if (err instanceof PigeonholeHttpError) throw new CommandError(err.message, 2);
    throw new CommandError(`cannot reach Pigeonhole at ${options.url} (see --url): ${(err as Error).message}`, 2);
  }
  let writer: Awaited<ReturnType<typeof openWriter>>;
  try {
    writer = await openWriter(format, dest);
  } catch (err) {
    throw new CommandError(`cannot write ${dest}: ${(err as Error).message}`, 2);
  }
  let written = 0;
  let gone = 0;
  try {
    // Fetched a few ahead, written strictly in order.
    const fetches = messages.map(() => null as Promise<Uint8Array | null> | null);
    const fetchAt = (i: number): Promise<Uint8Array | null> =>
      (fetches[i] ??= client.raw(messages[i]!.ID).catch((err: unknown) => {
        // Deleted since it was listed: not an error, nothing to write.
        if (err instanceof PigeonholeHttpError && err.status === 404) return null;
        throw err;
      }));
    for (let i = 0; i < messages.length; i++) {
      for (let ahead = i; ahead < Math.min(messages.length, i + IN_FLIGHT); ahead++)
        void fetchAt(ahead).catch(() => undefined);
      const raw = await fetchAt(i);
      fetches[i] = null;
      if (!raw) {
        gone++;
        continue;
      }
      const m = messages[i]!;
      await writer.write({
        raw,
        created: new Date(m.Created),
        read: m.Read,
        sender: m.From?.Address || 'MAILER-DAEMON',
      });
      written++;
    }
  } catch (err) {
    if (err instanceof PigeonholeHttpError) throw new CommandError(err.message, 2);
    throw new CommandError(`dump stopped after ${written} messages: ${(err as Error).message}`, 1);
  } finally {
    await writer.close();
  }
  const skipped = gone > 0 ? ` (${gone} deleted meanwhile)` : '';
  process.stderr.write(`dumped ${written} message${written === 1 ? '' : 's'} to ${dest} as ${format}${skipped}\n`);
}

/**
 * `pigeonhole dump DEST`: exports the messages of a running Pigeonhole (or Mailpit: the same API v1)
 * as `.eml` files, a Maildir or an mbox, exact bytes; `pigeonhole ingest DEST` loads them into another.
 */
export function dumpCommand(): Command {
  return new Command('dump')
    .description('export messages from a running Pigeonhole or Mailpit as .eml files, a Maildir or an mbox')
    .argument('<dest>', 'folder for eml and maildir (made if missing), new file for mbox')
    .addOption(
      new Option('--url <url>', 'base URL of Pigeonhole (user:pass@ for --ui-auth)')
        .env('PIGEONHOLE_URL')
        .default('http://127.0.0.1:8025'),
    )
    .addOption(new Option('--format <format>', 'eml, maildir or mbox (mboxrd)').default('eml'))
    .option('--query <query>', 'only messages matching this search, Mailpit syntax (default: all)')
    .addHelpText(
      'after',
      '\nMessages are written oldest first, byte for byte as received. Exit codes: 0 done, 1 stopped part\n' +
        'way, 2 bad usage or Pigeonhole unreachable.\n\nExamples:\n' +
        '  pigeonhole dump mail/ --query "to:alice@example.test"\n' +
        '  pigeonhole dump backup.mbox --format mbox --url http://mailpit:8025\n' +
        '  pigeonhole dump mail/ && pigeonhole ingest mail/ --smtp other-host:1025',
    )
    .action(action('dump', dump));
}
