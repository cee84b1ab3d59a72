// The settings of the message checks: link check (SSRF rule), spam filters (spamd, rspamd).
import type { Config, PigeonholeOptions } from './types';
import { ConfigError, parseDuration, parseHostPort } from './values';

/** `--rspamd URL`: an http(s) URL of rspamd's controller or normal worker (its `/checkv2` is used). */
function parseRspamd(value: string | undefined): URL | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--rspamd: not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--rspamd: only http:// and https:// URLs are allowed, got "${url.protocol}"`);
  }
  return url;
}

/** `--link-check-allow-internal`, `--link-check-timeout`, `--spamassassin`, `--rspamd` and `--spam-timeout`. */
export function parseChecks(
  options: PigeonholeOptions,
): Pick<Config, 'linkCheckAllowInternal' | 'linkCheckTimeoutMs' | 'spamassassin' | 'rspamd' | 'spamTimeoutMs'> {
  const timeout = parseDuration(options.spamTimeout ?? '8s', 'spam-timeout');
  if (timeout <= 0) throw new ConfigError('--spam-timeout: must be more than 0');
  const linkTimeout = parseDuration(options.linkCheckTimeout ?? '5s', 'link-check-timeout');
  if (linkTimeout <= 0) throw new ConfigError('--link-check-timeout: must be more than 0');
  return {
    linkCheckAllowInternal: options.linkCheckAllowInternal ?? false,
    linkCheckTimeoutMs: linkTimeout,
    spamassassin: options.spamassassin ? parseHostPort(options.spamassassin, 'spamassassin') : null,
    rspamd: parseRspamd(options.rspamd),
    spamTimeoutMs: timeout,
  };
}
