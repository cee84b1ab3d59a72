import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { corsAllows, sameOrigin, type OriginPolicy } from './cors';
import { apiError } from '../errors';

/** Methods that change state. Every route with one of them is guarded, whenever it is added. */
const STATE_CHANGING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `application/json` or any `application/...+json`, with or without parameters (`; charset=utf-8`). */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json[ \t]*(?:;|$)/i;

/** Whether a `Content-Type` header names JSON. */
export function isJsonContentType(value: string): boolean {
  return JSON_MEDIA_TYPE.test(value);
}

/** `Sec-Fetch-Site` values of a request a page of this origin made, or a user typed (`none`). */
const OWN_SITE: ReadonlySet<string> = new Set(['same-origin', 'none']);

/** Why a state change is refused as cross-site, or null when it may go on. */
export function crossSiteReason(req: FastifyRequest, policy: OriginPolicy): string | null {
  const origin = req.headers.origin;
  if (corsAllows(origin, policy)) return null;
  if (origin !== undefined && !sameOrigin(req, origin, policy)) return `Origin ${origin.slice(0, 200)}`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && !OWN_SITE.has(site)) return `Sec-Fetch-Site: ${site.slice(0, 50)}`;
  return null;
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Cross-site request forgery. A page on any site can make the browser send a "simple" POST (a form,
 * or `fetch` with `mode: 'no-cors'`) with a form or text body and no preflight, and the browser
 * attaches cached basic-auth credentials; such a request to the release route relayed the newest
 * caught mail to the attacker. So every state change (POST, PUT, PATCH, DELETE, on any route,
 * whenever added):
 *
 * - is refused with 403 when its `Origin` is not this server's own (an allowed host, and the request's
 *   `Host`, cors.ts) or its `Sec-Fetch-Site` is anything but `same-origin` or `none`, unless
 *   `--api-cors` names that origin;
 * - takes JSON only: another `Content-Type` is 415, which a page cannot send cross-site without a
 *   preflight (that `--api-cors` alone answers). A body without one is read as JSON, as Go's decoder
 *   does in Mailpit and MailHog (the `mailhog` npm client's release sends none). A page can send a
 *   typeless body (a Blob or an ArrayBuffer), but a browser always sends `Origin` with a cross-origin
 *   POST, PUT or DELETE, and the origin rule above refuses it.
 *
 * Registered app-wide after authentication, before body parsing.
 */
export const stateChangeGuardPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { config } = app.pigeonhole;
    app.addHook('onRequest', async (req) => {
      if (!STATE_CHANGING.has(req.method)) return;
      const reason = crossSiteReason(req, config);
      if (reason !== null) {
        req.log.info({ url: req.url.slice(0, 200), reason }, 'cross-site state change refused');
        throw apiError(
          'FORBIDDEN',
          `Forbidden: a cross-site request (${reason}) may not change state. ` +
            'Allow a trusted origin with --api-cors.',
        );
      }
      const type = req.headers['content-type'];
      if (type === undefined) {
        // fastify would skip a DELETE's body without a type; read as JSON, its IDs are not ignored.
        if (hasBody(req)) req.raw.headers['content-type'] = 'application/json';
        return;
      }
      if (isJsonContentType(type)) return;
      // A provider API route takes the provider's body types (Mailgun's multipart form, SES's
      // Query API form); the cross-site rule above is what keeps a page's form post out.
      if (req.routeOptions.config.provider) return;
      req.log.info({ url: req.url.slice(0, 200), contentType: type.slice(0, 100) }, 'non-JSON state change refused');
      throw apiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Unsupported media type ${type.slice(0, 100)}: requests that change state take application/json`,
      );
    });
  },
  { name: 'pigeonhole-state-change-guard' },
);
