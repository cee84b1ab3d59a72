import fp from 'fastify-plugin';
import { AuthChecker } from '../../auth/check';
import { DnsRecordStore } from '../../auth/dns-records';
import { MessageParser } from '../../mail/parse';
import { LinkChecker } from '../../checks/links/check';
import { SpamChecker } from '../../checks/spam/check';
import { VERSION } from '../routes/info';

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
  /** The link and spam checks (`checks/`). */
  links: LinkChecker;
  spam: SpamChecker;
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
    const links = new LinkChecker(store, {
      allowInternal: config.linkCheckAllowInternal,
      timeoutMs: config.linkCheckTimeoutMs,
      userAgent: `Pigeonhole/${VERSION} (link check)`,
    });
    const spam = new SpamChecker(store, {
      spamassassin: config.spamassassin,
      rspamd: config.rspamd,
      timeoutMs: config.spamTimeoutMs,
    });
    app.decorate('api', { parser, runtime, dns, auth, links, spam });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'pigeonhole-api-services' },
);
