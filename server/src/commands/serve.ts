import closeWithGrace from 'close-with-grace';
import packageJson from '../../package.json' with { type: 'json' };
import { ConfigError, type PigeonholeOptions } from '../config';
import { createLogger } from '../logger';
import { startPigeonhole } from '../pigeonhole';

/**
 * The default action of `pigeonhole`: run the server until SIGINT or SIGTERM, with a ready banner on
 * standard output. Exit code 2 for a bad option, 1 when an address cannot be bound.
 */
export async function serve(options: PigeonholeOptions): Promise<void> {
  const logger = createLogger(options.logLevel ?? (options.verbose ? 'debug' : 'info'));
  try {
    const pigeonhole = await startPigeonhole({ ...options, logger, cliDefaults: true });
    const smtp = `${pigeonhole.smtpHost}:${pigeonhole.smtpPort}`;
    logger.info({ smtp, http: pigeonhole.httpUrl }, 'Pigeonhole is ready');
    const { config } = pigeonhole;
    const tls = config.smtpRequireTls ? 'implicit TLS' : config.smtpStarttls ? 'STARTTLS offered' : '';
    const smtpAuth = config.smtpAuth ? 'AUTH required' : 'any login accepted';
    // Every listener that reads mail and is open without auth says so, in the words of what it lets in.
    const pop3Open = !config.pop3Auth && !config.uiAuth ? ' (open: any login reads all mail)' : '';
    const imapOpen = !config.imapAuth && !config.uiAuth ? ' (open: any login reads all mail)' : '';
    const imapTls = config.imapTls ? ', implicit TLS' : ', STARTTLS offered';
    const webOpen = config.uiAuth ? '' : ' (open: no --ui-auth)';
    process.stdout.write(
      `Pigeonhole ${packageJson.version} is catching mail\n` +
        `  SMTP    ${smtp} (${[tls, smtpAuth].filter(Boolean).join(', ')})\n` +
        (pigeonhole.pop3Port === null ? '' : `  POP3    ${config.pop3?.host}:${pigeonhole.pop3Port}${pop3Open}\n`) +
        (pigeonhole.imapPort === null
          ? ''
          : `  IMAP    ${config.imap?.host}:${pigeonhole.imapPort}${imapOpen}${imapTls}\n`) +
        `  Web UI  ${pigeonhole.httpUrl}${webOpen}\n` +
        `  API     ${pigeonhole.httpUrl}/api/v1/messages${webOpen}\n` +
        (config.metrics ? `  Metrics ${pigeonhole.metricsUrl ?? pigeonhole.httpUrl}/metrics${webOpen}\n` : ''),
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
}
