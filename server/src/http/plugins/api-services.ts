import fp from 'fastify-plugin';
import { AuthChecker } from '../../auth/check';
import { DnsRecordStore } from '../../auth/dns-records';
import { MessageParser } from '../../mail/parse';

/** Counters Mailpit reports as `RuntimeStats`, kept from store events. */
export interface RuntimeCounters {
  startedAt: number;
  accepted: number;
  acceptedBytes: number;
  deleted: number;
}

/** What the API routes share besides the store: the parser and the runtime counters. */
export interface ApiServices {
  parser: MessageParser;
  runtime: RuntimeCounters;
  /** DNS records set through `PUT /api/v1/dns`, and the checker that looks them up. */
  dns: DnsRecordStore;
  auth: AuthChecker;
}

declare module 'fastify' {
  interface FastifyInstance {
    api: ApiServices;
  }
}

/**
 * Decorates `app.api`: the parser (whose cache the store owns) and the runtime counters, which
 * follow `added`, `deleted` and `cleared`. The store is subscribed to, never the reverse.
 */
export const apiServicesPlugin = fp(
  async (app) => {
    const { store } = app.pigeonhole;
    const parser = new MessageParser(store);
    const runtime: RuntimeCounters = { startedAt: Date.now(), accepted: 0, acceptedBytes: 0, deleted: 0 };
    let known = store.count;
    const unsubscribe = store.subscribe((event) => {
      switch (event.type) {
        case 'added':
          known++;
          runtime.accepted++;
          // Not the summary's Size: reading the summary makes it now, not after the burst.
          runtime.acceptedBytes += event.message.rawLength;
          break;
        case 'deleted':
          known -= event.ids.length;
          runtime.deleted += event.ids.length;
          break;
        case 'cleared':
          runtime.deleted += known;
          known = 0;
          break;
        case 'updated':
          break;
      }
    });
    const { config } = app.pigeonhole;
    const dns = new DnsRecordStore();
    const auth = new AuthChecker(store, {
      records: dns,
      file: config.dnsRecords,
      offline: config.dnsOffline,
      mta: config.smtpHostname,
    });
    app.decorate('api', { parser, runtime, dns, auth });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'pigeonhole-api-services' },
);
