import { beforeAll, describe, expect, test } from 'vitest';
import { committedFixtures, deepNesting, hugeHeader, manyParts } from '../fixtures/malformed/generate';
import { RawSmtp } from '../fixtures/raw-smtp';
import { expectUiBuilt, openUi } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';

/**
 * The malformed-mail corpus in the web UI, in a real Chromium: each message opens and every tab of
 * it shows without a page error. (The API side of the corpus is test/security-malformed-mail.test.ts.)
 */

beforeAll(expectUiBuilt);

/** Console noise that is not a fault: a hostile message's broken image or cid: reference failing to load. */
const RESOURCE_NOISE = /Failed to load resource|net::ERR_|Refused to (load|apply|frame)|Content.Security.Policy/i;

describe('malformed mail in the UI', () => {
  test('every corpus message opens and every tab renders without an error', async () => {
    const p = await start({ max: 0 });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const fixtures = [...committedFixtures(), manyParts(100_000), deepNesting(1000), hugeHeader(1024 * 1024)];
    const tabNames: string[] = [];
    for (const fixture of fixtures) {
      // One message at a time: the list empties (live, over the WebSocket), then shows only this one.
      await fetch(`${p.httpUrl}/api/v1/messages`, { method: 'DELETE' });
      await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBe(0);
      const { smtp } = await RawSmtp.connect(p.smtpPort);
      await smtp.command('EHLO ui.example.test');
      const reply = await smtp.sendMail('a@example.test', ['b@example.test'], fixture.bytes);
      await smtp.quit();
      expect(reply.code, fixture.name).toBe(250);

      await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBe(1);
      await page.getByRole('option').first().click();
      const tabs = page.getByRole('tab');
      await tabs.first().waitFor();
      const count = await tabs.count();
      expect(count, fixture.name).toBeGreaterThanOrEqual(4);
      for (let i = 0; i < count; i++) {
        const tab = tabs.nth(i);
        // A tab for a body the message lacks (no HTML part) is shown disabled, with its reason.
        if ((await tab.getAttribute('aria-disabled')) === 'true') continue;
        tabNames.push((await tab.textContent()) ?? '');
        await tab.click();
        await page.getByRole('tabpanel').waitFor();
        expect(await page.getByRole('alert').count(), `${fixture.name}: ${await tab.textContent()}`).toBe(0);
      }
      const faults = ui.errors.filter((e) => !RESOURCE_NOISE.test(e));
      expect(faults, fixture.name).toEqual([]);
    }
    expect(new Set(tabNames).size).toBeGreaterThanOrEqual(4);
    expect(ui.dialogs).toEqual([]);
  }, 180_000);
});
