// The HTTP side's settings: who may use UI and API (basic auth, HTTPS), the guard against hostile
// hosts and sockets (allowed hosts, timeouts, connection cap), and the streamed answers' write timeout.
import type { Config, PigeonholeOptions } from './types';
import { ConfigError, parseCount, parseCredentials, parseDuration, readText, type Credential } from './values';

/** `--http-write-timeout`: at least 100 ms, so that a client on a busy machine is not cut off at once. */
export function parseWriteTimeout(value: number | string | undefined): number {
  const ms = parseDuration(value ?? 30_000, 'http-write-timeout');
  if (ms < 100) throw new ConfigError('--http-write-timeout: must be at least 100ms');
  return ms;
}

/** `--ui-auth`, `--ui-auth-file`, `--ui-tls-cert` and `--ui-tls-key`. */
export function parseUiAccess(options: PigeonholeOptions): Pick<Config, 'uiAuth' | 'uiTls'> {
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
      throw new ConfigError(
        `--${option}: expected host names like mail.dev.example, *.dev.example or *, got "${entry}"`,
      );
    });
}

/** `--allowed-hosts`, the HTTP timeouts and `--http-max-connections`. */
export function parseHttpGuard(
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
    throw new ConfigError(
      `--http-header-timeout (${header} ms) must not exceed --http-request-timeout (${request} ms)`,
    );
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
