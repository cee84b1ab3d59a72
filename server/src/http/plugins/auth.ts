import { createHash } from 'node:crypto';
import { Routes } from '@pigeonhole/shared/routes';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Credential } from '../../config';
import { BCRYPT_HASH, CredentialChecker } from '../../access/credentials';
import { apiError } from '../errors';

/** Health probes stay open so that Docker and Kubernetes can check a protected instance. */
const EXEMPT: ReadonlySet<string> = new Set([Routes.livez, Routes.readyz]);

/**
 * Authorization headers already verified, by digest. bcrypt costs tens of milliseconds a check in
 * pure JS (cost 10 is about 70 ms here), and the UI sends many requests; a failed check is never
 * cached, so guessing stays slow.
 */
const VERIFIED_CACHE = 256;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Checks HTTP basic credentials against `--ui-auth` users with the one credential rule
 * ({@link CredentialChecker}: plain or bcrypt, the same time for unknown names), caching successes.
 */
export class BasicAuthChecker {
  readonly #checker: CredentialChecker;
  readonly #verified = new Map<string, string>();

  constructor(credentials: Credential[]) {
    this.#checker = new CredentialChecker(credentials);
  }

  /** The user name when the `Authorization` header carries valid credentials, else null. */
  async check(header: string | undefined): Promise<string | null> {
    const match = /^Basic[ \t]+([A-Za-z0-9+/=]{1,1024})[ \t]*$/i.exec(header ?? '');
    if (!match) return null;
    const key = digest(match[1]!).toString('base64');
    const known = this.#verified.get(key);
    if (known !== undefined) return known;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const username = decoded.slice(0, colon);
    if (!(await this.#checker.verify(username, decoded.slice(colon + 1)))) return null;
    if (this.#verified.size >= VERIFIED_CACHE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(key, username);
    return username;
  }
}

/**
 * `--ui-auth` / `--ui-auth-file`: HTTP basic auth on every route (UI files, API, the WebSocket
 * upgrade) but `/livez`, `/readyz` and the provider API routes (providers/route.ts). Registered before the routes, app-wide (fastify-plugin).
 */
export const authPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const users = app.pigeonhole.config.uiAuth;
    if (!users) return;
    const checker = new BasicAuthChecker(users);
    app.addHook('onRequest', async (req, reply) => {
      if (EXEMPT.has(req.routeOptions.url ?? '')) return;
      // Provider API routes take the provider's own credentials (`--provider-api-key`), which an
      // SDK sends in place of ours: it cannot send both.
      if (req.routeOptions.config.provider) return;
      // A CORS preflight never carries credentials (Fetch standard); `--api-cors` answers it.
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) return;
      if ((await checker.check(req.headers.authorization)) !== null) return;
      // A browser's first request carries no credentials: only a wrong password is worth a log line.
      if (req.headers.authorization) req.log.info({ url: req.url, ip: req.ip }, 'HTTP authentication refused');
      reply.header('www-authenticate', 'Basic realm="Pigeonhole", charset="UTF-8"');
      throw apiError('UNAUTHORIZED');
    });
  },
  { name: 'pigeonhole-auth' },
);

/**
 * Headers that let the in-process typed client (`startPigeonhole().client`) through `--ui-auth`: the
 * first user with a plain password. With bcrypt hashes only, the caller passes its own headers.
 */
export function clientAuthHeaders(credentials: Credential[] | null): Record<string, string> {
  const user = credentials?.find((c) => !BCRYPT_HASH.test(c.password));
  if (!user) return {};
  return { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}` };
}
