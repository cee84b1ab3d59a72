// The DNS the verifier sees: records published through the API, then the --dns-records file, then
// (unless --dns-offline) the system resolver, each lookup with a short timeout and noted with where
// its answer came from.
import { Resolver } from 'node:dns/promises';
import type { DnsLookup, DnsSource } from '@pigeonhole/shared/schemas/auth';
import { dnsName } from './dns-records';

/**
 * A lookup of the system resolver gives up after this long. mailauth makes its lookups one after
 * another (SPF alone may make ten), so a check of a message whose domains do not resolve takes a few
 * of these at most; c-ares' default (5 s, four tries) would make it a minute.
 */
export const LOOKUP_TIMEOUT_MS = 1500;

/** The lookup function mailauth takes: `dns.resolve`'s shape. */
export type MailauthResolver = (name: string, type: string) => Promise<unknown>;

/** Where TXT records are looked up, in order. */
export interface DnsSources {
  /** Records set through `PUT /api/v1/dns`. */
  api: (name: string) => string[] | undefined;
  /** Records of `--dns-records FILE`. */
  file: ReadonlyMap<string, string[]> | null;
  /** `--dns-offline`: never ask the system resolver. */
  offline: boolean;
}

function dnsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function describe(answer: unknown): string[] {
  if (!Array.isArray(answer)) return [];
  return answer.map((row: unknown) => {
    if (Array.isArray(row)) return row.join('');
    if (typeof row === 'object' && row !== null && 'exchange' in row) {
      const mx = row as { exchange: string; priority: number };
      return `${mx.priority} ${mx.exchange}`;
    }
    return String(row);
  });
}

let systemResolver: Resolver | null = null;

/** One resolver for all checks: c-ares with the short timeout and one try. */
function system(): Resolver {
  systemResolver ??= new Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: 1 });
  return systemResolver;
}

/**
 * A resolver for one check. Each lookup is pushed on `log` with its source; a missing record is
 * `ENOTFOUND` (mailauth's "no key", SPF and DMARC `none`), a lookup past the timeout `ETIMEOUT`
 * (`temperror`), never a hang.
 */
export function checkResolver(sources: DnsSources, log: DnsLookup[]): MailauthResolver {
  return async (rawName, type) => {
    const name = dnsName(rawName);
    const note = (source: DnsSource, outcome: string, records: string[] = []): void => {
      log.push({ Name: name, Type: type, Source: source, Outcome: outcome, Records: records });
    };
    if (type === 'TXT') {
      for (const [source, found] of [
        ['api', sources.api(name)],
        ['file', sources.file?.get(name)],
      ] as const) {
        if (found) {
          note(source, 'found', found);
          return found.map((s) => [s]);
        }
      }
    }
    if (sources.offline) {
      note('none', 'not found (offline: --dns-offline)');
      throw dnsError('ENOTFOUND', `${type} ${name}: not published, and DNS is offline`);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        system().resolve(name, type as 'TXT'),
        new Promise<never>((_, reject) => {
          // A guard besides c-ares' own timeout, should a lookup hang below it.
          timer = setTimeout(() => reject(dnsError('ETIMEOUT', 'timeout')), LOOKUP_TIMEOUT_MS * 2);
        }),
      ]);
      const records = describe(answer);
      note('system', 'found', records);
      return answer;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ESERVFAIL';
      if (code === 'ENOTFOUND' || code === 'ENODATA') note('system', 'not found');
      else if (code === 'ETIMEOUT') note('system', `timeout after ${LOOKUP_TIMEOUT_MS} ms`);
      else note('system', `error ${code}`);
      throw err instanceof Error && 'code' in err ? err : dnsError(code, String(err));
    } finally {
      clearTimeout(timer);
    }
  };
}
