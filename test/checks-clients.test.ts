// The checks through their clients: the npm client `mailpit-api` unchanged, our typed client, and
// `pigeonhole check ID` (the built CLI) gating a CI step on the HTML score, the links and spam.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailpitClient } from 'mailpit-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { sendThroughApi, start } from './helpers/pigeonhole';
import { startSpamd, type Daemon } from './helpers/spam-daemons';
import { has } from './helpers/tools';

let web: Server;
let base = '';
beforeAll(async () => {
  web = createServer((req, res) => res.writeHead(req.url === '/ok' ? 200 : 404).end());
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => web.close(resolve)));

let spamd: Daemon | null = null;
afterEach(async () => {
  await spamd?.stop();
  spamd = null;
});

const FLEX = (link: string) =>
  `<!doctype html><html><head><style>.a{display:flex}</style></head><body><div class="a"><a href="${link}">go</a></div></body></html>`;

function sendHtml(httpUrl: string, html: string): Promise<string> {
  return sendThroughApi(httpUrl, { Subject: 'check', HTML: html });
}

describe('the checks through mailpit-api, unchanged', () => {
  it('htmlCheck, linkCheck (follow or not) and spamAssassinCheck answer in Mailpit shape', async () => {
    if (has('spamd')) spamd = await startSpamd();
    const p = await start({
      linkCheckAllowInternal: true,
      ...(spamd ? { spamassassin: `127.0.0.1:${spamd.port}` } : {}),
    });
    await sendHtml(p.httpUrl, FLEX(`${base}/ok`));
    const mailpit = new MailpitClient(p.httpUrl);
    const html = await mailpit.htmlCheck();
    expect(html.Warnings.map((w) => w.Slug)).toContain('css-display-flex');
    expect(html.Total.Supported).toBeGreaterThan(0);
    expect(html.Platforms.windows).toContain('Outlook');
    const links = await mailpit.linkCheck('latest', true);
    expect(links).toEqual({ Errors: 0, Links: [{ URL: `${base}/ok`, StatusCode: 200, Status: 'OK' }] });
    expect((await mailpit.linkCheck()).Errors).toBe(0);
    if (spamd) {
      const spam = await mailpit.spamAssassinCheck();
      expect(spam).toMatchObject({ IsSpam: false, Error: '' });
      expect(spam.Rules?.length ?? 0).toBeGreaterThan(0);
    }
  }, 90_000);
});

describe('the typed client', () => {
  it('htmlCheck, linkCheck({ follow }) and spamCheck', async () => {
    const p = await start({ linkCheckAllowInternal: true });
    const id = await sendHtml(p.httpUrl, FLEX(`${base}/gone`));
    expect((await p.client.htmlCheck(id)).Data.Source).toMatch(/^caniemail@/);
    expect(await p.client.linkCheck(id, { follow: true })).toEqual({
      Errors: 1,
      Links: [{ URL: `${base}/gone`, StatusCode: 404, Status: 'Not Found' }],
    });
    await expect(p.client.spamCheck(id)).rejects.toMatchObject({ status: 400 });
  });
});

describe('pigeonhole check ID', () => {
  it('exits 0 when the checks pass, 1 under --fail-under or with a broken link, and says why', async () => {
    const p = await start({ linkCheckAllowInternal: true });
    await sendHtml(p.httpUrl, FLEX(`${base}/ok`));
    const pass = runCli(['check', 'latest', '--html', '--links', '--url', p.httpUrl]);
    expect(await pass.exited).toBe(0);
    expect(pass.stdout()).toMatch(/^HTML {3}\d+\.\d% supported/m);
    expect(pass.stdout()).toMatch(/^ {2}display:flex \(css-display-flex, 1x line 1\)/m);
    expect(pass.stdout()).toMatch(/^Links {2}1 checked, 0 broken$/m);

    // Outlook for Windows has no flexbox: the score is under 100.
    const under = runCli(['check', 'latest', '--html', '--fail-under', '100', '--url', p.httpUrl]);
    expect(await under.exited).toBe(1);
    expect(under.stderr()).toMatch(/^pigeonhole check: HTML score \d+\.\d is under 100$/m);

    await sendHtml(p.httpUrl, FLEX(`${base}/gone`));
    const broken = runCli(['check', 'latest', '--links', '--url', p.httpUrl]);
    expect(await broken.exited).toBe(1);
    expect(broken.stdout()).toMatch(/404 Not Found +http:\/\/127\.0\.0\.1:\d+\/gone/);
    expect(broken.stderr()).toMatch(/1 broken link\(s\)/);

    const spam = runCli(['check', 'latest', '--spam', '--url', p.httpUrl]);
    expect(await spam.exited).toBe(2);
    expect(spam.stderr()).toMatch(/--spamassassin HOST:PORT or --rspamd URL/);
  });
});
