import { createHash, timingSafeEqual } from 'node:crypto';
import { Routes } from '@pigeonhole/shared/routes';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Credential } from '../../config';
import { apiError } from '../errors';

/** A bcrypt hash as htpasswd -B and every bcrypt library write it (`$2a$`, `$2b$`, `$2y$`). */
const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

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
 * Checks HTTP basic credentials against `--ui-auth` users, each with a plain password or a bcrypt
 * hash. Plain passwords are compared in constant time, over every user, so neither timing nor the
 * answer tells which part was wrong.
 */
export class BasicAuthChecker {
  readonly #users: { username: Buffer; plain: Buffer | null; hash: string | null }[];
  readonly #verified = new Map<string, string>();

  constructor(credentials: Credential[]) {
    this.#users = credentials.map(({ username, password }) => ({
      username: digest(username),
      plain: BCRYPT_HASH.test(password) ? null : digest(password),
      hash: BCRYPT_HASH.test(password) ? password : null,
    }));
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
    const password = decoded.slice(colon + 1);
    const name = digest(username);
    const pass = digest(password);
    let ok = false;
    for (const user of this.#users) {
      const sameName = timingSafeEqual(user.username, name);
      if (user.plain) ok = timingSafeEqual(user.plain, pass) && sameName ? true : ok;
      // A hash bcryptjs cannot read ($2x$, say) is a refusal, never a 500.
      else if (sameName && user.hash) ok = (await compareHash(password, user.hash)) || ok;
    }
    if (!ok) return null;
    if (this.#verified.size >= VERIFIED_CACHE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(key, username);
    return username;
  }
}

/**
 * `--ui-auth` / `--ui-auth-file`: HTTP basic auth on every route (UI files, API, the WebSocket
 * upgrade) but `/livez` and `/readyz`. Registered before the routes, app-wide (fastify-plugin).
 */
export const authPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const users = app.pigeonhole.config.uiAuth;
    if (!users) return;
    const checker = new BasicAuthChecker(users);
    app.addHook('onRequest', async (req, reply) => {
      if (EXEMPT.has(req.routeOptions.url ?? '')) return;
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

/** bcryptjs, loaded the first time a hash is checked (only `--ui-auth` files with hashes need it). */
async function compareHash(password: string, hash: string): Promise<boolean> {
  const { default: bcrypt } = await import('bcryptjs');
  return bcrypt.compare(password, hash).catch(() => false);
}
