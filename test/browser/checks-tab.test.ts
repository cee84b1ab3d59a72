import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { startSpamd, type Daemon } from '../helpers/spam-daemons';
import { has } from '../helpers/tools';

/**
 * The Checks tab in a real Chromium: HTML compatibility per client family with each warning's lines
 * and caniemail link, links with their status (broken first), the spam score from a real spamd,
 * and the List-Unsubscribe errors. PIGEONHOLE_SCREENSHOT_DIR=dir saves checks-light.png and
 * checks-dark.png there.
 */

let web: Server;
let base = '';
let spamd: Daemon | null = null;
beforeAll(async () => {
  expectUiBuilt();
  // /welcome and the hero image answer; /gone is the broken link.
  web = createServer((req, res) => res.writeHead(req.url === '/gone' ? 404 : 200).end());
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  if (has('spamd')) spamd = await startSpamd();
}, 90_000);
afterAll(async () => {
  await spamd?.stop();
  await new Promise((resolve) => web.close(resolve));
});

const html = (link: string) => `<!doctype html>
<html>
<head>
<style>
.row { display: flex; gap: 8px; }
.card { border-radius: 8px; box-shadow: 0 1px 2px #0002; }
</style>
</head>
<body>
<div class="row">
  <div class="card" style="background-image: url('${link}/hero.png'); position: absolute">Welcome</div>
  <svg width="10" height="10"></svg>
</div>
<p><a href="${link}/welcome">Start here</a> or <a href="${link}/gone">read more</a></p>
</body>
</html>`;

describe('Checks tab: HTML, links, spam and List-Unsubscribe', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`shows each check (${colorScheme})`, async () => {
      const p = await start({
        linkCheckAllowInternal: true,
        ...(spamd ? { spamassassin: `127.0.0.1:${spamd.port}` } : {}),
      });
      await p.client.send({
        From: { Email: 'news@example.test', Name: 'Newsletter' },
        To: [{ Email: 'alice@example.test' }],
        Subject: 'Spring newsletter',
        HTML: html(base),
        Text: 'Spring is here.',
        Headers: {
          'List-Unsubscribe': '<mailto:unsub@example.test> <http://example.test/u>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      const ui = await openUi(p.httpUrl, { colorScheme, viewport: { width: 1280, height: 860 } });
      const { page } = ui;
      await row(page, /Spring newsletter/).click();
      await page.getByRole('tab', { name: 'Checks' }).click();

      const families = page.getByRole('list', { name: 'Support by client family' });
      await expect.poll(() => families.textContent()).toMatch(/All clients/);
      const names = await families.locator('li').allTextContents();
      for (const family of ['Gmail', 'Outlook', 'Apple Mail', 'Yahoo! Mail']) {
        expect(
          names.some((n) => n.endsWith(family)),
          family,
        ).toBe(true);
      }
      const flex = page.locator('details[data-slug="css-display-flex"]');
      expect(await flex.locator('summary').textContent()).toContain('line 5');
      await flex.locator('summary').click();
      expect(await flex.textContent()).toMatch(/Not supported.*Outlook Windows/s);
      expect(await flex.getByRole('link').getAttribute('href')).toBe(
        'https://www.caniemail.com/features/css-display-flex/',
      );
      expect(await page.locator('details[data-slug="html-svg"] summary').textContent()).toContain('line 12');

      await page.getByRole('button', { name: 'Check links' }).click();
      const rows = page.locator('.check-table').first().locator('tr');
      await expect.poll(() => rows.count()).toBe(2);
      // Broken first, though it comes second in the mail.
      expect(await rows.nth(0).textContent()).toMatch(/404Not Found.*\/gone$/);
      expect(await rows.nth(1).textContent()).toMatch(/200OK.*\/welcome$/);

      if (spamd) {
        await expect
          .poll(() => page.locator('.check-verdict').textContent(), { timeout: 15_000 })
          .toMatch(/not spam.*by SpamAssassin/);
      }
      expect(await page.locator('[aria-labelledby^="unsub-"]').textContent()).toMatch(/should be split with a comma/);

      const dir = process.env.PIGEONHOLE_SCREENSHOT_DIR;
      if (dir) {
        await flex.locator('summary').click();
        await page.getByRole('tab', { name: 'Checks' }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${dir}/checks-${colorScheme}.png` });
      }
      expect(ui.errors).toEqual([]);
    }, 60_000);
  }
});
