// One link's HTTP status: HEAD, then GET when HEAD is refused, each hop of a redirect checked
// against the address rule at connect time, no credentials, no cookies, no body read.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Link } from '@pigeonhole/shared/schemas/checks';
import { refusedAddress } from './address-rule';

/** How a link is fetched. */
export interface FetchOptions {
  /** `--link-check-allow-internal`: connect to any address. */
  allowInternal: boolean;
  /** Per request (each HEAD, GET and redirect hop). */
  timeoutMs: number;
  follow: boolean;
  userAgent: string;
  /** The resolver; the system's by default (tests may give their own). */
  lookup?: typeof dnsLookup;
  /** The address rule; {@link refusedAddress} by default (tests may narrow it to drive one hop). */
  rule?: (address: string) => string | null;
}

/** Redirect hops followed with `follow=true`, as browsers bound them. */
const MAX_REDIRECTS = 10;

class Refused extends Error {}

/**
 * A `lookup` for the socket that refuses a name resolving to an address the rule forbids. It runs
 * as the socket connects, so the address judged is the address used: a DNS answer cannot change
 * between the check and the connect (DNS rebinding).
 */
function guardedLookup(resolve: typeof dnsLookup, rule: (address: string) => string | null): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      for (const { address } of list) {
        const why = rule(address);
        if (why) return callback(new Refused(`refused: ${hostname} resolves to ${why}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname}: no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** One request; resolves with the response's status and Location, the body never read. */
function once(
  url: URL,
  method: 'HEAD' | 'GET',
  options: FetchOptions,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An IP literal never reaches `lookup` (net.connect skips it): judged here, before connecting.
    const rule = options.rule ?? refusedAddress;
    if (!options.allowInternal && isIP(host)) {
      const why = rule(host);
      if (why) return reject(new Refused(`refused: ${why}`));
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        // No Authorization even when the URL has user:pass, no Cookie, no Referer: the request
        // says nothing about the mail or its reader.
        headers: { 'user-agent': options.userAgent, accept: '*/*' },
        agent: false,
        timeout: options.timeoutMs,
        ...(options.allowInternal ? {} : { lookup: guardedLookup(options.lookup ?? dnsLookup, rule) }),
      },
      (res: IncomingMessage) => {
        const location = res.headers.location;
        // Only the status matters: the body is not read at all.
        res.destroy();
        resolve({ status: res.statusCode ?? 0, location });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`timeout after ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs} ms`)));
    req.on('error', (err) => reject(err));
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

/** Mailpit's short form of a network error: `connect ECONNREFUSED 127.0.0.1:9` says `connection refused`. */
function summary(err: unknown): string {
  if (err instanceof Refused) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'no such host';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'network is unreachable';
    default:
      return (err as Error).message || String(err);
  }
}

/** HEAD, or GET when the server refuses HEAD (some answer 405, 404 or 403 to HEAD alone). */
async function status(url: URL, options: FetchOptions): Promise<{ status: number; location: string | undefined }> {
  const head = await once(url, 'HEAD', options);
  if (head.status < 400) return head;
  return once(url, 'GET', options);
}

/** The status of one link, as Mailpit's `Link`: StatusCode 0 with the reason when nothing answered. */
export async function fetchLink(link: string, options: FetchOptions): Promise<Link> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { URL: link, StatusCode: 0, Status: 'invalid URL' };
  }
  try {
    for (let hop = 0; ; hop++) {
      const answer = await status(url, options);
      const redirect = answer.status >= 300 && answer.status < 400 && answer.location;
      if (!options.follow || !redirect) {
        return { URL: link, StatusCode: answer.status, Status: STATUS_CODES[answer.status] ?? '' };
      }
      if (hop >= MAX_REDIRECTS) return { URL: link, StatusCode: 0, Status: `more than ${MAX_REDIRECTS} redirects` };
      const next = new URL(answer.location as string, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return { URL: link, StatusCode: 0, Status: `redirect to ${next.protocol} refused` };
      }
      url = next;
    }
  } catch (err) {
    return { URL: link, StatusCode: 0, Status: summary(err) };
  }
}
