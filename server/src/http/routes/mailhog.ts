import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdParamsSchema } from '@pigeonhole/shared/schemas/common';
import {
  MAILHOG_MAX_PAGE_LIMIT,
  MailHogPageQuerySchema,
  MailHogSearchQuerySchema,
} from '@pigeonhole/shared/schemas/mailhog';
import { safeContentDisposition } from '../../mail/mime/content-disposition';
import { mailhogListJson } from '../../mail/mailhog-json';
import type { StoredMessage } from '../../store/types';
import type { WorkCounter } from '../../search/match';
import { recordHas } from '../../store/search-record';
import { scan } from '../../search/search';
import { searchError } from '../api-context';
import { apiError } from '../errors';
import { sendStreamed } from '../streamed';

const TAGS = ['MailHog API'];

/** MailHog itself says `text/json`; the standard type is kept, and MailHog's clients parse either. */
const LIST_TYPE = 'application/json; charset=utf-8';

/** `limit` as MailHog reads it: 50 when absent, at most {@link MAILHOG_MAX_PAGE_LIMIT}. */
function pageLimit(limit: number | undefined): number {
  return Math.min(limit ?? 50, MAILHOG_MAX_PAGE_LIMIT);
}

/**
 * MailHog's `kind` search (`storage/memory.go`): case-insensitive substring of the sender, of a
 * recipient, or of the whole message (`containing`).
 */
function mailhogMatch(
  kind: 'from' | 'to' | 'containing',
  query: string,
  work: WorkCounter,
): (m: StoredMessage) => boolean {
  const q = query.toLowerCase();
  if (kind === 'from') return (m) => m.envelope.mailFrom.toLowerCase().includes(q) || m.record.from.includes(q);
  if (kind === 'to') {
    return (m) => m.envelope.rcptTo.some((r) => r.toLowerCase().includes(q)) || m.record.addressed.includes(q);
  }
  return (m) => {
    if (recordHas(m.record, m.searchSnippet, q)) return true;
    work.decodes++;
    return m.withRaw((raw) => raw.toString('utf8').toLowerCase().includes(q));
  };
}

/**
 * MailHog API v2 (list, search) and the v1 routes its clients call (delete one, download). The
 * answers to deletes are empty: the `mailhog` npm client JSON-parses any non-empty body.
 */
export const mailhogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;
  // Each item carries its whole message about three times: the list is written item by item, a
  // slice of a body at a time, only as fast as the client reads.
  const list = (req: FastifyRequest, reply: FastifyReply, page: StoredMessage[], total: number, start: number) =>
    sendStreamed(req, reply, mailhogListJson(page, total, start), LIST_TYPE, config.httpWriteTimeoutMs);

  app.route({
    ...endpoint('mailhogMessages', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'List messages, newest first, MailHog shape',
      querystring: MailHogPageQuerySchema,
    },
    handler: async (req, reply) => {
      const start = req.query.start ?? 0;
      return list(req, reply, store.page(start, pageLimit(req.query.limit)), store.count, start);
    },
  });

  app.route({
    ...endpoint('mailhogSearch', 'GET'),
    schema: { tags: TAGS, summary: 'Search by kind: from, to or containing', querystring: MailHogSearchQuerySchema },
    handler: async (req, reply) => {
      const start = req.query.start ?? 0;
      const limit = pageLimit(req.query.limit);
      const work = { decodes: 0 };
      const test = mailhogMatch(req.query.kind, req.query.query, work);
      const page: StoredMessage[] = [];
      let total = 0;
      try {
        await scan(
          store,
          test,
          (message) => {
            if (total >= start && page.length < limit) page.push(message);
            total++;
          },
          undefined,
          work,
        );
      } catch (err) {
        throw searchError(err, req.log);
      }
      return list(req, reply, page, total, start);
    },
  });

  app.route({
    ...endpoint('mailhogMessage', 'DELETE'),
    schema: { tags: TAGS, summary: 'Delete one message (empty answer)', params: IdParamsSchema },
    handler: async (req, reply) => {
      if (!store.get(req.params.id)) throw apiError('MESSAGE_NOT_FOUND');
      store.delete([req.params.id]);
      return reply.code(200).send();
    },
  });

  app.route({
    ...endpoint('mailhogDownload', 'GET'),
    schema: { tags: TAGS, summary: 'Download the raw message as .eml', params: IdParamsSchema },
    handler: async (req, reply) => {
      const message = store.get(req.params.id);
      if (!message) throw apiError('MESSAGE_NOT_FOUND');
      return reply
        .type('message/rfc822')
        .header('Content-Disposition', safeContentDisposition('attachment', `${message.id}.eml`))
        .send(message.keepRaw());
    },
  });
};
