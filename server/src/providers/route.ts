import type { ProviderName } from '@pigeonhole/shared/schemas/providers';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors';
import { checkCredential, deliver, type Delivery } from './deliver';
import { ProviderFailure, type ProviderAnswer, type ProviderProfile } from './types';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set on a provider API route: `--ui-auth` does not apply (the provider's own auth does,
     * `--provider-api-key`), and the state-change guard takes the provider's body types; its
     * cross-site rule still applies.
     */
    provider?: ProviderName;
  }
}

/** Sends a provider's answer. */
export function sendAnswer(reply: FastifyReply, answer: ProviderAnswer): FastifyReply {
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  if (answer.text) return reply.type('text/plain; charset=utf-8').send(String(answer.body));
  if (answer.xml) return reply.type('text/xml; charset=utf-8').send(String(answer.body));
  return reply.type('application/json').send(JSON.stringify(answer.body));
}

/** Any error met on a provider route, as the failure the provider answers. */
export function toFailure(err: unknown): ProviderFailure {
  if (err instanceof ProviderFailure) return err;
  const e = err as FastifyError;
  // Refused at the HTTP layer, before any provider reads it: 413 whatever the provider's own word.
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ProviderFailure('too-large', 'Request body is too large', null, 413);
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e instanceof SyntaxError && e.statusCode === 400)) {
    return new ProviderFailure('bad-json', 'The request body is not valid JSON');
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new ProviderFailure('bad-json', 'The request body is empty');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ProviderFailure('validation', 'Unsupported Content-Type for this endpoint');
  }
  if (e.code === 'FST_ERR_VALIDATION') return new ProviderFailure('validation', e.message);
  if (err instanceof ApiError) return new ProviderFailure('forbidden', err.message, null, err.statusCode, true);
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ProviderFailure('validation', e.message, null, status);
  return new ProviderFailure('server-error', 'Internal server error');
}

/** What one provider endpoint does with a request: the messages it asks for and their answer. */
export type ProviderHandler = (req: FastifyRequest) => Promise<Delivery>;

/** The route options every provider endpoint shares, for `app.route({ ...endpoint(...), ...these })`. */
export function providerRoute(app: FastifyInstance, profile: ProviderProfile, handle: ProviderHandler) {
  const { store, config } = app.pigeonhole;
  return {
    config: { provider: profile.name },
    // Before the body is read: a refused key or a chaos answer costs no parsing.
    onRequest: async (req: FastifyRequest) => {
      checkCredential(profile, req, config.providerApiKey);
      const chaos = app.pigeonhole.chaos?.decideProvider(profile.name) ?? null;
      if (chaos !== null) {
        req.log.info({ provider: profile.name, status: chaos }, 'chaos: provider API answers an error');
        const kind = chaos === 429 ? 'rate-limit' : 'server-error';
        throw new ProviderFailure(
          kind,
          kind === 'rate-limit' ? 'Too many requests' : 'Internal server error',
          null,
          chaos,
        );
      }
    },
    errorHandler: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const failure = toFailure(err);
      // Chaos and the cross-site guard have logged already; anything else is logged here, once.
      if (!failure.logged) {
        if (failure.kind === 'server-error') req.log.error({ err, provider: profile.name }, 'provider request failed');
        else {
          req.log.info(
            { provider: profile.name, url: req.url.slice(0, 200), err: failure.message },
            'provider request refused',
          );
        }
      }
      const answer = profile.failure(failure);
      return sendAnswer(reply, { ...answer, status: failure.status ?? answer.status });
    },
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const startedAt = Date.now();
      const delivery = await handle(req);
      const ids = await deliver(store, config, profile, req, delivery, startedAt);
      req.log.debug({ provider: profile.name, ids }, 'provider API message stored');
      return sendAnswer(reply, delivery.answer);
    },
  };
}
