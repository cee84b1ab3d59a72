import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { IdParamsSchema, LatestQuerySchema } from '@pigeonhole/shared/schemas/common';
import {
  HtmlCheckSchema,
  LinkCheckQuerySchema,
  LinkCheckSchema,
  SpamCheckSchema,
} from '@pigeonhole/shared/schemas/checks';
import type { htmlCheck as HtmlCheck } from '../../checks/html/check';
import { CacheKind } from '../../store/message-cache';
import { resolveMessage } from '../api-context';
import { apiError } from '../errors';

const TAGS = ['Mailpit API v1'];

/** HTML checks kept per message: the scan is a few milliseconds, the answer up to a few hundred KB. */
const HTML_CHECKS = new CacheKind<{ check: Awaited<ReturnType<typeof HtmlCheck>>; bytes: number }>(
  'html-check',
  { maxEntries: 200, maxBytes: 16 * 1024 * 1024 },
  (k) => k.bytes,
);

let htmlCheckModule: Promise<typeof HtmlCheck> | undefined;

/** The HTML check with postcss and its matchers, loaded on the first check (the data on first use). */
function loadHtmlCheck(): Promise<typeof HtmlCheck> {
  return (htmlCheckModule ??= import('../../checks/html/check').then((m) => m.htmlCheck));
}

/** Mailpit API v1's checks of one message: HTML compatibility, links and spam. */
export const checksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;
  const { parser, links, spam } = app.api;

  app.route({
    ...endpoint('messageHtmlCheck', 'GET'),
    schema: {
      tags: TAGS,
      summary: "HTML compatibility of the message's HTML part across mail clients (caniemail's data)",
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: HtmlCheckSchema },
    },
    handler: async (req) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const cache = store.cache(HTML_CHECKS);
      const kept = cache.get(message.id);
      if (kept) return kept.check;
      const parsed = await parser.parse(message);
      if (!parsed.html) throw apiError('NO_HTML');
      const check = await (await loadHtmlCheck())(parsed.html);
      if (store.get(message.id)) cache.remember(message.id, { check, bytes: JSON.stringify(check).length * 2 });
      return check;
    },
  });

  app.route({
    ...endpoint('messageLinkCheck', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'HTTP status of every link and image of the message (follow=true follows redirects)',
      params: IdParamsSchema,
      querystring: LinkCheckQuerySchema,
      response: { 200: LinkCheckSchema },
    },
    handler: async (req) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const parsed = await parser.parse(message);
      const follow = req.query.follow === true || req.query.follow === 'true';
      return links.check(message.id, parsed.html ?? '', parsed.text ?? '', follow);
    },
  });

  app.route({
    ...endpoint('messageSpamCheck', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'Spam score and rules from SpamAssassin (--spamassassin) or rspamd (--rspamd)',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: SpamCheckSchema },
    },
    handler: async (req) => {
      if (!spam.enabled) throw apiError('SPAM_CHECK_DISABLED');
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const result = await spam.check(message);
      if (result.Error) req.log.warn({ id: message.id, error: result.Error }, 'spam check failed');
      return result;
    },
  });
};
