#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
import { Command, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { ConfigError, DEFAULTS, type PigeonholeOptions } from './config';
import { createLogger } from './logger';
import { startPigeonhole } from './pigeonhole';

/** A flag and its `PIGEONHOLE_*` environment variable, e.g. `--smtp` and `PIGEONHOLE_SMTP`. */
function flag(flags: string, description: string, defaultValue?: string): Option {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? '';
  const option = new Option(flags, description).env(`PIGEONHOLE_${long.replace(/-/g, '_').toUpperCase()}`);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

const program = new Command('pigeonhole')
  .description('A local development mail catcher: SMTP in, live web inbox, Mailpit and MailHog APIs.')
  .version(packageJson.version, '-v, --version')
  .addOption(flag('--smtp <host:port>', 'SMTP address', DEFAULTS.smtp))
  .addOption(flag('--listen <host:port>', 'web UI and API address', DEFAULTS.listen))
  .addOption(flag('--max <n>', 'messages kept, oldest evicted first (0 = unlimited)', String(DEFAULTS.max)))
  .addOption(flag('--max-bytes <size>', 'total raw bytes kept (0 = unlimited)', '512MB'))
  .addOption(flag('--max-message-size <size>', 'largest message accepted, 552 beyond', '50MB'))
  .addOption(
    flag('--smtp-max-recipients <n>', 'recipients per message, 452 beyond', String(DEFAULTS.smtpMaxRecipients)),
  )
  .addOption(flag('--smtp-max-connections <n>', 'concurrent SMTP connections', String(DEFAULTS.smtpMaxConnections)))
  .addOption(flag('--smtp-max-line-length <bytes>', 'longest SMTP command line', String(DEFAULTS.smtpMaxLineLength)))
  .addOption(flag('--smtp-idle-timeout <duration>', 'close idle SMTP sessions after', '5m'))
  .addOption(flag('--smtp-hostname <name>', 'host name in the SMTP greeting', DEFAULTS.smtpHostname))
  .addOption(flag('--smtp-tls-cert <file>', 'PEM certificate for STARTTLS/SMTPS (self-signed when absent)'))
  .addOption(flag('--smtp-tls-key <file>', 'PEM key for --smtp-tls-cert'))
  .addOption(flag('--smtp-require-tls', 'implicit TLS (SMTPS) on the SMTP port'))
  .addOption(flag('--smtp-disable-starttls', 'do not offer STARTTLS'))
  .addOption(flag('--smtp-auth <pairs>', 'require these credentials: "user:pass user2:pass2" (default: accept any)'))
  .addOption(flag('--smtp-auth-file <file>', 'require the credentials in this file, one user:pass a line'))
  .addOption(flag('--log-level <level>', 'trace, debug, info, warn, error or silent'))
  .addOption(flag('--verbose', 'log every SMTP command and HTTP request'))
  .action(async (options: PigeonholeOptions) => {
    const logger = createLogger(options.logLevel ?? (options.verbose ? 'debug' : 'info'));
    try {
      const pigeonhole = await startPigeonhole({ ...options, logger, cliDefaults: true });
      const smtp = `${pigeonhole.smtpHost}:${pigeonhole.smtpPort}`;
      logger.info({ smtp, http: pigeonhole.httpUrl }, 'Pigeonhole is ready');
      process.stdout.write(
        `Pigeonhole ${packageJson.version} is catching mail\n` +
          `  SMTP    ${smtp}${pigeonhole.config.smtpRequireTls ? ' (implicit TLS)' : pigeonhole.config.smtpStarttls ? ' (STARTTLS offered)' : ''}\n` +
          `  Web UI  ${pigeonhole.httpUrl}\n` +
          `  API     ${pigeonhole.httpUrl}/api/v1/messages\n`,
      );
      closeWithGrace({ delay: 10_000, logger: false }, async ({ signal, err }) => {
        if (err) logger.error({ err }, 'shutting down after an error');
        else logger.info({ signal }, 'shutting down');
        await pigeonhole.stop();
      });
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`pigeonhole: ${err.message}\n`);
        process.exit(2);
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        process.stderr.write(`pigeonhole: cannot listen: ${(err as Error).message}\n`);
        process.exit(1);
      }
      throw err;
    }
  });

await program.parseAsync();
