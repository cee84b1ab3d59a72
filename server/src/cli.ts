#!/usr/bin/env node
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { checkCommand } from './commands/check';
import { dumpCommand } from './commands/dump';
import { ingestCommand } from './commands/ingest';
import { mcpCommand } from './commands/mcp';
import { sendCommand } from './commands/send';
import { sendmailCommand } from './commands/sendmail';
import { waitCommand } from './commands/wait';
import { DEFAULTS, type PigeonholeOptions } from './config';

/** A flag and its `PIGEONHOLE_*` environment variable, e.g. `--smtp` and `PIGEONHOLE_SMTP`. */
function flag(flags: string, description: string, defaultValue?: string): Option {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? '';
  const option = new Option(flags, description).env(`PIGEONHOLE_${long.replace(/-/g, '_').toUpperCase()}`);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

/**
 * The server's flags (the default action). Add a flag here, and the option of the same camelCase
 * name to `PigeonholeOptions` in config.ts.
 */
const serverFlags: Option[] = [
  flag('--smtp <host:port>', 'SMTP address', DEFAULTS.smtp),
  flag('--listen <host:port>', 'web UI and API address', DEFAULTS.listen),
  flag('--max <n>', 'messages kept, oldest evicted first (0 = unlimited)', String(DEFAULTS.max)),
  flag('--max-bytes <size>', 'bytes of mail kept: raw bytes plus what is kept per message (0 = unlimited)', '512MB'),
  flag('--max-message-size <size>', 'largest message accepted, 552 beyond', '50MB'),
  flag('--smtp-max-recipients <n>', 'recipients per message, 452 beyond', String(DEFAULTS.smtpMaxRecipients)),
  flag('--smtp-max-connections <n>', 'concurrent SMTP connections', String(DEFAULTS.smtpMaxConnections)),
  flag('--smtp-max-line-length <bytes>', 'longest SMTP command line', String(DEFAULTS.smtpMaxLineLength)),
  flag('--smtp-idle-timeout <duration>', 'close idle SMTP sessions after', '5m'),
  flag('--smtp-hostname <name>', 'host name in the SMTP greeting', DEFAULTS.smtpHostname),
  flag('--smtp-tls-cert <file>', 'PEM certificate for STARTTLS/SMTPS (self-signed when absent)'),
  flag('--smtp-tls-key <file>', 'PEM key for --smtp-tls-cert'),
  flag('--smtp-require-tls', 'implicit TLS (SMTPS) on the SMTP port'),
  flag('--smtp-disable-starttls', 'do not offer STARTTLS'),
  flag('--smtp-auth <pairs>', 'require these credentials: "user:pass user2:pass2" (default: accept any)'),
  flag('--smtp-auth-file <file>', 'require the credentials in this file, one user:pass a line'),
  flag('--smtp-auth-allow-insecure', 'with --smtp-auth, accept AUTH PLAIN/LOGIN before STARTTLS (cleartext)'),
  flag('--api-cors <origins>', 'other origins allowed to use the API and WebSockets from a browser (or *)'),
  flag('--ui-auth <pairs>', 'basic auth on web UI, API and WebSocket: "user:pass user2:bcrypt-hash"'),
  flag('--ui-auth-file <file>', 'basic-auth users for UI and API, one user:pass or user:bcrypt-hash a line'),
  flag('--ui-tls-cert <file>', 'PEM certificate: serve web UI and API over HTTPS'),
  flag('--ui-tls-key <file>', 'PEM key for --ui-tls-cert'),
  flag('--allowed-hosts <names>', 'Host names served besides IPs, localhost and single-label names (or *)'),
  flag('--http-header-timeout <duration>', 'time to receive request headers (0 = none)', '10s'),
  flag('--http-request-timeout <duration>', 'time to receive a whole request, body included (0 = none)', '60s'),
  flag('--http-idle-timeout <duration>', 'close idle keep-alive HTTP connections after', '5s'),
  flag('--http-max-connections <n>', 'concurrent HTTP connections, WebSockets included (0 = no cap)', '1000'),
  // Beyond capture: POP3, release and relay, chaos, webhook (docs/pop3.md, relay.md, chaos.md).
  flag('--pop3 <host:port>', 'serve the caught mail over POP3 here, e.g. 127.0.0.1:1110 (default: off)'),
  flag('--pop3-auth <pairs>', 'require these POP3 credentials: "user:pass ..." (default: accept any)'),
  flag('--smtp-relay-host <host>', 'SMTP server that releases and auto-relay send through'),
  flag('--smtp-relay-port <port>', 'relay port (default 25, or 465 with --smtp-relay-tls)'),
  flag('--smtp-relay-starttls', 'require STARTTLS with the relay'),
  flag('--smtp-relay-tls', 'implicit TLS (SMTPS) with the relay'),
  flag('--smtp-relay-insecure-tls', "accept the relay's TLS certificate unverified (self-signed test servers)"),
  flag('--smtp-relay-username <user>', 'AUTH user for the relay'),
  flag('--smtp-relay-password <password>', 'AUTH password for the relay'),
  flag('--smtp-relay-allowed-recipients <regex>', 'only release or relay to recipients matching this'),
  flag('--smtp-relay-all', 'relay every new message to its envelope recipients'),
  flag('--smtp-relay-matching <regex>', 'relay new messages to the envelope recipients matching this'),
  flag('--enable-chaos', 'allow failures on purpose: /api/v1/chaos and fail-NNN@ addresses'),
  flag('--webhook-url <url>', 'POST the summary JSON of each new message to this http(s) URL'),
  flag('--webhook-limit <n>', 'webhook POSTs a second (0 = unlimited)', '1'),
  flag('--webhook-burst <n>', 'webhook POSTs allowed at once after a quiet spell', '1'),
  // Operations: Prometheus metrics and tag rules (docs/metrics.md, docs/tags.md).
  flag(
    '--metrics <on|off|host:port>',
    'Prometheus metrics: /metrics on the web listener (on), or a listener of their own',
    'off',
  ),
  flag('--tags-config <file>', "tag rules on arrival, in Mailpit's tags format (YAML filters of match and tags)"),
  // Message checks: HTML compatibility, links, spam (docs/checks.md).
  flag('--link-check-allow-internal', 'let the link check reach loopback, private and link-local addresses'),
  flag('--link-check-timeout <duration>', 'time each link-check request may take', '5s'),
  flag('--spamassassin <host:port>', 'spamd (SpamAssassin) that answers the spam check'),
  flag('--rspamd <url>', "rspamd's HTTP URL that answers the spam check, e.g. http://127.0.0.1:11333"),
  flag('--spam-timeout <duration>', 'how long the spam check waits for its filter', '8s'),
  // Storage and retention: a Maildir folder that survives restarts (docs/storage.md).
  flag('--storage <dir>', 'keep mail in this Maildir folder, durable across restarts (default: memory)'),
  flag('--max-age <age>', 'delete messages older than this, e.g. 1h or 7d (default: no age limit)'),
  // MCP: an MCP server for AI agents over the caught mail (docs/mcp.md).
  flag('--mcp <on|off>', 'serve MCP (Streamable HTTP) for AI agents at /mcp on the web listener', 'on'),
  // Provider HTTP APIs at their own paths (docs/providers.md).
  flag('--provider-apis <names>', 'email APIs served: none, all, or sendgrid,mailgun,postmark,resend,ses', 'all'),
  flag('--provider-api-key <key>', 'require this API key on provider API requests (default: accept any)'),
  flag('--http-write-timeout <duration>', 'drop a client that reads nothing of a streamed answer this long', '30s'),
  // Message authentication checks: DKIM, SPF, DMARC, ARC and BIMI (docs/auth.md).
  flag('--dns-records <file>', 'JSON file of DNS names to TXT strings the checks look up (after PUT /api/v1/dns)'),
  flag('--dns-offline', 'never ask the system resolver: checks see only API and --dns-records records'),
  // IMAP: read the caught mail in a mail client, with IDLE (docs/imap.md).
  flag('--imap <host:port>', 'serve the caught mail over IMAP here, e.g. 127.0.0.1:1143 (default: off)'),
  flag('--imap-tls', 'implicit TLS on the IMAP port (as on 993) instead of STARTTLS'),
  flag('--imap-auth <pairs>', 'require these IMAP credentials: "user:pass ..." (default: --ui-auth, else any)'),
  flag('--log-level <level>', 'trace, debug, info, warn, error or silent'),
  flag('--verbose', 'log every SMTP command and HTTP request'),
];

const program = new Command('pigeonhole')
  .description(
    'A local development mail catcher: SMTP in, live web inbox, Mailpit and MailHog APIs.\n' +
      'Without a command it runs the server; the commands below talk to a running one.',
  )
  .version(packageJson.version, '-v, --version')
  // Server flags go before a command name, so that a command may reuse letters (sendmail's -v, -f).
  .enablePositionalOptions()
  // Loaded on demand: the client commands start fast without fastify, smtp-server and the parsers.
  .action(async (options: PigeonholeOptions) => (await import('./commands/serve')).serve(options));
for (const option of serverFlags) program.addOption(option);

program.addCommand(waitCommand());
program.addCommand(sendCommand());
program.addCommand(sendmailCommand());
program.addCommand(ingestCommand());
program.addCommand(dumpCommand());
program.addCommand(checkCommand());
program.addCommand(mcpCommand());

// Installed as (or linked to) `sendmail`, e.g. `ln -s "$(command -v pigeonhole)" /usr/sbin/sendmail`,
// it behaves as `pigeonhole sendmail`, the way Mailpit's and MailHog's sendmail do.
const args = process.argv.slice(2);
const invokedAs = basename(process.argv[1] ?? '');
await program.parseAsync(invokedAs === 'sendmail' ? ['sendmail', ...args] : args, { from: 'user' });
