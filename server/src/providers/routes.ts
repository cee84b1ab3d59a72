import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ProviderName } from '@pigeonhole/shared/schemas/providers';
import { mailgunRoutes } from './mailgun';
import { postmarkRoutes } from './postmark';
import { resendRoutes } from './resend';
import { sendgridRoutes } from './sendgrid';

/** Each provider's routes, registered encapsulated, so that one provider's body parsers stay its own. */
const PROVIDERS: Readonly<Record<ProviderName, FastifyPluginAsyncTypebox | null>> = {
  sendgrid: sendgridRoutes,
  mailgun: mailgunRoutes,
  postmark: postmarkRoutes,
  resend: resendRoutes,
  ses: null,
};

/** The provider HTTP APIs that `--provider-apis` turns on (all by default). */
export const providerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const name of app.pigeonhole.config.providerApis) {
    const routes = PROVIDERS[name];
    if (routes) await app.register(routes);
  }
};
