import { Command, Option } from 'commander';
import { PigeonholeClient, PigeonholeHttpError, WaitTimeoutError, type WaitFilter } from '@pigeonhole/shared/client';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { WAIT_MAX_MS } from '@pigeonhole/shared/schemas/wait';
import { parseCount, parseDuration } from '../config';
import { action, CommandError } from './common';

interface WaitOptions {
  url: string;
  query?: string;
  to?: string;
  from?: string;
  subject?: string;
  count: string;
  timeout: string;
  json?: boolean;
}

/** One line per message: ID, when, from, to, subject. */
export function describeSummary(m: MessageSummary): string {
  const to = m.To.map((a) => a.Address).join(', ') || '(no To)';
  return `${m.ID}  ${m.Created}  ${m.From?.Address ?? '(no From)'} -> ${to}  ${JSON.stringify(m.Subject)}`;
}

async function wait(options: WaitOptions): Promise<void> {
  const count = parseCount(options.count, 'count');
  if (count < 1) throw new CommandError('--count: must be at least 1', 2);
  const timeout = parseDuration(options.timeout, 'timeout');
  if (timeout > WAIT_MAX_MS) throw new CommandError(`--timeout: at most ${WAIT_MAX_MS / 60_000}m`, 2);
  const client = new PigeonholeClient({ baseUrl: options.url });
  const filter: WaitFilter & { count: number } = { count, timeout };
  if (options.to) filter.to = options.to;
  if (options.from) filter.from = options.from;
  if (options.subject) filter.subject = options.subject;
  if (options.query) filter.query = options.query;
  let found: MessageSummary[];
  try {
    found = await client.waitForMessages(filter);
  } catch (err) {
    if (err instanceof WaitTimeoutError) throw new CommandError(err.message, 1);
    if (err instanceof PigeonholeHttpError) throw new CommandError(err.message, 2);
    throw new CommandError(`cannot reach Pigeonhole at ${options.url} (see --url): ${(err as Error).message}`, 2);
  }
  if (options.json) {
    // The full messages, as `GET /api/v1/message/{ID}` gives them (which marks them read, as in Mailpit).
    const messages = await Promise.all(found.map((m) => client.get(m.ID)));
    process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
  } else {
    for (const m of found) process.stdout.write(`${describeSummary(m)}\n`);
  }
}

/** `pigeonhole wait`: blocks until messages matching a query arrive (a server-side long-poll), for shell scripts. */
export function waitCommand(): Command {
  return new Command('wait')
    .description('wait until messages matching a query arrive; exit 0 printing them, 1 at the timeout')
    .addOption(
      new Option('--url <url>', 'base URL of Pigeonhole').env('PIGEONHOLE_URL').default('http://127.0.0.1:8025'),
    )
    .option('--query <query>', 'search query, Mailpit syntax, e.g. "to:alice@example.test subject:welcome"')
    .option('--to <address>', 'shorthand for to:ADDRESS')
    .option('--from <address>', 'shorthand for from:ADDRESS')
    .option('--subject <text>', 'shorthand for subject:TEXT')
    .option('--count <n>', 'how many matching messages to wait for', '1')
    .option('--timeout <duration>', 'give up after this long (500ms, 10s, 2m; at most 5m)', '10s')
    .option('--json', 'print the full messages as a JSON array (Mailpit message objects)')
    .addHelpText(
      'after',
      '\nExit codes: 0 arrived, 1 timed out (the message names the query and the newest mail), 2 bad usage\n' +
        'or Pigeonhole unreachable.\n\nExamples:\n' +
        '  pigeonhole wait --query "to:alice@example.test" --timeout 30s\n' +
        "  pigeonhole wait --to alice@example.test --json | jq -r '.[0].Subject'",
    )
    .action(action('wait', wait));
}
