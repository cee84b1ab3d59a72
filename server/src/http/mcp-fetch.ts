// A `fetch` that answers through the fastify app itself (`app.inject`), for the typed client the
// MCP tools use in-process: the same routes, hooks and limits as over the network, and no socket.
import type { FastifyInstance } from 'fastify';

/** Statuses whose answer has no body (the Fetch standard refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

/** Request headers as a plain object. */
function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (out[name] = value));
  return out;
}

/**
 * A fetch over `app.inject()`. Only paths of this app are asked for (the client's base URL is
 * empty), so no request can leave the process. An aborted signal rejects at once; the injected
 * request still runs to its own bound (a wait ends at its timeout).
 */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const target = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const payload = typeof init?.body === 'string' ? init.body : undefined;
    const injected = app.inject({
      method: method as 'GET',
      url: `${target.pathname}${target.search}`,
      headers: headersOf(init),
      ...(payload === undefined ? {} : { payload }),
    });
    const res = await (signal
      ? Promise.race([
          injected,
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
          ),
        ])
      : injected);
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    const body = NO_BODY.has(res.statusCode) || method === 'HEAD' ? null : new Uint8Array(res.rawPayload);
    return new Response(body, { status: res.statusCode, headers });
  };
}
