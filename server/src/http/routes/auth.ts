import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { AuthCheckSchema, DNS_LIMITS, DnsRecordsSchema } from '@pigeonhole/shared/schemas/auth';
import { IdParamsSchema, LatestQuerySchema } from '@pigeonhole/shared/schemas/common';
import { DnsRecordsError, validateRecords } from '../../auth/dns-records';
import { resolveMessage } from '../api-context';
import { apiError } from '../errors';

/**
 * Ours: `GET /api/v1/message/{ID}/auth-check` verifies DKIM, SPF, DMARC, ARC and BIMI for one
 * message (on demand, cached); `/api/v1/dns` holds the records the checks look up first, so a test
 * can publish its own key before sending. PUT and DELETE change state, so the app-wide guard
 * (state-change-guard.ts) refuses them cross-site and takes JSON only.
 */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;
  const tags = ['Pigeonhole'];

  app.route({
    ...endpoint('messageAuthCheck', 'GET'),
    schema: {
      tags,
      summary: 'DKIM (per signature), SPF, DMARC with alignment, ARC and BIMI, and the Authentication-Results text',
      params: IdParamsSchema,
      querystring: LatestQuerySchema,
      response: { 200: AuthCheckSchema },
    },
    handler: async (req) => {
      const message = await resolveMessage(store, req.params.id, req.query.query, req.query.tz);
      return app.api.auth.check(message);
    },
  });

  app.route({
    ...endpoint('dns', 'GET'),
    schema: { tags, summary: 'The DNS records set through the API', response: { 200: DnsRecordsSchema } },
    handler: async () => app.api.dns.list(),
  });

  app.route({
    ...endpoint('dns', 'PUT'),
    // A body of 1,000 names fits; the record store's own bound is checked as the records are added.
    bodyLimit: DNS_LIMITS.maxBodyBytes,
    schema: {
      tags,
      summary: 'Add or replace DNS records (TXT strings by name); names not in the body stay',
      body: DnsRecordsSchema,
      response: { 200: DnsRecordsSchema },
    },
    handler: async (req) => {
      try {
        const records = validateRecords(req.body);
        app.api.dns.put(records);
        req.log.info({ names: [...records.keys()].slice(0, 20) }, 'DNS records set');
        return app.api.dns.list();
      } catch (err) {
        if (!(err instanceof DnsRecordsError)) throw err;
        req.log.info({ reason: err.message }, 'DNS records refused');
        throw apiError('DNS_RECORDS_INVALID', `Invalid DNS records: ${err.message}`);
      }
    },
  });

  app.route({
    ...endpoint('dns', 'DELETE'),
    schema: { tags, summary: 'Remove every DNS record set through the API', response: { 200: DnsRecordsSchema } },
    handler: async (req) => {
      app.api.dns.clear();
      req.log.info('DNS records cleared');
      return app.api.dns.list();
    },
  });
};
