import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { IdParamsSchema, OkTextSchema } from '@pigeonhole/shared/schemas/common';
import { MailHogReleaseBodySchema, ReleaseBodySchema } from '@pigeonhole/shared/schemas/relay';
import type { FastifyInstance } from 'fastify';
import { parseAddress, RelayError, type Relay } from '../../relay/relay';
import type { MessageStore } from '../../store/store';
import type { StoredMessage } from '../../store/types';
import { ApiError, apiError } from '../errors';

function findMessage(store: MessageStore, id: string): StoredMessage {
  const message = id === 'latest' ? store.latest() : store.get(id);
  if (!message) throw apiError('MESSAGE_NOT_FOUND');
  return message;
}

/** Checks the addresses and sends; every failure becomes a 400 with a message that says why. */
async function release(relay: Relay, message: StoredMessage, to: readonly string[]): Promise<void> {
  const addresses: string[] = [];
  for (const text of to) {
    const address = parseAddress(text);
    if (!address) throw apiError('BAD_REQUEST', `Invalid email address: ${text}`);
    addresses.push(address);
  }
  const refused = relay.notAllowed(addresses);
  if (refused.length > 0) {
    const noun = refused.length === 1 ? 'Address does' : 'Addresses do';
    throw apiError('BAD_REQUEST', `Failed: ${noun} not match the allowlist: ${refused.join(', ')}`);
  }
  try {
    await relay.send(message, addresses, 'release');
  } catch (err) {
    if (err instanceof RelayError) throw apiError('RELAY_FAILED', `SMTP error: ${err.message}`);
    throw err;
  }
}

function relayOf(app: FastifyInstance): Relay {
  const relay = app.pigeonhole.relay;
  if (!relay) throw apiError('RELAY_NOT_CONFIGURED');
  return relay;
}

/** A header value cannot carry CR, LF or non-Latin-1 text. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 500);
}

/**
 * MailHog's release. The `mailhog` npm client sends the body without a Content-Type (Go does not care;
 * the app-wide state-change guard reads such a body as JSON, and refuses any other type with 415)
 * and JSON-parses any non-empty answer; MailHog answers a failure with a status and an empty body. So
 * does this route, with the reason in an `X-Pigeonhole-Error` header (and the log). A plugin of its own
 * so that this error handler covers this one route.
 */
export const mailhogReleaseRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler((err, req, reply) => {
    const status = err instanceof ApiError ? err.statusCode : ((err as { statusCode?: number }).statusCode ?? 500);
    req.log.info({ err: err instanceof Error ? err.message : String(err) }, 'MailHog release refused');
    return reply
      .code(status)
      .header('x-pigeonhole-error', headerSafe(err instanceof Error ? err.message : String(err)))
      .send();
  });

  app.route({
    ...endpoint('mailhogRelease', 'POST'),
    schema: {
      tags: ['MailHog API'],
      summary: 'Release a message (MailHog): only through the configured relay',
      params: IdParamsSchema,
      body: MailHogReleaseBodySchema,
    },
    handler: async (req, reply) => {
      const relay = relayOf(app);
      const { Host, Port, Email } = req.body;
      // MailHog connects wherever the request says. Pigeonhole does not: an API that sends mail to any
      // host would be an open relay. A request naming another server is refused, not redirected.
      if (Host && (Host !== relay.config.host || (Port !== undefined && Number(Port) !== relay.config.port))) {
        throw apiError(
          'BAD_REQUEST',
          `Pigeonhole releases only through its configured relay ${relay.address}, not ${Host}:${Port ?? ''}`,
        );
      }
      await release(relay, findMessage(app.pigeonhole.store, req.params.id), [Email]);
      return reply.code(200).send();
    },
  });
};

/**
 * Release: send a caught message on through the configured relay (`--smtp-relay-host`), unchanged but
 * for a `Received` header. Mailpit's `POST /api/v1/message/{ID}/release` `{ To: [...] }` answers `ok`;
 * MailHog's `POST /api/v1/messages/{id}/release` `{ Email, Host, Port }` answers 200 with no body.
 * A relay's refusal is a 400 carrying the relay's own reply. Nothing is retried.
 */
export const releaseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('messageRelease', 'POST'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: 'Release a message through the configured SMTP relay',
      params: IdParamsSchema,
      body: ReleaseBodySchema,
      response: { 200: OkTextSchema },
    },
    handler: async (req, reply) => {
      const relay = relayOf(app);
      await release(relay, findMessage(app.pigeonhole.store, req.params.id), req.body.To);
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });

  await app.register(mailhogReleaseRoute);
};
