import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The policy for any HTML, SVG or XML the API serves without a policy of its own: a message part,
 * a view of message HTML. Mail is hostile (Mailpit's 2025 advisories were stored XSS through parts
 * served inline from the UI's origin), so no script runs, nothing submits, and `sandbox` gives the
 * document an opaque origin even when opened directly in a tab. Images, styles and fonts stay
 * allowed so that mail still looks like mail.
 */
export const MAIL_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  "object-src 'none'",
  'img-src * data: blob: cid:',
  "style-src * 'unsafe-inline'",
  'font-src * data:',
  'media-src * data: blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');

/** The policy for every other response (JSON, text, binaries): nothing may load, nothing may frame. */
export const API_CSP = "default-src 'none'; frame-ancestors 'self'; sandbox";

/**
 * Fetch Metadata destinations a cross-site request to the API may have: `fetch()` (a page that
 * `--api-cors` allows) and a top-level navigation (a link from a CI report). Anything else is a
 * subresource: an `<img src="/api/v1/search?...">` in mail (the preview frame and `/view/{ID}.html`
 * have an opaque origin, so their requests are cross-site) or on any web page. Browsers without
 * Fetch Metadata send no `Sec-Fetch-*` and pass; the mail views rewrite such URLs besides.
 */
const API_DESTINATIONS = new Set(['empty', 'document']);

const ACTIVE_CONTENT = /^\s*(text\/html|image\/svg|application\/xhtml|text\/xml|application\/xml|[^;]*\+xml)/i;

/**
 * Refuses cross-site subresource requests to `/api/` (see API_DESTINATIONS), and sets security
 * headers on every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: SAMEORIGIN` and a Content-Security-Policy with `frame-ancestors`.
 * A route that sets its own policy keeps it (the UI's in routes/web.ts, set in its own later hook);
 * one without `frame-ancestors` gets it appended.
 */
export const securityHeadersPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      if (!req.url.startsWith('/api/')) return;
      const dest = req.headers['sec-fetch-dest'];
      if (req.headers['sec-fetch-site'] !== 'cross-site' || dest === undefined || API_DESTINATIONS.has(String(dest))) {
        return;
      }
      req.log.info({ url: req.url, dest }, 'cross-site subresource request to the API refused');
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send('Forbidden: the API is not loaded as an image, style or other subresource of another site');
    });
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'SAMEORIGIN');
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string' && csp) {
        if (!/frame-ancestors/i.test(csp)) reply.header('content-security-policy', `${csp}; frame-ancestors 'self'`);
      } else {
        const type = String(reply.getHeader('content-type') ?? '');
        reply.header('content-security-policy', ACTIVE_CONTENT.test(type) ? MAIL_CSP : API_CSP);
      }
      return payload;
    });
  },
  { name: 'pigeonhole-security-headers' },
);
