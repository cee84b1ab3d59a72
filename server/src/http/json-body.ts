import fp from 'fastify-plugin';

/**
 * JSON bodies as Go's decoder treats them in Mailpit: an empty body is no body (Mailpit's `DELETE
 * /api/v1/messages` with `Content-Type: application/json` and nothing else deletes all), where
 * fastify would answer 400. Everything else goes through fastify's own parser, with its
 * prototype-poisoning guards.
 */
export const jsonBodyPlugin = fp(
  async (app) => {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parse(req, text, done);
    });
  },
  { name: 'pigeonhole-json-body' },
);
