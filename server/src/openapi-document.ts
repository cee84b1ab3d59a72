import swagger from '@fastify/swagger';
import { createFastify, pigeonholeApp } from './app';
import { DEFAULTS, resolveConfig } from './config';
import { VERSION } from './http/routes/info';
import { createLogger } from './logger';
import { MessageStore } from './store/store';

/**
 * Builds the OpenAPI document of every documented route: the app as it is served (default
 * options, an empty store), with @fastify/swagger registered first so that it sees each route and
 * its TypeBox schemas as they are added. Never listens. Run by `npm run build -w server`
 * (server/scripts/openapi.mjs), which writes the result to `dist/openapi.json`; the served app only
 * reads that file, so neither swagger nor a second app is ever loaded at run time.
 */
export async function openapiDocument(): Promise<Record<string, unknown>> {
  const config = resolveConfig({}, DEFAULTS);
  const logger = createLogger('silent');
  const store = new MessageStore({ maxMessages: config.max, maxBytes: config.maxBytes });
  const app = createFastify(config, logger);
  try {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Pigeonhole API',
          version: VERSION,
          description:
            "Mailpit's API v1 and MailHog's API v2, route for route, plus Pigeonhole's own routes (session, wait, mailboxes).",
        },
        tags: [{ name: 'Mailpit API v1' }, { name: 'Mailpit views' }, { name: 'MailHog API' }, { name: 'Pigeonhole' }],
      },
      hideUntagged: true,
    });
    await app.register(pigeonholeApp, { context: { config, store, ready: () => false } });
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
