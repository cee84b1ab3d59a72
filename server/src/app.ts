import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawServerDefault,
} from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from './config';
import { ApiError } from './http/errors';
import { apiServicesPlugin } from './http/plugins/api-services';
import { bodyKeyCasePlugin } from './http/plugins/body-keys';
import { jsonBodyPlugin } from './http/plugins/json-body';
import { corsPlugin } from './http/plugins/cors';
import { validatorCompiler } from './http/validator';
import { websocketPlugin } from './http/plugins/websocket';
import { eventsRoutes } from './http/routes/events';
import { infoRoutes } from './http/routes/info';
import { mailboxesRoutes } from './http/routes/mailboxes';
import { mailhogRoutes } from './http/routes/mailhog';
import { messageRoutes } from './http/routes/message';
import { openapiRoutes } from './http/routes/openapi';
import { sendRoutes } from './http/routes/send';
import { tagsRoutes } from './http/routes/tags';
import { viewRoutes } from './http/routes/view';
import { waitRoutes } from './http/routes/wait';
import { chaosRoutes } from './http/routes/chaos';
import { metricsPlugin } from './metrics/routes';
import type { Metrics } from './metrics/metrics';
import { checksRoutes } from './http/routes/checks';
import { preflightRoutes } from './http/routes/preflight';
import { authRoutes } from './http/routes/auth';
import { mcpRoutes } from './http/routes/mcp';
import { providerRoutes } from './providers/routes';
import { authPlugin } from './http/plugins/auth';
import { bodyLimitsPlugin } from './http/plugins/body-limits';
import { httpServerOptions } from './http/plugins/http-server';
import { securityHeadersPlugin } from './http/plugins/security-headers';
import { shutdownPlugin } from './http/plugins/shutdown';
import { websocketOriginPlugin } from './http/plugins/websocket-origin';
import { hostCheckPlugin } from './http/plugins/host-check';
import { stateChangeGuardPlugin } from './http/plugins/state-change-guard';
import { connectionsPlugin } from './http/plugins/connections';
import { healthRoutes } from './http/routes/health';
import { messagesRoutes } from './http/routes/messages';
import { releaseRoutes } from './http/routes/release';
import { findWebRoot, webRoutes } from './http/routes/web';
import type { ChaosEngine } from './chaos/engine';
import type { Relay } from './relay/relay';
import type { MessageStore } from './store/store';

/** What every route can reach through `app.pigeonhole`. */
export interface AppContext {
  config: Config;
  store: MessageStore;
  /** True once SMTP and HTTP both listen. */
  ready: () => boolean;
  /** The chaos settings the SMTP server obeys; absent without `--enable-chaos`. */
  chaos?: ChaosEngine | null;
  /** The relay releases go through; absent without `--smtp-relay-host`. */
  relay?: Relay | null;
  /** Prometheus metrics; absent without `--metrics`. */
  metrics?: Metrics | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    pigeonhole: AppContext;
  }
}

/** The fastify app with TypeBox schemas as route types. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * The schema compilers, given to fastify as factories. fastify's types describe only its ajv
 * factories; at run time a factory is any function that returns a compiler.
 */
const compilersFactory = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
} as unknown as NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** HTTP request bodies larger than this are refused with 413 (a `POST /send` with attachments fits). */
const BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The fastify instance every app is built on: logger, limits, schema compilers. No routes; see
 * {@link pigeonholeApp}.
 */
export function createFastify(config: Config, logger: Logger): App {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !config.verbose }),
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 500 },
    ...httpServerOptions(config),
    // Set here rather than with setValidatorCompiler(), so that fastify never loads its defaults:
    // ajv (211 files) and fast-json-stringify. TypeBox validates (http/validator.ts); responses are
    // written with JSON.stringify, which writes a list page of 50 in well under a millisecond.
    schemaController: { compilersFactory },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * Pigeonhole as a fastify plugin: the context, the error handler, the cross-cutting plugins, every
 * route of the route table (`shared/src/routes.ts`) and the static UI. Not encapsulated, so all of it
 * sits at the root of the instance it is registered on. A plugin rather than a function of a fresh
 * instance so that a plugin which must see routes as they are added (@fastify/swagger, when
 * `npm run build` writes the OpenAPI document; the route-table test) can be registered first.
 */
export const pigeonholeApp = fp<{ context: AppContext }>(
  async (app, { context }) => {
    app.decorate('pigeonhole', context);

    app.setErrorHandler((err, req, reply) => {
      if (err instanceof ApiError) {
        return reply.code(err.statusCode).type('text/plain; charset=utf-8').send(err.message);
      }
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500) req.log.error({ err }, 'request failed');
      else req.log.info({ err: (err as Error).message, url: req.url }, 'bad request');
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send(status >= 500 ? 'Internal server error' : (err as Error).message);
    });

    await app.register(shutdownPlugin);
    await app.register(websocketPlugin);
    await app.register(securityHeadersPlugin);
    await app.register(hostCheckPlugin);
    await app.register(websocketOriginPlugin);
    await app.register(authPlugin);
    await app.register(stateChangeGuardPlugin);
    await app.register(connectionsPlugin);
    await app.register(bodyLimitsPlugin);
    await app.register(corsPlugin);
    await app.register(apiServicesPlugin);
    await app.register(bodyKeyCasePlugin);
    await app.register(jsonBodyPlugin);
    await app.register(openapiRoutes);
    await app.register(healthRoutes);
    await app.register(messagesRoutes);
    await app.register(messageRoutes);
    await app.register(viewRoutes);
    await app.register(tagsRoutes);
    await app.register(infoRoutes);
    await app.register(sendRoutes);
    await app.register(waitRoutes);
    await app.register(mailboxesRoutes);
    await app.register(mailhogRoutes);
    await app.register(eventsRoutes);
    await app.register(releaseRoutes);
    await app.register(chaosRoutes);
    await app.register(metricsPlugin);
    await app.register(checksRoutes);
    await app.register(preflightRoutes);
    await app.register(authRoutes);
    await app.register(mcpRoutes);
    await app.register(providerRoutes);
    await app.register(webRoutes(findWebRoot(context.config.webRoot)));
  },
  { name: 'pigeonhole-app' },
);

/**
 * Builds the fastify app: routes, error handler, static UI. Never listens; the entry point does, and
 * tests call `app.inject()`.
 */
export async function buildApp(context: AppContext, logger: Logger): Promise<App> {
  const app = createFastify(context.config, logger);
  await app.register(pigeonholeApp, { context });
  return app;
}
