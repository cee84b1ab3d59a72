import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Routes } from '@pigeonhole/shared/routes';
import { SendBodySchema, SendResponseSchema } from '@pigeonhole/shared/schemas/send';
import { ingest } from '../../ingest';
import { compose, ComposeError } from '../../mail/compose';
import { apiError } from '../errors';

/** The user name of a basic `Authorization` header, as Mailpit records it for HTTP sends. */
function basicUser(header: string | undefined): string {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return '';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? '' : decoded.slice(0, colon);
}

/** Mailpit API v1 `POST /send`: builds a message from JSON and stores it as if received over SMTP. */
export const sendRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;

  app.post(
    Routes.send,
    {
      schema: {
        tags: ['Mailpit API v1'],
        summary: 'Store a message built from JSON (attachments base64), as if received',
        body: SendBodySchema,
        response: { 200: SendResponseSchema },
      },
    },
    async (req) => {
      let composed;
      try {
        composed = await compose(req.body);
      } catch (err) {
        if (err instanceof ComposeError) throw apiError('SEND_REFUSED', err.message);
        throw err;
      }
      if (config.maxMessageSize > 0 && composed.raw.length > config.maxMessageSize) {
        throw apiError(
          'SEND_REFUSED',
          `message size ${composed.raw.length} exceeds the limit of ${config.maxMessageSize} bytes`,
        );
      }
      const id = ingest(store, {
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
      });
      return { ID: id };
    },
  );
};
