/**
 * `npm run screenshots`: starts Pigeonhole (the built package, as users run it), seeds a realistic
 * inbox over SMTP, and photographs the web UI with Debian's Chromium in light and dark:
 *
 *   docs/screenshots/inbox-light.png     the inbox, a message open on its SMTP session
 *   docs/screenshots/inbox-dark.png
 *   docs/screenshots/message-light.png   a rich HTML message (inline images, attachments)
 *   docs/screenshots/message-dark.png
 *   docs/screenshots/phone-light.png     the narrow layout
 *
 * Needs `npm run build` first (the npm script does it).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startPigeonhole } from '../../server/dist/index.js';
import { everydayMail, orderConfirmation, sendAll } from './seed-mail.mjs';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

mkdirSync(OUT, { recursive: true });
const pigeonhole = await startPigeonhole({ logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
try {
  await sendAll(pigeonhole.smtpPort, [...everydayMail(), orderConfirmation()]);
  // Two read already, as in a real inbox.
  const list = await pigeonhole.client.messages({ limit: 50 });
  const read = list.messages.filter((m) => /Build #4821|weekly summary/.test(m.Subject)).map((m) => m.ID);
  await pigeonhole.client.setRead(true, { ids: read });

  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({
      colorScheme: scheme,
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(pigeonhole.httpUrl);
    const order = page.getByRole('option', { name: /order #NW-20931/ });
    await order.waitFor();

    // The inbox: a plain message open on its SMTP session, so the list is the star.
    await page.getByRole('option', { name: /Reset your password/ }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByRole('tab', { name: 'SMTP session' }).click();
    await page.getByLabel('SMTP transcript').waitFor();
    await settle(page);
    await page.screenshot({ path: `${OUT}inbox-${scheme}.png` });

    // The rich HTML message: inline images through cid:, attachments with thumbnails.
    await order.click();
    await page.getByRole('tab', { name: 'HTML' }).click();
    const frame = page.frameLocator('iframe[title="HTML body of the message"]');
    await frame.getByText('Thanks for your order').waitFor();
    await page.locator('.att__thumb').first().waitFor();
    await settle(page);
    await page.screenshot({ path: `${OUT}message-${scheme}.png` });
    await context.close();
  }

  const phone = await browser.newContext({
    colorScheme: 'light',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
  });
  const page = await phone.newPage();
  await page.goto(pigeonhole.httpUrl);
  await page.getByRole('option', { name: /order #NW-20931/ }).waitFor();
  await settle(page);
  await page.screenshot({ path: `${OUT}phone-light.png` });
  await phone.close();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await pigeonhole.stop();
}

/** Waits for the images of the page and its frames to load and for the last frame to paint. */
async function settle(page) {
  for (const frame of page.frames()) {
    await frame.waitForFunction('Array.from(document.images).every((img) => img.complete)', undefined, {
      timeout: 10_000,
    });
  }
  // A string, evaluated in the page: requestAnimationFrame exists there, not here.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}
