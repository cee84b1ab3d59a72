import { readFileSync } from 'node:fs';

/** A host and port to listen on. */
export interface HostPort {
  host: string;
  port: number;
}

/** One user allowed to authenticate. */
export interface Credential {
  username: string;
  password: string;
}

/**
 * What `startPigeonhole()` and the CLI accept: the CLI flags in camelCase. Every field is optional;
 * {@link resolveConfig} fills the defaults.
 */
export interface PigeonholeOptions {
  /** SMTP address, `HOST:PORT`; default `127.0.0.1:1025` (port 0 in-process). */
  smtp?: string;
  /** HTTP address for UI and API, `HOST:PORT`; default `127.0.0.1:8025` (port 0 in-process). */
  listen?: string;
  /** Messages kept; the oldest go first. 0 = unlimited. Default 5,000. */
  max?: number | string;
  /** Total raw bytes kept; the oldest go first. 0 = unlimited. Default 512 MB. */
  maxBytes?: number | string;
  /** Largest message accepted; 552 beyond it. Default 50 MB. */
  maxMessageSize?: number | string;
  /** Recipients per message; 452 beyond it. Default 1,000. */
  smtpMaxRecipients?: number | string;
  /** Concurrent SMTP connections. Default 200. */
  smtpMaxConnections?: number | string;
  /** Idle SMTP sessions are closed after this many milliseconds (or `60s`, `5m`). Default 5 minutes. */
  smtpIdleTimeout?: number | string;
  /** Longest SMTP command line in bytes. Default 4,096. */
  smtpMaxLineLength?: number | string;
  /** PEM certificate file for STARTTLS/SMTPS; a self-signed one is made at start when absent. */
  smtpTlsCert?: string;
  /** PEM key file matching `smtpTlsCert`. */
  smtpTlsKey?: string;
  /** Implicit TLS (SMTPS) on the SMTP port. */
  smtpRequireTls?: boolean;
  /** Turns STARTTLS off. */
  smtpDisableStarttls?: boolean;
  /** Required credentials, `"user:pass user2:pass2"`. Without it any credentials are accepted. */
  smtpAuth?: string;
  /** A file with one `user:pass` per line (or space separated); same meaning as `smtpAuth`. */
  smtpAuthFile?: string;
  /**
   * With `smtpAuth`: accept AUTH before STARTTLS, password in the clear (Mailpit's
   * `--smtp-auth-allow-insecure`). Without it, AUTH before TLS gets 538.
   */
  smtpAuthAllowInsecure?: boolean;
  /** The host name in the SMTP greeting. */
  smtpHostname?: string;
  /** Log every SMTP command and reply, and HTTP requests. */
  verbose?: boolean;
  /** Pino log level; `silent` turns logs off. Default `info` (`debug` with verbose). */
  logLevel?: string;
  /** Directory of the built web UI; found next to the server by default. */
  webRoot?: string;
  /**
   * Other origins allowed to call the API and open its WebSockets from a browser, comma or space
   * separated (`http://localhost:3000`), or `*` for any; Mailpit's `--api-cors`. Default: none.
   */
  apiCors?: string;
  /** Basic auth on UI, API and WebSocket: `"user:pass user2:$2b$10$..."` (plain or bcrypt). */
  uiAuth?: string;
  /** A file of `user:pass` or `user:bcrypt-hash` lines (htpasswd with bcrypt); same meaning as `uiAuth`. */
  uiAuthFile?: string;
  /** PEM certificate file: serve UI and API over HTTPS. */
  uiTlsCert?: string;
  /** PEM key file matching `uiTlsCert`. */
  uiTlsKey?: string;
  /**
   * Host names served besides IP literals, `localhost`, `*.localhost` and single-label names, comma
   * or space separated (`mail.dev.example`, `*.dev.example`), or `*` for any; Mailpit's
   * `--allowed-hosts`. Other `Host` headers get 403 (DNS rebinding).
   */
  allowedHosts?: string;
  /** Time to receive a request's headers, ms or `10s`; 0 = no limit. Default 10 s. */
  httpHeaderTimeout?: number | string;
  /** Time to receive a whole request, body included; 0 = no limit. Default 60 s. */
  httpRequestTimeout?: number | string;
  /** Idle keep-alive connections are closed after this (more than 0). Default 5 s. */
  httpIdleTimeout?: number | string;
  /** Concurrent HTTP connections, WebSockets included; idle keep-alive ones go first. 0 = no cap. Default 1,000. */
  httpMaxConnections?: number | string;

  // Beyond capture (POP3, relay, chaos, webhook): see parseBeyondCapture.
  /** POP3 address, `HOST:PORT` (conventionally 127.0.0.1:1110); POP3 is off without it. */
  pop3?: string;
  /** Required POP3 credentials, `"user:pass user2:pass2"`. Without it any credentials are accepted. */
  pop3Auth?: string;
  /** SMTP server that releases and auto-relay send through. */
  smtpRelayHost?: string;
  /** Its port; default 25 (465 with `smtpRelayTls`). */
  smtpRelayPort?: number | string;
  /** Require STARTTLS with the relay. */
  smtpRelayStarttls?: boolean;
  /** Implicit TLS (SMTPS) with the relay. */
  smtpRelayTls?: boolean;
  /** Accept any TLS certificate from the relay (self-signed test servers). */
  smtpRelayInsecureTls?: boolean;
  /** AUTH user name for the relay. */
  smtpRelayUsername?: string;
  /** AUTH password for the relay. */
  smtpRelayPassword?: string;
  /** Only these recipients may be released or relayed to (a regular expression). */
  smtpRelayAllowedRecipients?: string;
  /** Relay every new message to its envelope recipients. */
  smtpRelayAll?: boolean;
  /** Relay new messages to the envelope recipients matching this regular expression. */
  smtpRelayMatching?: string;
  /** Turns on chaos: `GET/PUT /api/v1/chaos` and the `fail-NNN@` address rules. */
  enableChaos?: boolean;
  /** POST the summary of each new message to this http(s) URL. */
  webhookUrl?: string;
  /** Webhook POSTs a second (0 = unlimited). Default 1. */
  webhookLimit?: number | string;
  /** Webhook POSTs that may go at once after a quiet spell. Default 1. */
  webhookBurst?: number | string;
  /**
   * A client that reads nothing of a streamed answer (MailHog's message lists) for this long is
   * dropped, in milliseconds or `30s`. Default 30 seconds.
   */
  httpWriteTimeout?: number | string;
}

/** The validated, complete configuration. Built once at the edge; nothing else reads the environment. */
export interface Config {
  smtp: HostPort;
  listen: HostPort;
  max: number;
  maxBytes: number;
  maxMessageSize: number;
  smtpMaxRecipients: number;
  smtpMaxConnections: number;
  smtpIdleTimeoutMs: number;
  smtpMaxLineLength: number;
  smtpTls: { cert: string; key: string } | null;
  smtpRequireTls: boolean;
  smtpStarttls: boolean;
  smtpAuth: Credential[] | null;
  /** AUTH accepted before TLS even though `smtpAuth` requires credentials. */
  smtpAuthAllowInsecure: boolean;
  smtpHostname: string;
  verbose: boolean;
  logLevel: string;
  webRoot: string | null;
  /** Origins allowed besides the server's own (`--api-cors`), lower case; `*` allows any. */
  apiCors: string[];
  /** Basic-auth users of UI, API and WebSocket (password plain or a bcrypt hash); null = open. */
  uiAuth: Credential[] | null;
  /** HTTPS for UI and API; null = plain HTTP. */
  uiTls: { cert: string; key: string } | null;
  /** Host names served besides the built-in rule (lower case; `*.` prefix = any subdomain; `*` = any). */
  allowedHosts: string[];
  /** Node's `headersTimeout`; 0 = none. */
  httpHeaderTimeoutMs: number;
  /** Node's `requestTimeout`; 0 = none. */
  httpRequestTimeoutMs: number;
  /** Node's `keepAliveTimeout`. */
  httpIdleTimeoutMs: number;
  /** Connection cap, WebSockets included; 0 = none. */
  httpMaxConnections: number;
  /** POP3 address; null when POP3 is off. */
  pop3: HostPort | null;
  pop3Auth: Credential[] | null;
  smtpRelay: RelayConfig | null;
  enableChaos: boolean;
  webhook: WebhookConfig | null;
  /** `--http-write-timeout`: a streamed answer's client is dropped after reading nothing this long. */
  httpWriteTimeoutMs: number;
}

/** Where and how releases and auto-relay send. */
export interface RelayConfig {
  host: string;
  port: number;
  starttls: boolean;
  tls: boolean;
  insecureTls: boolean;
  username: string;
  password: string;
  allowedRecipients: RegExp | null;
  /** `--smtp-relay-all`. */
  all: boolean;
  /** `--smtp-relay-matching`. */
  matching: RegExp | null;
}

/** The webhook target and its rate. */
export interface WebhookConfig {
  url: URL;
  /** POSTs a second; 0 = unlimited. */
  limit: number;
  burst: number;
}

/** A configuration value that cannot be used; the message names the option and what is wrong. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const MB = 1024 * 1024;

/** Default values of the options that have one. */
export interface Defaults {
  smtp: string;
  listen: string;
  max: number;
  maxBytes: number;
  maxMessageSize: number;
  smtpMaxRecipients: number;
  smtpMaxConnections: number;
  smtpIdleTimeoutMs: number;
  smtpMaxLineLength: number;
  smtpHostname: string;
}

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

/** Parses `HOST:PORT`, `[::1]:PORT` or `:PORT` (host 127.0.0.1). */
export function parseHostPort(value: string, option: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ConfigError(`--${option}: expected HOST:PORT (e.g. 127.0.0.1:1025), got "${value}"`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: MB,
  mb: MB,
  g: 1024 * MB,
  gb: 1024 * MB,
};

/** Parses a byte size: `1048576`, `512kb`, `50MB`, `1g`. */
export function parseSize(value: number | string, option: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) {
    throw new ConfigError(`--${option}: expected a size in bytes (e.g. 52428800 or 50MB), got "${value}"`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/** Parses a count: a non-negative integer. */
export function parseCount(value: number | string, option: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ConfigError(`--${option}: expected a whole number of 0 or more, got "${value}"`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration: milliseconds as a number, or `500ms`, `10s`, `5m`, `1h`. */
export function parseDuration(value: number | string, option: string): number {
  if (typeof value === 'number' && value >= 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|)\s*$/i.exec(String(value));
  const unit = DURATION_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) {
    throw new ConfigError(`--${option}: expected a duration (e.g. 10s, 500ms, 5m), got "${value}"`);
  }
  return Math.round(Number(match[1]) * unit);
}

/** Parses a list of origins (`scheme://host[:port]`, comma or space separated) or `*`. */
export function parseOrigins(text: string, option: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') return '*';
      try {
        const url = new URL(entry);
        if (url.origin === 'null') throw new Error('no origin');
        return url.origin.toLowerCase();
      } catch {
        throw new ConfigError(`--${option}: expected origins like http://localhost:3000 or *, got "${entry}"`);
      }
    });
}

/** Parses `"user:pass user2:pass2"` (spaces, commas or new lines between pairs). */
export function parseCredentials(text: string, option: string): Credential[] {
  const pairs = text.split(/[\s,]+/).filter((p) => p && !p.startsWith('#'));
  const credentials = pairs.map((pair) => {
    const colon = pair.indexOf(':');
    if (colon < 1) throw new ConfigError(`--${option}: expected user:password pairs, got "${pair}"`);
    return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
  });
  if (credentials.length === 0) throw new ConfigError(`--${option}: no user:password pairs given`);
  return credentials;
}

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--${option}: cannot read ${path}: ${(err as Error).message}`);
  }
}

function parseRegExp(value: string | undefined, option: string): RegExp | null {
  if (!value) return null;
  try {
    return new RegExp(value, 'i');
  } catch (err) {
    throw new ConfigError(`--${option}: not a valid regular expression: ${(err as Error).message}`);
  }
}

function parseRelay(options: PigeonholeOptions): RelayConfig | null {
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

function parseWebhook(options: PigeonholeOptions): WebhookConfig | null {
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

/** `--http-write-timeout`: at least 100 ms, so that a client on a busy machine is not cut off at once. */
function parseWriteTimeout(value: number | string | undefined): number {
  const ms = parseDuration(value ?? 30_000, 'http-write-timeout');
  if (ms < 100) throw new ConfigError('--http-write-timeout: must be at least 100ms');
  return ms;
}

/** POP3, relay, chaos and webhook settings (issue "Beyond capture"). */
function parseBeyondCapture(
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

/** `--ui-auth`, `--ui-auth-file`, `--ui-tls-cert` and `--ui-tls-key`. */
function parseUiAccess(options: PigeonholeOptions): Pick<Config, 'uiAuth' | 'uiTls'> {
  let uiAuth: Credential[] | null = null;
  if (options.uiAuth) uiAuth = parseCredentials(options.uiAuth, 'ui-auth');
  if (options.uiAuthFile) {
    const file = parseCredentials(readText(options.uiAuthFile, 'ui-auth-file'), 'ui-auth-file');
    uiAuth = [...(uiAuth ?? []), ...file];
  }
  const { uiTlsCert: cert, uiTlsKey: key } = options;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError('--ui-tls-cert and --ui-tls-key go together: give both or neither');
  }
  const uiTls = cert && key ? { cert: readText(cert, 'ui-tls-cert'), key: readText(key, 'ui-tls-key') } : null;
  return { uiAuth, uiTls };
}

/** Defaults of the HTTP guard flags (cli.ts shows the same values). */
export const HTTP_GUARD_DEFAULTS = {
  httpHeaderTimeoutMs: 10_000,
  httpRequestTimeoutMs: 60_000,
  httpIdleTimeoutMs: 5_000,
  // Above the WebSocket subscriber cap (500 per hub, event-hub.ts), so that a client past that cap
  // hears 1013 and why, rather than a refused connection, and the UI and API still have room.
  httpMaxConnections: 1000,
} as const;

/** Parses `--allowed-hosts`: host names (an optional port is dropped), `*.domain` wildcards, or `*`. */
export function parseAllowedHosts(text: string, option: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const name = entry.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
      if (name === '*' || /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return name;
      throw new ConfigError(`--${option}: expected host names like mail.dev.example, *.dev.example or *, got "${entry}"`);
    });
}

/** `--allowed-hosts`, the HTTP timeouts and `--http-max-connections`. */
function parseHttpGuard(
  options: PigeonholeOptions,
): Pick<
  Config,
  'allowedHosts' | 'httpHeaderTimeoutMs' | 'httpRequestTimeoutMs' | 'httpIdleTimeoutMs' | 'httpMaxConnections'
> {
  const d = HTTP_GUARD_DEFAULTS;
  const header = parseDuration(options.httpHeaderTimeout ?? d.httpHeaderTimeoutMs, 'http-header-timeout');
  const request = parseDuration(options.httpRequestTimeout ?? d.httpRequestTimeoutMs, 'http-request-timeout');
  // Node refuses a header timeout longer than the request timeout: the headers are part of the request.
  if (header > 0 && request > 0 && header > request) {
    throw new ConfigError(`--http-header-timeout (${header} ms) must not exceed --http-request-timeout (${request} ms)`);
  }
  const idle = parseDuration(options.httpIdleTimeout ?? d.httpIdleTimeoutMs, 'http-idle-timeout');
  // Node reads a keep-alive timeout of 0 as "never": idle sockets would be held forever.
  if (idle < 1) throw new ConfigError('--http-idle-timeout: must be more than 0');
  return {
    allowedHosts: parseAllowedHosts(options.allowedHosts ?? '', 'allowed-hosts'),
    httpHeaderTimeoutMs: header,
    httpRequestTimeoutMs: request,
    httpIdleTimeoutMs: idle,
    httpMaxConnections: parseCount(options.httpMaxConnections ?? d.httpMaxConnections, 'http-max-connections'),
  };
}

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
  const verbose = options.verbose ?? false;
  const maxRecipients = parseCount(options.smtpMaxRecipients ?? defaults.smtpMaxRecipients, 'smtp-max-recipients');
  const maxConnections = parseCount(options.smtpMaxConnections ?? defaults.smtpMaxConnections, 'smtp-max-connections');
  const maxLine = parseCount(options.smtpMaxLineLength ?? defaults.smtpMaxLineLength, 'smtp-max-line-length');
  if (maxRecipients < 1) throw new ConfigError('--smtp-max-recipients: must be at least 1');
  if (maxConnections < 1) throw new ConfigError('--smtp-max-connections: must be at least 1');
  if (maxLine < 512) throw new ConfigError('--smtp-max-line-length: must be at least 512 (RFC 5321)');
  return {
    smtp: parseHostPort(options.smtp ?? defaults.smtp, 'smtp'),
    listen: parseHostPort(options.listen ?? defaults.listen, 'listen'),
    max: parseCount(options.max ?? defaults.max, 'max'),
    maxBytes: parseSize(options.maxBytes ?? defaults.maxBytes, 'max-bytes'),
    maxMessageSize: parseSize(options.maxMessageSize ?? defaults.maxMessageSize, 'max-message-size'),
    smtpMaxRecipients: maxRecipients,
    smtpMaxConnections: maxConnections,
    smtpIdleTimeoutMs: parseDuration(options.smtpIdleTimeout ?? defaults.smtpIdleTimeoutMs, 'smtp-idle-timeout'),
    smtpMaxLineLength: maxLine,
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
  };
}
