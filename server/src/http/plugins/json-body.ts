import type { FastifyBodyParser } from 'fastify';
import fp from 'fastify-plugin';

/** `application/...+json` types (`application/merge-patch+json`), read as JSON too. */
const SUFFIXED_JSON = /^application\/[a-z0-9!#$&^_.-]+\+json$/i;

/**
 * JSON bodies as Go's decoder treats them in Mailpit: an empty body is no body (Mailpit's `DELETE
 * /api/v1/messages` with `Content-Type: application/json` and nothing else deletes all), where
 * fastify would answer 400. Everything else goes through fastify's own parser, with its
 * prototype-poisoning guards. No other type is parsed: state changes take JSON only
 * (plugins/state-change-guard.ts), which also reads a body sent without a type as JSON.
 */
export const jsonBodyPlugin = fp(
  async (app) => {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    const parseJson: FastifyBodyParser<string> = (req, body, done) => {
      const text = String(body);
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parse(req, text, done);
    };
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
    app.addContentTypeParser(SUFFIXED_JSON, { parseAs: 'string' }, parseJson);
  },
  { name: 'pigeonhole-json-body' },
);
