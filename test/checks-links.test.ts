import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LinkCheck } from '@pigeonhole/shared/schemas/checks';
import { afterEach, describe, expect, it } from 'vitest';
import { sendThroughApi, start } from './helpers/pigeonhole';

/** A local HTTP server that counts connections: /ok 200, /missing 404, /slow never answers, /moved 302 to /ok. */
interface Target {
  server: Server;
  url: string;
  port: number;
  connections: number;
  requests: { method: string; path: string; authorization: string | undefined; cookie: string | undefined }[];
}

const targets: Target[] = [];
afterEach(async () => {
  for (const t of targets.splice(0)) {
    t.server.closeAllConnections();
    await new Promise((resolve) => t.server.close(resolve));
  }
});

async function target(host = '127.0.0.1'): Promise<Target> {
  const t = { connections: 0, requests: [] } as unknown as Target;
  t.server = createServer((req, res) => {
    t.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/ok') return res.end('fine');
    if (req.url === '/missing') return res.writeHead(404).end('no');
    if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
    // A HEAD-shy server: 405 to HEAD, 200 to GET.
    if (req.url === '/get-only') return res.writeHead(req.method === 'HEAD' ? 405 : 200).end();
    // /slow: never answers.
    return undefined;
  });
  t.server.on('connection', () => t.connections++);
  await new Promise<void>((resolve) => t.server.listen(0, host, resolve));
  t.port = (t.server.address() as AddressInfo).port;
  t.url = host.includes(':') ? `http://[${host}]:${t.port}` : `http://${host}:${t.port}`;
  targets.push(t);
  return t;
}

function sendHtml(httpUrl: string, html: string, text = ''): Promise<string> {
  return sendThroughApi(httpUrl, { Subject: 'links', HTML: html, Text: text });
}

async function linkCheck(httpUrl: string, id: string, follow?: boolean): Promise<LinkCheck> {
  const res = await fetch(
    `${httpUrl}/api/v1/message/${id}/link-check${follow === undefined ? '' : `?follow=${follow}`}`,
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as LinkCheck;
}

const byUrl = (check: LinkCheck) => new Map(check.Links.map((l) => [l.URL, l]));

describe('link check with --link-check-allow-internal (local servers)', () => {
  it('finds a 404, a timeout, a redirect (followed or not) and a working link; HEAD then GET; no credentials', async () => {
    const t = await target();
    const p = await start({ linkCheckAllowInternal: true, linkCheckTimeout: '1s' });
    const creds = t.url.replace('http://', 'http://user:secret@');
    const id = await sendHtml(
      p.httpUrl,
      `<a href="${t.url}/ok">ok</a> <a href="${t.url}/missing">404</a> <a href="${t.url}/slow">slow</a>
       <a href="${t.url}/moved">moved</a> <img src="${t.url}/get-only"> <a href="${creds}/ok?x=1">creds</a>`,
      `Also in the text: ${t.url}/ok and <${t.url}/missing>`,
    );
    const direct = await linkCheck(p.httpUrl, id);
    const links = byUrl(direct);
    expect(links.get(`${t.url}/ok`)).toEqual({ URL: `${t.url}/ok`, StatusCode: 200, Status: 'OK' });
    expect(links.get(`${t.url}/missing`)).toMatchObject({ StatusCode: 404, Status: 'Not Found' });
    expect(links.get(`${t.url}/slow`)).toMatchObject({ StatusCode: 0, Status: expect.stringMatching(/timeout/) });
    expect(links.get(`${t.url}/moved`)).toMatchObject({ StatusCode: 302, Status: 'Found' });
    expect(links.get(`${t.url}/get-only`)).toMatchObject({ StatusCode: 200 });
    expect(links.get(`${creds}/ok?x=1`)).toMatchObject({ StatusCode: 200 });
    expect(direct.Links).toHaveLength(6);
    expect(direct.Errors).toBe(2);
    expect(t.requests.filter((r) => r.path === '/get-only').map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(t.requests.every((r) => r.authorization === undefined && r.cookie === undefined)).toBe(true);

    const followed = byUrl(await linkCheck(p.httpUrl, id, true));
    expect(followed.get(`${t.url}/moved`)).toMatchObject({ StatusCode: 200, Status: 'OK' });

    // Kept: asking again sends no request.
    const before = t.requests.length;
    await linkCheck(p.httpUrl, id);
    expect(t.requests.length).toBe(before);
  });
});

describe('link check SSRF rule (no --link-check-allow-internal)', () => {
  it('refuses loopback, private, link-local, IPv6 loopback, IPv4-mapped and a name resolving to loopback, with no connection', async () => {
    const v4 = await target('127.0.0.1');
    const v6 = await target('::1');
    const p = await start({ linkCheckTimeout: '2s' });
    const urls = [
      `${v4.url}/ok`,
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      `${v6.url}/ok`,
      `http://[::ffff:127.0.0.1]:${v4.port}/ok`,
      `http://[::ffff:7f00:1]:${v4.port}/ok`,
      `http://localhost:${v4.port}/ok`,
      `http://0.0.0.0:${v4.port}/ok`,
    ];
    const id = await sendHtml(p.httpUrl, urls.map((u) => `<a href="${u}">x</a>`).join('\n'));
    for (const follow of [false, true]) {
      const check = await linkCheck(p.httpUrl, id, follow);
      expect(check.Errors).toBe(urls.length);
      for (const link of check.Links) {
        expect(link.StatusCode, link.URL).toBe(0);
        expect(link.Status, link.URL).toMatch(/^refused: /);
      }
    }
    expect(v4.connections).toBe(0);
    expect(v6.connections).toBe(0);
  });

  it('checks every redirect hop at connect time: an allowed first hop cannot redirect to a refused address', async () => {
    // Only the hop rule is under test, and all traffic must stay on loopback: the checker is driven
    // directly with a rule that allows 127.0.0.1 alone, so 127.0.0.2 (and a name resolving to it)
    // stands for an internal address behind a public first hop.
    const { fetchLink } = await import('../server/src/checks/links/fetch-link');
    const inner = await target('127.0.0.2');
    const outer = await target('127.0.0.1');
    let redirectTo = `${inner.url}/ok`;
    outer.server.removeAllListeners('request');
    outer.server.on('request', (_req, res) => res.writeHead(302, { location: redirectTo }).end());
    const lookup = ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) =>
      options.all ? cb(null, [{ address: '127.0.0.2', family: 4 }]) : cb(null, '127.0.0.2', 4)) as never;
    const options = {
      allowInternal: false,
      timeoutMs: 2000,
      follow: true,
      userAgent: 'test',
      lookup,
      rule: (address: string) => (address === '127.0.0.1' ? null : `${address} is internal`),
    };
    expect(await fetchLink(`${outer.url}/`, options)).toMatchObject({
      StatusCode: 0,
      Status: 'refused: 127.0.0.2 is internal',
    });
    redirectTo = `http://inner.test:${inner.port}/ok`;
    expect(await fetchLink(`${outer.url}/`, options)).toMatchObject({
      StatusCode: 0,
      Status: 'refused: inner.test resolves to 127.0.0.2 is internal',
    });
    // The first hop was connected to each time (its HEAD answered 302), the second never.
    expect(outer.connections).toBe(2);
    expect(inner.connections).toBe(0);
  });
});
