import { createServer as createHttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FastifyServerFactory } from 'fastify';
import type { Config } from '../../config';

/**
 * How often Node looks for requests past their header or request timeout. Node's default is 30 s,
 * which would let a 10 s header timeout hold a socket for 40 s; a sweep over the open connections
 * costs microseconds, so the check runs at a quarter of the shorter timeout, at most once a second.
 */
function checkingInterval(config: Config): number {
  const limits = [config.httpHeaderTimeoutMs, config.httpRequestTimeoutMs].filter((ms) => ms > 0);
  if (limits.length === 0) return 30_000;
  return Math.min(1000, Math.max(25, Math.floor(Math.min(...limits) / 4)));
}

/** The Node HTTP server options of `--http-header-timeout`, `--http-request-timeout` and `--http-idle-timeout`. */
export function nodeServerOptions(config: Config): ServerOptions {
  return {
    // Time to receive the request line and headers: a silent socket or a header drip is answered 408
    // and closed. fastify leaves Node's default (60 s, checked every 30 s).
    headersTimeout: config.httpHeaderTimeoutMs,
    // Time to receive the whole request, body included: a body drip is cut. It ends when the request
    // is received, so long-poll answers (/api/v1/wait) and upgraded WebSockets are not cut by it.
    // fastify's default is 0, no limit.
    requestTimeout: config.httpRequestTimeoutMs,
    keepAliveTimeout: config.httpIdleTimeoutMs,
    connectionsCheckingInterval: checkingInterval(config),
  };
}

/**
 * The fastify server factory: plain HTTP, or HTTPS with `--ui-tls-cert/--ui-tls-key` (same app, UI,
 * API and WebSocket upgrades alike), each with the HTTP timeouts. A factory keeps the app's type one
 * type either way; an `https.Server` answers every call fastify makes on an `http.Server`.
 */
export function httpServerOptions(config: Config): { serverFactory: FastifyServerFactory } {
  const options = nodeServerOptions(config);
  const tls = config.uiTls;
  return {
    serverFactory: (handler) => {
      const server = tls
        ? // A TLS handshake that never finishes gets the header timeout too (Node's default is 120 s).
          createHttpsServer(
            { ...options, cert: tls.cert, key: tls.key, handshakeTimeout: config.httpHeaderTimeoutMs || 120_000 },
            handler,
          )
        : createHttpServer(options, handler);
      // Also as the property Node documents for it, in case a Node release ignores the option.
      server.keepAliveTimeout = config.httpIdleTimeoutMs;
      return server;
    },
  };
}
