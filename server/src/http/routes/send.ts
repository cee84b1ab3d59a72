import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { ErrorSchema } from '@pigeonhole/shared/schemas/common';
import { SendBodySchema, SendResponseSchema } from '@pigeonhole/shared/schemas/send';
import { ingest } from '../../ingest';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { compose, ComposeError, MessageTooLargeError } from '../../mail/compose';
import { ApiError, apiError } from '../errors';

/** The user name of a basic `Authorization` header, as Mailpit records it for HTTP sends. */
function basicUser(header: string | undefined): string {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return '';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? '' : decoded.slice(0, colon);
}

/**
 * Mailpit answers every refusal of this route as JSON, `{"Error": "..."}` with 400
 * (`httpJSONError` in its `send.go`; `JSONErrorResponse` in its swagger), unlike its other routes.
 */
function jsonError(err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = err.statusCode ?? 500;
  if (status >= 500) req.log.error({ err }, 'request failed');
  else if (!(err instanceof ApiError)) req.log.info({ err: err.message, url: req.url }, 'bad request');
  return reply.code(status).send({ Error: status >= 500 ? 'Internal server error' : err.message });
}

/** Mailpit API v1 `POST /send`: builds a message from JSON and stores it as if received over SMTP. */
export const sendRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;

  app.route({
    ...endpoint('send', 'POST'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: 'Store a message built from JSON (attachments base64), as if received',
      body: SendBodySchema,
      response: { 200: SendResponseSchema, 400: ErrorSchema },
    },
    errorHandler: jsonError,
    handler: async (req) => {
      let composed;
      try {
        composed = await compose(req.body, config.maxMessageSize);
      } catch (err) {
        if (err instanceof MessageTooLargeError) {
          const { size, limit, before } = err;
          req.log.info({ size, limit, composed: !before }, 'send refused: larger than --max-message-size');
        }
        if (err instanceof ComposeError) throw apiError('SEND_REFUSED', err.message);
        throw err;
      }
      const id = await ingest(store, {
        raw: composed.raw,
        envelope: { mailFrom: composed.mailFrom, rcptTo: composed.rcptTo },
        session: {
          clientAddress: req.ip,
          helo: '',
          secure: req.protocol === 'https',
          tls: null,
          username: basicUser(req.headers.authorization),
          transcript: [],
        },
        created: new Date(),
      }, config.tagRules);
      return { ID: id };
    },
  });
};
