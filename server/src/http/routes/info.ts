import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { InfoSchema, WebUiConfigSchema } from '@pigeonhole/shared/schemas/info';
import packageJson from '../../../package.json' with { type: 'json' };

const TAGS = ['Mailpit API v1'];

/** The version every API answer and the `stats` event report. */
export const VERSION: string = packageJson.version;

/** Mailpit API v1: `/info` (version, totals, runtime figures) and `/webui` (what the UI offers). */
export const infoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;
  const { runtime } = app.api;

  app.route({
    ...endpoint('info', 'GET'),
    schema: { tags: TAGS, summary: 'Version, totals, tags and runtime figures', response: { 200: InfoSchema } },
    handler: async () => {
      const tags = Object.fromEntries(store.tagCounts);
      return {
        Version: VERSION,
        // Pigeonhole never calls home, so there is no "latest version" to report.
        LatestVersion: '',
        Database: '',
        DatabaseSize: store.bytes,
        Messages: store.count,
        Unread: store.unread,
        Tags: tags,
        RuntimeStats: {
          Uptime: Math.floor((Date.now() - runtime.startedAt) / 1000),
          Memory: process.memoryUsage.rss(),
          MessagesDeleted: runtime.deleted,
          SMTPAccepted: runtime.accepted,
          SMTPAcceptedSize: runtime.acceptedBytes,
          SMTPRejected: 0,
          SMTPIgnored: 0,
        },
      };
    },
  });

  app.route({
    ...endpoint('webui', 'GET'),
    schema: { tags: TAGS, summary: 'What the web UI should offer', response: { 200: WebUiConfigSchema } },
    handler: async () => {
      const relay = app.pigeonhole.relay ?? null;
      return {
        Label: '',
        MessageRelay: {
          Enabled: relay !== null,
          SMTPServer: config.smtpRelay ? `${config.smtpRelay.host}:${config.smtpRelay.port}` : '',
          ReturnPath: '',
          AllowedRecipients: config.smtpRelay?.allowedRecipients?.source ?? '',
          BlockedRecipients: '',
          OverrideFrom: '',
          PreserveMessageIDs: true,
          RecipientAllowlist: config.smtpRelay?.allowedRecipients?.source ?? '',
        },
        // True with --spamassassin or --rspamd: the UI then offers the spam check, as Mailpit's does.
        SpamAssassin: app.api.spam.enabled,
        ChaosEnabled: Boolean(app.pigeonhole.chaos),
        DuplicatesIgnored: false,
        HideDeleteAllButton: false,
      };
    },
  });
};
