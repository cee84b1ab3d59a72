// The shapes of configuration: what callers pass (PigeonholeOptions, the CLI flags in camelCase) and
// what resolveConfig makes of it (Config), with the defaults' shape.
import type { ProviderName } from '@pigeonhole/shared/schemas/providers';
import type { TagRule } from '../tags/rules';
import type { Credential, HostPort } from './values';

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

  // Message authentication checks (DKIM, SPF, DMARC, ARC, BIMI): see parseAuthChecks.
  /** A JSON file of DNS names to TXT strings, looked up after the records set through the API. */
  dnsRecords?: string;
  /** Never ask the system resolver: only API and file records exist. */
  dnsOffline?: boolean;

  // MCP (docs/mcp.md): see parseMcp.
  /** Serve the MCP server for AI agents at `/mcp` on the HTTP listener: `on` or `off` (or a boolean). Default on. */
  mcp?: string | boolean;
  // Provider HTTP APIs (SendGrid, Mailgun, Postmark, Resend, Amazon SES): see parseProviders.
  /** `none`, `all` (the default) or a comma-separated list: `sendgrid,mailgun,postmark,resend,ses`. */
  providerApis?: string;
  /** Require this API key, checked the provider's way; without it any credential is accepted. */
  providerApiKey?: string;

  // Operations (docs/metrics.md, docs/tags.md): see parseOperations.
  /** Prometheus metrics: `off` (default), `on` (`/metrics` on the web listener) or `HOST:PORT` of their own. */
  metrics?: string | boolean;
  /** Tag rules in Mailpit's tags format (YAML `filters:` of `match:` and `tags:`), applied on arrival. */
  tagsConfig?: string;
  // Message checks (docs/checks.md): see parseChecks.
  /** Let the link check reach loopback, private and link-local addresses (links to your own dev servers). */
  linkCheckAllowInternal?: boolean;
  /** Time each link-check request (HEAD, GET, each redirect hop) may take; default 5 s. */
  linkCheckTimeout?: number | string;
  /** spamd (SpamAssassin) to ask for `sa-check`, `HOST:PORT`. */
  spamassassin?: string;
  /** rspamd's HTTP URL to ask for `sa-check` (its `/checkv2`), e.g. `http://127.0.0.1:11333`. */
  rspamd?: string;
  /** How long a spam filter may take before `sa-check` answers with an error; default 8 s (Mailpit's). */
  spamTimeout?: number | string;
  // IMAP (docs/imap.md): see parseImap.
  /** IMAP address, `HOST:PORT` (conventionally 127.0.0.1:1143); IMAP is off without it. */
  imap?: string;
  /** Implicit TLS on the IMAP port (as on 993) instead of STARTTLS. */
  imapTls?: boolean;
  /** Required IMAP credentials, `"user:pass user2:pass2"`; without it (and `uiAuth`) any login is accepted. */
  imapAuth?: string;
  // Storage and retention (docs/storage.md): see parseStorage.
  /** Keep mail in this folder as a Maildir, durable across restarts. Default: in memory only. */
  storage?: string;
  /** Messages older than this go (`1h`, `7d`; a bare number is hours, as in Mailpit); 0 = no limit. */
  maxAge?: number | string;
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

  // Message authentication checks.
  /** `--dns-records FILE`, read and validated at start; null without it. */
  dnsRecords: Map<string, string[]> | null;
  /** `--dns-offline`. */
  dnsOffline: boolean;
  // MCP (docs/mcp.md).
  /** `--mcp`: the MCP server at `/mcp` on the HTTP listener. */
  mcp: boolean;
  // Provider HTTP APIs: see parseProviders.
  /** The provider APIs served at their own paths. */
  providerApis: ProviderName[];
  /** The API key every provider request must carry (the provider's way); null = any. */
  providerApiKey: string | null;
  // Operations: see parseOperations.
  /** `--metrics`: null when off, `http` for `/metrics` on the web listener, or a listener of their own. */
  metrics: HostPort | 'http' | null;
  /** `--tags-config`: the compiled rules; null without the flag. */
  tagRules: TagRule[] | null;

  // Message checks: see parseChecks.
  /** `--link-check-allow-internal`: the link check may connect to internal addresses. */
  linkCheckAllowInternal: boolean;
  /** `--link-check-timeout`, in milliseconds. */
  linkCheckTimeoutMs: number;
  /** `--spamassassin`: spamd's address; null = none. */
  spamassassin: HostPort | null;
  /** `--rspamd`: rspamd's base URL; null = none. */
  rspamd: URL | null;
  /** `--spam-timeout`, in milliseconds. */
  spamTimeoutMs: number;

  // IMAP (docs/imap.md): see parseImap.
  /** IMAP address; null when IMAP is off. */
  imap: HostPort | null;
  /** `--imap-tls`: implicit TLS on the IMAP port. */
  imapTls: boolean;
  /** `--imap-auth`; null = `uiAuth`, or any login when that is null too. */
  imapAuth: Credential[] | null;
  // Storage and retention (docs/storage.md).
  /** `--storage`: the Maildir folder, absolute; null keeps mail in memory. */
  storage: string | null;
  /** `--max-age` in milliseconds; 0 = no age limit. */
  maxAgeMs: number;
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
