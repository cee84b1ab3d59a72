import { createServer } from 'node:https';
import type { FastifyServerFactory } from 'fastify';
import type { Config } from '../../config';

/**
 * `--ui-tls-cert/--ui-tls-key`: fastify options that serve the same app (UI, API, WebSocket
 * upgrades) over HTTPS; none for plain HTTP. A server factory keeps the app's type one type either
 * way; an `https.Server` answers every call fastify makes on an `http.Server`.
 */
export function httpsOptions(config: Config): { serverFactory?: FastifyServerFactory } {
  const tls = config.uiTls;
  if (!tls) return {};
  return {
    serverFactory: (handler) => createServer({ cert: tls.cert, key: tls.key }, handler),
  };
}
