// The settings that take mail beyond capture: POP3, relay (releases and auto-relay), chaos, webhook.
import type { Config, PigeonholeOptions, RelayConfig, WebhookConfig } from './types';
import { ConfigError, parseCount, parseCredentials, parseHostPort, parseRegExp } from './values';

/** `--smtp-relay-*`: null without a relay host, and an error for a relay flag given without one. */
export function parseRelay(options: PigeonholeOptions): RelayConfig | null {
  const host = options.smtpRelayHost;
  if (!host) {
    const stray = (['smtpRelayAll', 'smtpRelayMatching', 'smtpRelayUsername', 'smtpRelayPort'] as const).find(
      (key) => options[key],
    );
    if (stray)
      throw new ConfigError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --smtp-relay-host`);
    return null;
  }
  const tls = options.smtpRelayTls ?? false;
  const starttls = options.smtpRelayStarttls ?? false;
  if (tls && starttls) throw new ConfigError('--smtp-relay-tls and --smtp-relay-starttls exclude each other: pick one');
  const port = parseCount(options.smtpRelayPort ?? (tls ? 465 : 25), 'smtp-relay-port');
  if (port < 1 || port > 65535) throw new ConfigError(`--smtp-relay-port: expected 1 to 65535, got ${port}`);
  return {
    host,
    port,
    starttls,
    tls,
    insecureTls: options.smtpRelayInsecureTls ?? false,
    username: options.smtpRelayUsername ?? '',
    password: options.smtpRelayPassword ?? '',
    allowedRecipients: parseRegExp(options.smtpRelayAllowedRecipients, 'smtp-relay-allowed-recipients'),
    all: options.smtpRelayAll ?? false,
    matching: parseRegExp(options.smtpRelayMatching, 'smtp-relay-matching'),
  };
}

/** `--webhook-url`, `--webhook-limit` and `--webhook-burst`: null without a URL; http(s) only. */
export function parseWebhook(options: PigeonholeOptions): WebhookConfig | null {
  if (!options.webhookUrl) return null;
  let url: URL;
  try {
    url = new URL(options.webhookUrl);
  } catch {
    throw new ConfigError(`--webhook-url: not a URL: "${options.webhookUrl}"`);
  }
  // Only http(s): the webhook must never be a way to make Pigeonhole open files or other schemes.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--webhook-url: only http:// and https:// URLs are allowed, got "${url.protocol}"`);
  }
  const burst = parseCount(options.webhookBurst ?? 1, 'webhook-burst');
  if (burst < 1) throw new ConfigError('--webhook-burst: must be at least 1');
  return { url, limit: parseCount(options.webhookLimit ?? 1, 'webhook-limit'), burst };
}

/** POP3, relay, chaos and webhook settings. */
export function parseBeyondCapture(
  options: PigeonholeOptions,
): Pick<Config, 'pop3' | 'pop3Auth' | 'smtpRelay' | 'enableChaos' | 'webhook'> {
  return {
    pop3: options.pop3 ? parseHostPort(options.pop3, 'pop3') : null,
    pop3Auth: options.pop3Auth ? parseCredentials(options.pop3Auth, 'pop3-auth') : null,
    smtpRelay: parseRelay(options),
    enableChaos: options.enableChaos ?? false,
    webhook: parseWebhook(options),
  };
}
