// DKIM, SPF, DMARC, ARC and BIMI for one stored message, with mailauth, on demand and cached: the
// SMTP path never calls this, and mailauth is loaded on the first check.
import { isIP } from 'node:net';
import type { AuthCheck, DnsLookup } from '@pigeonhole/shared/schemas/auth';
import { CacheKind } from '../store/message-cache';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import type { DnsRecordStore } from './dns-records';
import { explainDkim, signatureTags, type MailauthDkimRow } from './explain-dkim';
import {
  explainArc,
  explainBimi,
  explainDmarc,
  explainSpf,
  type MailauthArc,
  type MailauthBimi,
  type MailauthDmarc,
  type MailauthSpf,
} from './explain-policy';
import { checkResolver } from './resolver';

/** A check kept with the generation of the API records it was made with. */
interface Kept {
  generation: number;
  check: AuthCheck;
  bytes: number;
}

/** Checks kept: a result is a few KB; a UI paging through messages asks for one each. */
const CHECKS = new CacheKind<Kept>('auth-check', { maxEntries: 500, maxBytes: 8 * 1024 * 1024 }, (k) => k.bytes);

/** What a checker needs besides the store. */
export interface AuthCheckerOptions {
  /** Records set through `PUT /api/v1/dns`. */
  records: DnsRecordStore;
  /** Records of `--dns-records FILE`. */
  file: ReadonlyMap<string, string[]> | null;
  /** `--dns-offline`. */
  offline: boolean;
  /** The host name in the `Authentication-Results` header (the SMTP greeting's). */
  mta: string;
}

/** The client address SPF checks: an IPv4-mapped IPv6 address as the IPv4 one it stands for. */
function clientIp(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** The DKIM-Signature headers of the message by b= value, for the tags mailauth does not report. */
function signatureHeaders(
  parsed: { key: string; line: Buffer | string }[] | undefined,
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const h of parsed ?? []) {
    if (h.key !== 'dkim-signature') continue;
    const tags = signatureTags(h.line.toString().replace(/\r?\n[ \t]+/g, ' '));
    out.set(tags.get('b') ?? '', tags);
  }
  return out;
}

/**
 * Verifies messages on demand and keeps each result in the store's cache until the message goes or
 * the API's DNS records change; a result with a DNS temperror is not kept, so the next look asks again.
 */
export class AuthChecker {
  readonly #store: MessageStore;
  readonly #options: AuthCheckerOptions;
  readonly #pending = new Map<string, Promise<AuthCheck>>();

  constructor(store: MessageStore, options: AuthCheckerOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** The check of this message: cached, or made now (one at a time per message). */
  check(message: StoredMessage): Promise<AuthCheck> {
    const cache = this.#store.cache(CHECKS);
    const generation = this.#options.records.generation;
    const kept = cache.get(message.id);
    if (kept && kept.generation === generation) return Promise.resolve(kept.check);
    const key = `${message.id}:${generation}`;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#run(message).then((check) => {
        const temporary = [check.SPF, check.DMARC, ...check.DKIM].some((c) => c.Result === 'temperror');
        // Not kept for a message deleted meanwhile: its cache entry would outlive it.
        if (!temporary && this.#store.get(message.id)) {
          cache.remember(message.id, { generation, check, bytes: JSON.stringify(check).length * 2 });
        }
        return check;
      });
      pending = pending.finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #run(message: StoredMessage): Promise<AuthCheck> {
    const mailauth = await import('mailauth');
    const { records, file, offline, mta } = this.#options;
    const lookups: DnsLookup[] = [];
    const resolver = checkResolver({ api: (name) => records.get(name), file, offline }, lookups);
    const asMailauth = resolver as unknown as (name: string, type: string) => Promise<string[][]>;
    const ip = clientIp(message.session.clientAddress);
    const mailFrom = message.envelope.mailFrom;
    const heloName = message.session.helo || ip;
    const helo = isIP(heloName) ? `[${heloName}]` : heloName;
    // Lent bytes would not do: the checks await DNS answers.
    const raw = message.keepRaw();

    const dkim = await mailauth.dkimVerify(raw, { resolver: asMailauth, sender: mailFrom, minBitLength: 1024 });
    const tagsBySignature = signatureHeaders(dkim.headers?.parsed as { key: string; line: Buffer }[] | undefined);
    const rows = (dkim.results as unknown as MailauthDkimRow[]).filter((r) => r.status.result !== 'none');
    const spf = (await mailauth.spf({
      sender: mailFrom,
      ip,
      helo,
      mta,
      resolver: asMailauth,
    })) as unknown as MailauthSpf;
    const arc = (await mailauth.arc(dkim.arc as never, { resolver: asMailauth, minBitLength: 1024 })) as unknown as
      MailauthArc | false;
    const signatures = rows.map((row) => explainDkim(row, { tagsBySignature, lookups, offline }));
    let dmarc: MailauthDmarc | false = false;
    if (dkim.headerFrom?.length) {
      dmarc = (await mailauth.dmarc({
        headerFrom: dkim.headerFrom,
        spfDomains: spf.status.result === 'pass' && spf.domain ? [spf.domain] : [],
        dkimDomains: rows
          .filter((r) => r.status.result === 'pass')
          .map((r) => ({ domain: r.signingDomain, aligned: r.status.aligned })),
        arcResult: arc,
        resolver: asMailauth,
      } as never)) as unknown as MailauthDmarc | false;
    }
    const bimi = (await mailauth.bimi({ dmarc, headers: dkim.headers, resolver: asMailauth } as never)) as unknown as
      MailauthBimi | false;

    const info = [
      ...(rows.length ? rows.map((r) => r.info ?? '') : ['dkim=none (message not signed)']),
      (spf as { info?: string }).info ?? '',
      ...(arc && (arc as { info?: string }).info ? [(arc as { info?: string }).info!] : []),
      ...(dmarc && (dmarc as { info?: string }).info ? [(dmarc as { info?: string }).info!] : []),
      ...(bimi && (bimi as { info?: string }).info ? [(bimi as { info?: string }).info!] : []),
    ].filter(Boolean);

    return {
      ID: message.id,
      Checked: new Date().toISOString(),
      From: dkim.headerFrom?.[0] ?? '',
      DKIM: signatures,
      SPF: explainSpf(spf, { ip, helo: message.session.helo, mailFrom }, lookups),
      DMARC: explainDmarc(dmarc, dkim.headerFrom ?? [], lookups),
      ARC: explainArc(arc),
      BIMI: explainBimi(bimi, lookups),
      AuthenticationResults: `Authentication-Results: ${mta};\r\n ${info.join(';\r\n ')}`,
      Lookups: lookups,
    };
  }
}
