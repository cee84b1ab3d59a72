import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { partFileName } from '@pigeonhole/shared/part-name';
import { endpoint } from '@pigeonhole/shared/routes';
import { explainTranscript } from '@pigeonhole/shared/smtp-explain/explain';
import { IdParamsSchema, LatestQuerySchema, PartParamsSchema } from '@pigeonhole/shared/schemas/common';
import { HeadersSchema, MessageSchema, SessionSchema } from '@pigeonhole/shared/schemas/message';
import { inlineSafe, safeContentDisposition } from '../../mail/mime/content-disposition';
import { dsnJson } from '../../mail/delivery';
import { findPart, headersOf, toMessage } from '../../mail/message';
import { partContent } from '../../mail/parse';
import { securityOf } from '../../mail/secure/analyze';
import { thumbnail } from '../../mail/thumbnail';
import { resolveMessage } from '../api-context';
import { apiError } from '../errors';

const TAGS = ['Mailpit API v1'];

/** Types a browser would run as a page or script (HTML, SVG, XML, JavaScript), whatever the mail says. */
const ACTIVE = /(html|xml|svg|javascript|ecmascript)/i;

/**
 * Whether a part of this type must not go out with its own type: a browser opening the URL directly
 * (Content-Disposition is only advice) could run it in our origin.
 */
function activeContent(contentType: string): boolean {
  return ACTIVE.test(contentType.split(';')[0]!);
}

/** Mailpit API v1: one message, its headers, raw source, parts and thumbnails; and our session view. */
export const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;
  const { parser } = app.api;

  app.route({
    ...endpoint('message', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'The full message; marks it read, as Mailpit does',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: MessageSchema },
    },
    handler: async (req) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const [parsed, security] = await Promise.all([parser.parse(message), securityOf(store, message)]);
      store.setRead([message.id], true);
      const json = toMessage(message, parsed);
      return security ? { ...json, Security: security } : json;
    },
  });

  app.route({
    ...endpoint('messageHeaders', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'Every header by name (Go canonical case, sorted), raw values in order',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: HeadersSchema },
    },
    handler: async (req) =>
      (await resolveMessage(store, req.params.id, req.query.query, req.query.tz)).withRaw(headersOf),
  });

  app.route({
    ...endpoint('messageRaw', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'The exact bytes as received',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
    },
    handler: async (req, reply) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      return reply.type('text/plain; charset=utf-8').send(message.keepRaw());
    },
  });

  /**
   * An attachment or inline part of a message, parsed on demand (cached), or an error: 404 for an
   * unknown part, except for thumbnails, where Mailpit's swagger (and Mailpit) answer 400.
   */
  async function partOf(id: string, partId: string, missing: 'PART_NOT_FOUND' | 'THUMB_PART_NOT_FOUND') {
    const part = findPart(await parser.parse(await resolveMessage(store, id)), partId);
    if (!part) throw apiError(missing);
    return part;
  }

  app.route({
    ...endpoint('messagePart', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'The decoded bytes of an attachment or inline part',
      params: PartParamsSchema,
    },
    handler: async (req, reply) => {
      const part = await partOf(req.params.id, req.params.partId, 'PART_NOT_FOUND');
      // Mailpit serves the type the message JSON lists (a zip is `application/zip`), and so do we;
      // only types a browser could run as a page (HTML, SVG, XML, script) go out as bytes, and
      // everything not inline-safe downloads, whatever the mail says.
      const inline = inlineSafe(part.ContentType);
      return reply
        .type(activeContent(part.ContentType) ? 'application/octet-stream' : part.ContentType)
        .header('Content-Disposition', safeContentDisposition(inline ? 'inline' : 'attachment', partFileName(part)))
        .header('X-Content-Type-Options', 'nosniff')
        .send(partContent(part));
    },
  });

  app.route({
    ...endpoint('messagePartThumb', 'GET'),
    schema: {
      tags: TAGS,
      summary: 'A 180x120 JPEG thumbnail of an image part (blank for other parts)',
      params: PartParamsSchema,
    },
    handler: async (req, reply) => {
      const part = await partOf(req.params.id, req.params.partId, 'THUMB_PART_NOT_FOUND');
      const jpeg = await thumbnail(partContent(part), part.ContentType);
      return reply.type('image/jpeg').header('Cache-Control', 'private, max-age=3600').send(jpeg);
    },
  });

  app.route({
    ...endpoint('messageSession', 'GET'),
    schema: {
      tags: ['Pigeonhole'],
      summary: 'How the message arrived: client, HELO, TLS, AUTH user, envelope and transcript',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: SessionSchema },
    },
    handler: async (req) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      const session = message.session;
      const notes = explainTranscript(session.transcript);
      return {
        ClientAddress: session.clientAddress,
        Helo: session.helo,
        Secure: session.secure,
        TLS: session.tls ? { Protocol: session.tls.protocol, Cipher: session.tls.cipher } : null,
        Username: session.username,
        Via: session.via ?? 'smtp',
        MailFrom: message.envelope.mailFrom,
        RcptTo: message.envelope.rcptTo,
        DSN: dsnJson(message.envelope),
        Transcript: session.transcript.map((line, i) => ({
          At: new Date(line.at).toISOString(),
          Direction: line.direction,
          Line: line.line,
          Explain: (notes[i] ?? []).map((n) => ({ Term: n.term, Text: n.text, RFC: n.rfc, URL: n.url })),
        })),
      };
    },
  });
};
