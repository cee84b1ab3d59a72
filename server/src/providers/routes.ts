import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ProviderName } from '@pigeonhole/shared/schemas/providers';
import { mailgunRoutes } from './mailgun';
import { postmarkRoutes } from './postmark';
import { resendRoutes } from './resend';
import { sendgridRoutes } from './sendgrid';
import { sesV1Routes } from './ses-v1';
import { sesV2Routes } from './ses-v2';

/** Each provider's routes, registered encapsulated, so that one provider's body parsers stay its own. */
const PROVIDERS: Readonly<Record<ProviderName, FastifyPluginAsyncTypebox[]>> = {
  sendgrid: [sendgridRoutes],
  mailgun: [mailgunRoutes],
  postmark: [postmarkRoutes],
  resend: [resendRoutes],
  // Both of SES's APIs: v2 (REST JSON) and the v1 Query API (form fields at `/`).
  ses: [sesV2Routes, sesV1Routes],
};

/** The provider HTTP APIs that `--provider-apis` turns on (all by default). */
export const providerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const name of app.pigeonhole.config.providerApis) {
    for (const routes of PROVIDERS[name]) await app.register(routes);
  }
};
