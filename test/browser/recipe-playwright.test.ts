import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import nodemailer from 'nodemailer';
import { links, type Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { browser } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';

/** A tiny app with a sign-up form that mails a confirmation link, as the recipe's app does. */
function signUpApp(mail: Pigeonhole): Promise<{ url: string; server: Server }> {
  const tokens = new Map<string, string>();
  const transport = nodemailer.createTransport({
    host: mail.smtpHost,
    port: mail.smtpPort,
    tls: { rejectUnauthorized: false },
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const page = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>App</title>${body}`);
    };
    if (req.method === 'GET' && url.pathname === '/signup') {
      page('<form method="post"><label>Email <input name="email" type="email"></label><button>Sign up</button></form>');
    } else if (req.method === 'POST' && url.pathname === '/signup') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const email = new URLSearchParams(body).get('email') ?? '';
        const token = randomBytes(8).toString('hex');
        tokens.set(token, email);
        const link = `${origin}/confirm?token=${token}&email=${encodeURIComponent(email)}`;
        void transport
          .sendMail({
            from: 'App <no-reply@app.example.test>',
            to: email,
            subject: 'Confirm your address',
            text: `Open ${link}`,
            html: `<p>Welcome!</p><p><a href="${link.replace(/&/g, '&amp;')}">Confirm your address</a></p>`,
          })
          .then(() => page('<p>Check your inbox</p>'));
      });
    } else if (url.pathname === '/confirm' && tokens.has(url.searchParams.get('token') ?? '')) {
      page(`<p>Address confirmed: ${tokens.get(url.searchParams.get('token')!)}</p>`);
    } else {
      res.writeHead(404).end();
    }
  });
  let origin = '';
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      resolve({ url: origin, server });
    }),
  );
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/**
 * The Playwright recipe (docs/playwright.md) is written for @playwright/test, which brings its own
 * browser downloads. Here the same steps run through playwright-core and Debian's Chromium.
 */
describe('the Playwright recipe (docs/playwright.md)', () => {
  it('signs up, waits for the mail, follows its link and sees the address confirmed', async () => {
    const mail = await start();
    const app = await signUpApp(mail);
    servers.push(app.server);
    const context = await (await browser()).newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/signup`);
      await page.getByLabel('Email').fill('alice@example.test');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByText('Check your inbox').waitFor();

      const message = await mail.client.waitForMessage({ to: 'alice@example.test', subject: 'Confirm' });
      const confirm = links(message).find((link) => link.includes('/confirm'));
      expect(confirm).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/confirm\?token=[0-9a-f]{16}&email=alice%40example\.test$/);

      await page.goto(confirm!);
      await page.getByText('Address confirmed').waitFor();
      expect(await page.getByText('Address confirmed').textContent()).toBe('Address confirmed: alice@example.test');
    } finally {
      await context.close();
    }
  });
});
