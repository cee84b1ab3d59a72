import { Command, Option } from 'commander';
import { PigeonholeClient, PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { AuthCheck } from '@pigeonhole/shared/schemas/auth';
import { describeHtmlCheck, describeLinkCheck, describeSpamCheck } from './check-report';
import { action, CommandError } from './common';

interface CheckOptions {
  url: string;
  auth?: string;
  json?: boolean;
  html?: boolean;
  links?: boolean;
  follow?: boolean;
  spam?: boolean;
  failUnder?: string;
}

/** One line per mechanism: name, result, what was checked, and why it did not pass. */
export function describeAuthCheck(check: AuthCheck): string[] {
  const line = (name: string, result: string, what: string, reason: string): string =>
    `${name.padEnd(6)}${result.padEnd(10)}${what}${reason ? `: ${reason}` : ''}`;
  const lines = [`${check.ID}  From ${check.From || '(none)'}`];
  if (check.DKIM.length === 0) lines.push(line('DKIM', 'none', 'message not signed', ''));
  for (const s of check.DKIM) {
    const what = `d=${s.Domain} s=${s.Selector} ${s.Algorithm} ${s.Canonicalization}${s.AlignedWithFrom ? ' (aligned with From)' : ''}`;
    lines.push(line('DKIM', s.Result, what, s.Reason));
    for (const w of s.Warnings) lines.push(`${' '.repeat(16)}warning: ${w}`);
  }
  lines.push(line('SPF', check.SPF.Result, `${check.SPF.ClientAddress} for ${check.SPF.Domain}`, check.SPF.Reason));
  const dmarcWhat = `${check.DMARC.FromDomain}${check.DMARC.Policy ? ` p=${check.DMARC.Policy}` : ''}`;
  lines.push(line('DMARC', check.DMARC.Result, dmarcWhat, check.DMARC.Reason));
  if (check.ARC.Chain.length > 0) {
    lines.push(line('ARC', check.ARC.Result, `i=${check.ARC.Instance}`, check.ARC.Reason));
  }
  if (check.BIMI.Result !== 'none' && check.BIMI.Result !== 'skipped') {
    lines.push(line('BIMI', check.BIMI.Result, check.BIMI.Location, check.BIMI.Reason));
  }
  return lines;
}

/** Runs a check call, turning HTTP and network failures into exit code 2 with the reason. */
async function ask<T>(url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PigeonholeHttpError) throw new CommandError(err.message, 2);
    throw new CommandError(`cannot reach Pigeonhole at ${url} (see --url): ${(err as Error).message}`, 2);
  }
}

/** `check ID --html --links --spam`: prints each, then fails (exit 1) for each that did not pass. */
async function contentChecks(id: string, options: CheckOptions): Promise<void> {
  const client = new PigeonholeClient({ baseUrl: options.url });
  const failUnder = options.failUnder === undefined ? null : Number(options.failUnder);
  if (failUnder !== null && !(failUnder >= 0 && failUnder <= 100)) {
    throw new CommandError(`--fail-under: expected a score from 0 to 100, got "${options.failUnder}"`, 2);
  }
  const chosen = options.html || options.links || options.spam;
  const html = options.html || !chosen;
  const links = options.links || !chosen;
  // Without a choice, spam is checked only where a filter is set up (Mailpit's /webui says so).
  const spam = options.spam || (!chosen && (await ask(options.url, () => client.webui())).SpamAssassin);
  const failures: string[] = [];
  const out: string[] = [];
  const json: Record<string, unknown> = {};
  if (html) {
    const result = await ask(options.url, () => client.htmlCheck(id));
    json.html = result;
    out.push(...describeHtmlCheck(result));
    if (failUnder !== null && result.Total.Supported < failUnder) {
      failures.push(`HTML score ${result.Total.Supported.toFixed(1)} is under ${failUnder}`);
    }
  }
  if (links) {
    const result = await ask(options.url, () => client.linkCheck(id, { follow: options.follow ?? false }));
    json.links = result;
    out.push(...describeLinkCheck(result));
    if (result.Errors > 0) failures.push(`${result.Errors} broken link(s)`);
  }
  if (spam) {
    const result = await ask(options.url, () => client.spamCheck(id));
    json.spam = result;
    out.push(...describeSpamCheck(result));
    if (result.Error) failures.push(`spam check failed: ${result.Error}`);
    else if (result.IsSpam) failures.push(`spam, score ${result.Score} (${result.Filter})`);
  }
  process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${out.join('\n')}\n`);
  if (failures.length > 0) throw new CommandError(failures.join('; '), 1);
}

async function check(id: string | undefined, options: CheckOptions): Promise<void> {
  if (id !== undefined && options.auth) throw new CommandError('give either an ID or --auth <id>, not both', 2);
  if (id !== undefined) return contentChecks(id, options);
  if (!options.auth) throw new CommandError('say what to check: an ID (or latest), or --auth <id|latest>', 2);
  const client = new PigeonholeClient({ baseUrl: options.url });
  let result: AuthCheck;
  try {
    result = await client.authCheck(options.auth);
  } catch (err) {
    if (err instanceof PigeonholeHttpError) throw new CommandError(err.message, 2);
    throw new CommandError(`cannot reach Pigeonhole at ${options.url} (see --url): ${(err as Error).message}`, 2);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${describeAuthCheck(result).join('\n')}\n`);
  if (result.DMARC.Result !== 'pass') {
    throw new CommandError(`DMARC ${result.DMARC.Result}${result.DMARC.Reason ? `: ${result.DMARC.Reason}` : ''}`, 1);
  }
}

/**
 * `pigeonhole check ID|latest [--html] [--links] [--spam] [--fail-under N]` and `pigeonhole check
 * --auth ID`: a caught message's checks, for CI; exit 1 when one does not pass.
 */
export function checkCommand(): Command {
  return new Command('check')
    .description('check a caught message; exit 0 when it passes, 1 when it does not')
    .argument('[id]', 'the message: an ID or "latest" (HTML, link and spam checks)')
    .option('--html', 'HTML compatibility across mail clients (caniemail); see --fail-under')
    .option('--links', 'HTTP status of every link and image; fails on a broken one')
    .option('--follow', 'with --links, follow redirects')
    .option('--spam', 'spam score from SpamAssassin or rspamd (needs --spamassassin or --rspamd); fails on spam')
    .option('--fail-under <score>', 'with --html, fail when the supported percentage is below this (0-100)')
    .addOption(
      new Option('--url <url>', 'base URL of Pigeonhole').env('PIGEONHOLE_URL').default('http://127.0.0.1:8025'),
    )
    .option('--auth <id>', 'DKIM, SPF, DMARC, ARC and BIMI of this message (an ID or "latest"); passes when DMARC does')
    .option('--json', 'print the whole result as JSON (GET /api/v1/message/{ID}/auth-check)')
    .addHelpText(
      'after',
      '\nWith an ID and none of --html, --links, --spam: HTML and links, and spam where a filter is set up.\n' +
        'Exit codes: 0 every check passes, 1 one does not (the reasons are printed; with --auth: DMARC does\n' +
        'not pass), 2 bad usage, no such message or Pigeonhole unreachable.\n\nExamples:\n' +
        '  pigeonhole wait --to alice@example.test && pigeonhole check latest --html --fail-under 80 --links\n' +
        '  pigeonhole check --auth latest',
    )
    .action(action('check', check));
}
