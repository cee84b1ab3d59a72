import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/** Keyboard use, themes and the narrow layout, in a real Chromium. */

beforeAll(expectUiBuilt);

async function threeMessages() {
  const p = await start();
  const mail = transport(p);
  for (const n of [1, 2, 3])
    await mail.sendMail({ from: 'a@example.test', to: 'k@example.test', subject: `Key ${n}`, text: `body ${n}` });
  return p;
}

describe('keyboard', () => {
  test('j/k move, Enter opens, r toggles read, x and shift+j select, Delete deletes, ? shows help', async () => {
    const p = await threeMessages();
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const list = page.getByRole('listbox', { name: 'Messages' });
    await expect.poll(() => page.getByRole('option').count()).toBe(3);

    await page.keyboard.press('j');
    await expect.poll(() => list.getAttribute('aria-activedescendant')).toBe('message-row-0');
    await page.keyboard.press('j');
    await expect.poll(() => list.getAttribute('aria-activedescendant')).toBe('message-row-1');
    await page.keyboard.press('k');
    await expect.poll(() => list.getAttribute('aria-activedescendant')).toBe('message-row-0');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Key 3' }).waitFor();

    // With a message open, moving opens the next one, as a reading pane does.
    await page.keyboard.press('ArrowDown');
    await page.getByRole('heading', { name: 'Key 2' }).waitFor();
    await expect.poll(() => row(page, /Key 2/).getAttribute('aria-label')).not.toMatch(/^Unread/);
    await page.keyboard.press('r');
    await expect.poll(() => row(page, /Key 2/).getAttribute('aria-label')).toMatch(/^Unread/);
    await expect
      .poll(async () => (await p.client.messages()).messages.find((m) => m.Subject === 'Key 2')?.Read)
      .toBe(false);

    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    await expect.poll(async () => (await p.client.messages()).total).toBe(2);
    // The next message took the deleted one's place.
    await page.getByRole('heading', { name: 'Key 1' }).waitFor();

    await page.keyboard.press('Escape');
    await page.getByText('Select a message').waitFor();
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await page.keyboard.press('Shift+J');
    await page.getByText('2 selected').waitFor();
    expect(await page.getByRole('option', { selected: true }).count()).toBe(2);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('option', { selected: true }).count()).toBe(0);

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Mark read / unread');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    expect(ui.errors).toEqual([]);
  });

  test('the unread count is in the title and the favicon badge', async () => {
    const p = await threeMessages();
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await expect.poll(() => page.title()).toBe('(3) Pigeonhole');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(decodeURIComponent(icon ?? '')).toContain('>3</text>');
    await p.client.setRead(true);
    await expect.poll(() => page.title()).toBe('Pigeonhole');
    expect(ui.errors).toEqual([]);
  });
});

describe('themes and layout', () => {
  test('dark follows the system, the toggle cycles light, dark and system, and the choice survives a reload', async () => {
    const p = await start();
    const ui = await openUi(p.httpUrl, { colorScheme: 'dark' });
    const { page } = ui;
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(14, 16, 20)');
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    await toggle.click();
    expect(await toggle.getAttribute('aria-label')).toBe('Theme: light');
    expect(await background()).toBe('rgb(244, 245, 248)');
    await page.reload();
    await page.getByRole('listbox', { name: 'Messages' }).waitFor();
    expect(await background()).toBe('rgb(244, 245, 248)');
    await page.keyboard.press('t');
    expect(await background()).toBe('rgb(14, 16, 20)');
    expect(ui.errors).toEqual([]);
  });

  test('a narrow window shows the list or the message, and the mailboxes in a drawer', async () => {
    const p = await threeMessages();
    const ui = await openUi(p.httpUrl, { viewport: { width: 390, height: 800 } });
    const { page } = ui;
    const sidebar = page.getByRole('navigation', { name: 'Mailboxes' });
    expect(await sidebar.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show mailboxes' }).click();
    await sidebar.getByRole('button', { name: /k@example\.test/ }).click();
    await expect.poll(() => sidebar.isVisible()).toBe(false);

    await row(page, /Key 2/).click();
    await page.getByRole('heading', { name: 'Key 2' }).waitFor();
    expect(await page.getByRole('listbox', { name: 'Messages' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await row(page, /Key 2/).waitFor();
    expect(await page.getByRole('heading', { name: 'Key 2' }).count()).toBe(0);
    expect(ui.errors).toEqual([]);
  });
});
