import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
// Types only, erased from the bundle: the `tags`, `summary` and `hide` of every route's schema are
// @fastify/swagger's fields (its augmentation of FastifySchema). The package itself runs only at build.
import type {} from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

/** The file `npm run build -w server` writes (server/scripts/openapi.mjs) and these routes serve. */
export const OPENAPI_FILE = 'openapi.json';

/**
 * Where the document is: beside the bundled server (`dist/`, the entries and chunks alike), or, when
 * running from source in tests, in `server/dist/` (written by the last `npm run build`).
 */
const CANDIDATES = [`./${OPENAPI_FILE}`, `../../../dist/${OPENAPI_FILE}`].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

/** Said with the 404 when no build has written the document, e.g. when running from source. */
const NOT_BUILT = `OpenAPI document not built: \`npm run build -w server\` writes server/dist/${OPENAPI_FILE}`;

/** The document's bytes, read once per process on first request; null when no build wrote it. */
let document: Promise<Buffer | null> | null = null;

async function readDocument(log: FastifyBaseLogger): Promise<Buffer | null> {
  for (const path of CANDIDATES) {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  log.warn({ looked: CANDIDATES }, NOT_BUILT);
  return null;
}

/**
 * The OpenAPI document of the API, made at build time from every route's TypeBox schemas (see
 * `server/src/openapi-document.ts`) and served as a static file at `/api/v1/openapi.json` and, as
 * Mailpit serves its own, `/api/v1/swagger.json`. Without a build the answer is a 404 that says so.
 */
export const openapiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const handler = async (_req: FastifyRequest, reply: FastifyReply) => {
    document ??= readDocument(app.log).catch((err: unknown) => {
      document = null;
      throw err;
    });
    const bytes = await document;
    if (!bytes) return reply.code(404).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.type('application/json; charset=utf-8').send(bytes);
  };
  app.route({ ...endpoint('openapi', 'GET'), schema: { hide: true }, handler });
  app.route({ ...endpoint('swagger', 'GET'), schema: { hide: true }, handler });
};
