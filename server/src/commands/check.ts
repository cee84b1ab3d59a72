import { Command, Option } from 'commander';
import { PigeonholeClient, PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { AuthCheck } from '@pigeonhole/shared/schemas/auth';
import { action, CommandError } from './common';

interface CheckOptions {
  url: string;
  auth?: string;
  json?: boolean;
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

async function check(options: CheckOptions): Promise<void> {
  if (!options.auth) throw new CommandError('say what to check: --auth <id|latest>', 2);
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

/** `pigeonhole check --auth <id|latest>`: DKIM, SPF and DMARC of a caught message, for CI; exit 1 unless DMARC passes. */
export function checkCommand(): Command {
  return new Command('check')
    .description('check a caught message; exit 0 when it passes, 1 when it does not')
    .addOption(
      new Option('--url <url>', 'base URL of Pigeonhole').env('PIGEONHOLE_URL').default('http://127.0.0.1:8025'),
    )
    .option('--auth <id>', 'DKIM, SPF, DMARC, ARC and BIMI of this message (an ID or "latest"); passes when DMARC does')
    .option('--json', 'print the whole result as JSON (GET /api/v1/message/{ID}/auth-check)')
    .addHelpText(
      'after',
      '\nExit codes: 0 DMARC passes, 1 it does not (the reason is printed), 2 bad usage, no such message\n' +
        'or Pigeonhole unreachable.\n\nExample:\n  pigeonhole wait --to alice@example.test && pigeonhole check --auth latest',
    )
    .action(action('check', check));
}
