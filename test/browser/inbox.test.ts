import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * The web inbox in a real Chromium against a real Pigeonhole: mail sent over SMTP shows up live,
 * opens, renders, downloads, searches, filters by mailbox and deletes, with no console error.
 */

beforeAll(expectUiBuilt);

// A tiny PNG (1x1, red) for the attachment round trip.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

describe('inbox', () => {
  test('a message sent over SMTP appears without a reload, opens, and renders its HTML in the sandboxed frame', async () => {
    const p = await start();
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await expect.poll(() => page.getByText('No mail yet').isVisible()).toBe(true);

    await transport(p).sendMail({
      from: '"Ada Lovelace" <ada@example.test>',
      to: 'grace@example.test',
      subject: 'Live arrival',
      text: 'plain words',
      html: '<h1 id="greeting">Hello from the frame</h1><a href="https://example.test/x">a link</a>',
    });
    const arrived = row(page, /Live arrival/);
    await arrived.waitFor();
    // Unread, with sender and recipient shown.
    await expect.poll(() => arrived.getAttribute('aria-label')).toMatch(/^Unread\. Ada Lovelace: Live arrival/);
    expect(await arrived.textContent()).toContain('grace@example.test');
    expect(await page.title()).toBe('(1) Pigeonhole');

    await arrived.click();
    await page.getByRole('heading', { name: 'Live arrival' }).waitFor();
    const frameEl = page.locator('iframe[title="HTML body of the message"]');
    expect(await frameEl.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const frame = page.frameLocator('iframe[title="HTML body of the message"]');
    await expect.poll(() => frame.locator('#greeting').textContent()).toBe('Hello from the frame');
    // Links open in a new tab, never in the frame or over the UI.
    expect(await frame.getByRole('link', { name: 'a link' }).getAttribute('target')).toBe('_blank');
    // Opening marks it read: the title follows.
    await expect.poll(() => page.title()).toBe('Pigeonhole');
    expect(ui.errors).toEqual([]);
  });

  test('every tab shows its part of the message', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Tabs tour',
      text: 'The text part, with https://example.test/link',
      html: '<p>The HTML part</p>',
      headers: { 'X-Custom-Thing': 'custom-value-42' },
    });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await row(page, /Tabs tour/).click();
    const panel = page.getByRole('tabpanel');

    await page.getByRole('tab', { name: 'Text' }).click();
    await expect.poll(() => panel.textContent()).toContain('The text part');
    expect(await panel.getByRole('link', { name: 'https://example.test/link' }).getAttribute('target')).toBe('_blank');

    await page.getByRole('tab', { name: 'Headers' }).click();
    await panel.getByText('custom-value-42').waitFor();
    await page.getByRole('searchbox', { name: 'Filter headers' }).fill('x-custom');
    await expect.poll(() => panel.locator('tbody tr').count()).toBe(1);

    await page.getByRole('tab', { name: 'Source' }).click();
    await expect
      .poll(() => panel.getByLabel('Message source').textContent())
      .toContain('X-Custom-Thing: custom-value-42');
    const eml = page.waitForEvent('download');
    await panel.getByRole('link', { name: 'Download .eml' }).click();
    const download = await eml;
    expect(download.suggestedFilename()).toBe('Tabs-tour.eml');
    const raw = await p.client.raw((await p.client.messages()).messages[0]!.ID);
    expect(Buffer.from(await readFile((await download.path())!)).equals(Buffer.from(raw))).toBe(true);

    await page.getByRole('tab', { name: 'MIME' }).click();
    await expect.poll(() => panel.textContent()).toContain('multipart/alternative');
    expect(await panel.textContent()).toContain('text/html');

    await page.getByRole('tab', { name: 'SMTP session' }).click();
    await expect.poll(() => panel.textContent()).toContain('MAIL FROM');
    expect(await panel.getByLabel('SMTP transcript').textContent()).toMatch(/EHLO/i);
    expect(await panel.textContent()).toContain('alice@example.test');

    // Arrow keys move between tabs, as the tabs pattern wants.
    await page.getByRole('tab', { name: 'SMTP session' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: 'MIME' }).getAttribute('aria-selected')).toBe('true');
    expect(ui.errors).toEqual([]);
  });

  test('an attachment downloads with the exact bytes', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'With a picture',
      text: 'see attached',
      attachments: [{ filename: 'dot.png', content: PNG, contentType: 'image/png' }],
    });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await row(page, /With a picture/).click();
    const saved = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download dot.png' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe('dot.png');
    expect(Buffer.from(await readFile((await download.path())!)).equals(PNG)).toBe(true);
    // Images preview full size in the page.
    await page.getByRole('button', { name: 'Preview dot.png' }).click();
    await page.getByRole('dialog', { name: 'dot.png' }).waitFor();
    expect(ui.errors).toEqual([]);
  });

  test('search narrows the list as you type, and a mailbox shows one recipient’s mail', async () => {
    const p = await start();
    const mail = transport(p);
    await mail.sendMail({ from: 'a@example.test', to: 'alice@example.test', subject: 'Invoice 1001', text: 'x' });
    await mail.sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'Welcome Bob', text: 'x' });
    await mail.sendMail({
      from: 'a@example.test',
      to: 'carol@example.test',
      bcc: 'alice@example.test',
      subject: 'Hidden copy',
      text: 'x',
    });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await expect.poll(() => page.getByRole('option').count()).toBe(3);

    await page.keyboard.press('/');
    expect(await page.getByRole('searchbox', { name: 'Search mail' }).evaluate((el) => el.matches(':focus'))).toBe(
      true,
    );
    // The syntax hint is there while searching.
    await page.getByRole('note').getByText('Search syntax').waitFor();
    await page.keyboard.type('subject:invoice');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await row(page, /Invoice 1001/).waitFor();
    expect(page.url()).toContain('q=subject%3Ainvoice');
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => page.getByRole('option').count()).toBe(3);

    // alice's mailbox: the To and the Bcc (known from the envelope only).
    await page
      .getByRole('navigation', { name: 'Mailboxes' })
      .getByRole('button', { name: /alice@example\.test/ })
      .click();
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    await row(page, /Invoice 1001/).waitFor();
    await row(page, /Hidden copy/).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('alice@example.test');
    expect(ui.errors).toEqual([]);
  });

  test('delete one, select many with shift-click and delete them, then delete all after confirming', async () => {
    const p = await start();
    const mail = transport(p);
    for (let i = 1; i <= 5; i++)
      await mail.sendMail({ from: 'a@example.test', to: 'z@example.test', subject: `Message ${i}`, text: 'x' });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await expect.poll(() => page.getByRole('option').count()).toBe(5);

    await row(page, /Message 5/).click();
    await page.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('option').count()).toBe(4);
    await expect.poll(async () => (await p.client.messages()).total).toBe(4);

    await row(page, /Message 4/).click({ modifiers: ['Control'] });
    await row(page, /Message 2/).click({ modifiers: ['Shift'] });
    await page.getByText('3 selected').waitFor();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await expect.poll(async () => (await p.client.messages()).messages.map((m) => m.Subject)).toEqual(['Message 1']);

    await page.getByRole('button', { name: 'Delete all' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete all messages?' });
    await confirm.getByRole('button', { name: 'Delete all' }).click();
    await page.getByText('No mail yet').waitFor();
    expect((await p.client.messages()).total).toBe(0);
    expect(ui.errors).toEqual([]);
  });

  test('deletes and read state made elsewhere show up live', async () => {
    const p = await start();
    const mail = transport(p);
    await mail.sendMail({ from: 'a@example.test', to: 'z@example.test', subject: 'Keep me', text: 'x' });
    await mail.sendMail({ from: 'a@example.test', to: 'z@example.test', subject: 'Remove me', text: 'x' });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    const list = (await p.client.messages()).messages;
    const remove = list.find((m) => m.Subject === 'Remove me')!;
    const keep = list.find((m) => m.Subject === 'Keep me')!;
    await p.client.delete([remove.ID]);
    await p.client.setRead(true, { ids: [keep.ID] });
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await expect.poll(() => row(page, /Keep me/).getAttribute('aria-label')).not.toMatch(/^Unread/);
    expect(ui.errors).toEqual([]);
  });

  test('every UI response carries a CSP that allows script from the UI’s own files only', async () => {
    const p = await start();
    for (const path of ['/', '/theme-init.js', '/favicon.svg']) {
      const res = await fetch(`${p.httpUrl}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
      expect(csp).toContain("object-src 'none'");
    }
    const html = await (await fetch(p.httpUrl)).text();
    // No inline script in the page itself: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  });
});
