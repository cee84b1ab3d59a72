import { isIPv6 } from 'node:net';
import { servedByDefault } from '@pigeonhole/shared/hosts';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { apiError } from '../errors';

/** A `Host` header (or an origin's authority) split into a lower-case name and an optional port. */
export interface HostName {
  /** Lower case, brackets kept on IPv6 (`[::1]`), a trailing dot dropped. */
  name: string;
  port: string;
}

/**
 * Splits `name[:port]` or `[v6][:port]`. Anything else (user info, paths, spaces, empty) is null: a
 * header that a URL parser would read as another host (`evil.example@127.0.0.1`) is never guessed at.
 */
export function parseHost(value: string | undefined): HostName | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/i.exec(value ?? '');
  if (!match) return null;
  const name = match[1]!.toLowerCase().replace(/(?<=.)\.$/, '');
  if (name.startsWith('[') && !isIPv6(name.slice(1, -1))) return null;
  return { name, port: match[2] ?? '' };
}

/**
 * Whether a host name may be served: one served by default (`servedByDefault`: an IP literal,
 * `localhost` or `*.localhost`, a single-label name), or an `--allowed-hosts` entry (`name`,
 * `*.domain` for any subdomain, `*` for any host at all).
 *
 * Why: DNS rebinding. A page on `evil.example` whose DNS record is switched to 127.0.0.1 becomes
 * same-origin with whatever listens there, and its requests carry `Host: evil.example`. Mailpit
 * closed the same hole with `--allowed-hosts` in v1.31.1.
 */
export function hostNameAllowed(name: string, allowed: readonly string[]): boolean {
  if (servedByDefault(name)) return true;
  for (const entry of allowed) {
    if (entry === '*' || entry === name) return true;
    if (entry.startsWith('*.') && name.endsWith(entry.slice(1))) return true;
  }
  return false;
}

/** Whether a raw `Host` header names a host this server serves. */
export function hostHeaderAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  const host = parseHost(header);
  return host !== null && hostNameAllowed(host.name, allowed);
}

/**
 * Refused host names already logged: one line per name, not per request. Bounded, so that a client
 * sending a new name each time cannot grow it; past the bound, one more line says logging stopped.
 */
const LOGGED_HOSTS_MAX = 256;

/**
 * `--allowed-hosts`: every request, WebSocket upgrade and static file included, is refused with 403
 * unless its `Host` passes {@link hostNameAllowed}. A request without `Host` (HTTP/1.0; HTTP/1.1
 * requires one and Node answers 400 without it) is refused too: no client Pigeonhole serves omits it,
 * and an unknown host cannot be judged. Registered app-wide before every other check.
 */
export const hostCheckPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const allowed = app.pigeonhole.config.allowedHosts;
    if (allowed.includes('*')) return;
    const logged = new Set<string>();
    app.addHook('onRequest', async (req) => {
      const header = req.headers.host;
      if (hostHeaderAllowed(header, allowed)) return;
      const name = (parseHost(header)?.name ?? header ?? '(none)').slice(0, 200);
      if (logged.size < LOGGED_HOSTS_MAX && !logged.has(name)) {
        logged.add(name);
        req.log.warn(
          { host: name, url: req.url.slice(0, 200), ip: req.ip },
          logged.size === LOGGED_HOSTS_MAX
            ? 'request for a host not in --allowed-hosts refused (further host names are not logged)'
            : 'request for a host not in --allowed-hosts refused (logged once per host name)',
        );
      }
      throw apiError(
        'FORBIDDEN',
        `Forbidden: host "${name}" is not served. Pigeonhole answers IP addresses, localhost, ` +
          'single-label names and the names given with --allowed-hosts (DNS-rebinding protection).',
      );
    });
  },
  { name: 'pigeonhole-host-check' },
);
