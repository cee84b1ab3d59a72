import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { IdParamsSchema, LatestQuerySchema } from '@pigeonhole/shared/schemas/common';
import type { viewHtml as ViewHtml } from '../../mail/html-view';
import { resolveMessage } from '../api-context';
import { apiError } from '../errors';

const TAGS = ['Mailpit views'];

/**
 * The message HTML is hostile: served alone it must not run script in our origin, so it goes out
 * with a CSP that allows no script at all and sandboxes the document (what Mailpit's
 * `/view/{ID}.html` is for is front-end testing of the markup, not running it). Nothing may load
 * from `'self'`; `http:` still matches our own origin, which `mail/html-view.ts` takes care of.
 */
const HTML_VIEW_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  "object-src 'none'",
  'img-src data: blob: http: https:',
  "style-src 'unsafe-inline' http: https:",
  'font-src data: http: https:',
  'media-src data: blob: http: https:',
  "base-uri 'none'",
  "form-action 'none'",
  'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');

/** Mailpit's `/view/{ID}.html` and `/view/{ID}.txt` for front-end testing, and `/view/latest`. */
let viewHtmlModule: Promise<typeof ViewHtml> | undefined;

/**
 * The HTML rewriter, loaded on the first `/view/{ID}.html`: htmlparser2 and its entity tables are
 * about 9 MB of resident memory that a Pigeonhole nobody opens a view of never needs.
 */
function loadViewHtml(): Promise<typeof ViewHtml> {
  return (viewHtmlModule ??= import('../../mail/html-view').then((m) => m.viewHtml));
}

export const viewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;
  const { parser } = app.api;

  // Registered before `/view/:id.html` so `latest` without a suffix is this route.
  app.route({
    ...endpoint('viewLatest', 'GET'),
    schema: { tags: TAGS, summary: 'Redirects to the newest message in the web UI', querystring: LatestQuerySchema },
    handler: async (req, reply) => {
      const message = await resolveMessage(store, 'latest', req.query.query, req.query.tz);
      // Mailpit redirects to its UI's `/view/{ID}`; our UI opens a message at `/?id={ID}`.
      return reply.redirect(`/?id=${encodeURIComponent(message.id)}`, 302);
    },
  });

  app.route({
    ...endpoint('viewHtml', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'The HTML part as a page, cid: images inlined, nothing loading from Pigeonhole (404 without HTML)',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
    },
    handler: async (req, reply) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const parsed = await parser.parse(message);
      if (!parsed.html) throw apiError('NO_HTML');
      const viewHtml = await loadViewHtml();
      const html = viewHtml(parsed.html, parsed, { protocol: `${req.protocol}:`, host: req.host });
      return reply
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', HTML_VIEW_CSP)
        .header('X-Content-Type-Options', 'nosniff')
        .send(html);
    },
  });

  app.route({
    ...endpoint('viewText', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'The plain-text part',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
    },
    handler: async (req, reply) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const parsed = await parser.parse(message);
      return reply.type('text/plain; charset=utf-8').send(parsed.text);
    },
  });
};
