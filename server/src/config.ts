// The one entry point of configuration: resolveConfig turns options into one typed Config, with the
// defaults. The parsers live in config/ by concern (values, types, SMTP, HTTP, beyond capture) and
// are re-exported here, so that the rest of the program imports from './config' alone.
import { parseAuthChecks } from './config/auth';
import { parseBeyondCapture } from './config/beyond-capture';
import { parseChecks } from './config/checks';
import { parseProviders } from './config/providers';
import { parseImap } from './config/imap';
import { parseHttpGuard, parseUiAccess, parseWriteTimeout } from './config/http';
import { parseMcp } from './config/mcp';
import { parseOperations } from './config/operations';
import { parseSmtpAuth, parseSmtpLimits } from './config/smtp';
import { parseStorage } from './config/storage';
import type { Config, Defaults, PigeonholeOptions } from './config/types';
import {
  ConfigError,
  MB,
  parseCount,
  parseDuration,
  parseHostPort,
  parseOrigins,
  parseSize,
  readText,
} from './config/values';

export type { Config, Defaults, PigeonholeOptions, RelayConfig, WebhookConfig } from './config/types';
export {
  ConfigError,
  parseCount,
  parseCredentials,
  parseDuration,
  parseHostPort,
  parseOrigins,
  parseSize,
  type Credential,
  type HostPort,
} from './config/values';
export { HTTP_GUARD_DEFAULTS, parseAllowedHosts } from './config/http';

/** Defaults for the CLI. In-process starts use port 0 instead (see `startPigeonhole`). */
export const DEFAULTS: Readonly<Defaults> = {
  smtp: '127.0.0.1:1025',
  listen: '127.0.0.1:8025',
  max: 5000,
  maxBytes: 512 * MB,
  maxMessageSize: 50 * MB,
  smtpMaxRecipients: 1000,
  smtpMaxConnections: 200,
  smtpIdleTimeoutMs: 5 * 60_000,
  smtpMaxLineLength: 4096,
  smtpHostname: 'pigeonhole.local',
};

/**
 * Validates options once and fills every default, so the rest of the program reads one typed object.
 * `defaults` lets in-process starts default to free ports.
 */
export function resolveConfig(options: PigeonholeOptions, defaults: Readonly<Defaults> = DEFAULTS): Config {
  const certFile = options.smtpTlsCert;
  const keyFile = options.smtpTlsKey;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError('--smtp-tls-cert and --smtp-tls-key go together: give both or neither');
  }
  const { smtpAuth, smtpAuthAllowInsecure } = parseSmtpAuth(options);
  const verbose = options.verbose ?? false;
  const limits = parseSmtpLimits(options, defaults);
  return {
    smtp: parseHostPort(options.smtp ?? defaults.smtp, 'smtp'),
    listen: parseHostPort(options.listen ?? defaults.listen, 'listen'),
    max: parseCount(options.max ?? defaults.max, 'max'),
    maxBytes: parseSize(options.maxBytes ?? defaults.maxBytes, 'max-bytes'),
    maxMessageSize: parseSize(options.maxMessageSize ?? defaults.maxMessageSize, 'max-message-size'),
    smtpMaxRecipients: limits.smtpMaxRecipients,
    smtpMaxConnections: limits.smtpMaxConnections,
    smtpIdleTimeoutMs: parseDuration(options.smtpIdleTimeout ?? defaults.smtpIdleTimeoutMs, 'smtp-idle-timeout'),
    smtpMaxLineLength: limits.smtpMaxLineLength,
    smtpTls:
      certFile && keyFile
        ? { cert: readText(certFile, 'smtp-tls-cert'), key: readText(keyFile, 'smtp-tls-key') }
        : null,
    smtpRequireTls: options.smtpRequireTls ?? false,
    smtpStarttls: !(options.smtpDisableStarttls ?? false),
    smtpAuth,
    smtpAuthAllowInsecure,
    smtpHostname: options.smtpHostname ?? defaults.smtpHostname,
    verbose,
    logLevel: options.logLevel ?? (verbose ? 'debug' : 'info'),
    webRoot: options.webRoot ?? null,
    apiCors: parseOrigins(options.apiCors ?? '', 'api-cors'),
    httpWriteTimeoutMs: parseWriteTimeout(options.httpWriteTimeout),
    ...parseBeyondCapture(options),
    ...parseUiAccess(options),
    ...parseHttpGuard(options),
    ...parseAuthChecks(options),
    ...parseMcp(options),
    ...parseProviders(options),
    ...parseOperations(options),
    ...parseChecks(options),
    ...parseImap(options),
    ...parseStorage(options),
  };
}
