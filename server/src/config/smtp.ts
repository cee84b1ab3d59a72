// The SMTP listener's credentials and per-session limits.
import type { Config, Defaults, PigeonholeOptions } from './types';
import { ConfigError, parseCount, parseCredentials, readText, type Credential } from './values';

/**
 * `--smtp-auth`, `--smtp-auth-file` and `--smtp-auth-allow-insecure`: the users of both flags
 * together, or null (any credentials accepted); refused when AUTH could never happen over TLS.
 */
export function parseSmtpAuth(options: PigeonholeOptions): Pick<Config, 'smtpAuth' | 'smtpAuthAllowInsecure'> {
  let smtpAuth: Credential[] | null = null;
  if (options.smtpAuth) smtpAuth = parseCredentials(options.smtpAuth, 'smtp-auth');
  if (options.smtpAuthFile) {
    smtpAuth = [
      ...(smtpAuth ?? []),
      ...parseCredentials(readText(options.smtpAuthFile, 'smtp-auth-file'), 'smtp-auth-file'),
    ];
  }
  const smtpAuthAllowInsecure = options.smtpAuthAllowInsecure ?? false;
  if (smtpAuth && options.smtpDisableStarttls && !options.smtpRequireTls && !smtpAuthAllowInsecure) {
    // Required credentials with no TLS at all would be refused (538) to every client.
    throw new ConfigError(
      '--smtp-auth needs TLS for AUTH: drop --smtp-disable-starttls, add --smtp-require-tls, or allow cleartext AUTH with --smtp-auth-allow-insecure',
    );
  }
  return { smtpAuth, smtpAuthAllowInsecure };
}

/** `--smtp-max-recipients`, `--smtp-max-connections` and `--smtp-max-line-length`, each with its floor. */
export function parseSmtpLimits(
  options: PigeonholeOptions,
  defaults: Readonly<Defaults>,
): Pick<Config, 'smtpMaxRecipients' | 'smtpMaxConnections' | 'smtpMaxLineLength'> {
  const maxRecipients = parseCount(options.smtpMaxRecipients ?? defaults.smtpMaxRecipients, 'smtp-max-recipients');
  const maxConnections = parseCount(options.smtpMaxConnections ?? defaults.smtpMaxConnections, 'smtp-max-connections');
  const maxLine = parseCount(options.smtpMaxLineLength ?? defaults.smtpMaxLineLength, 'smtp-max-line-length');
  if (maxRecipients < 1) throw new ConfigError('--smtp-max-recipients: must be at least 1');
  if (maxConnections < 1) throw new ConfigError('--smtp-max-connections: must be at least 1');
  if (maxLine < 512) throw new ConfigError('--smtp-max-line-length: must be at least 512 (RFC 5321)');
  return { smtpMaxRecipients: maxRecipients, smtpMaxConnections: maxConnections, smtpMaxLineLength: maxLine };
}
