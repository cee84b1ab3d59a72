import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * The search-syntax popover is a hint: while the empty search box has focus it may show over the
 * list, but a click on a row must open that row (it used to land on the popover and do nothing
 * until Escape), and the popover closes on blur, a click elsewhere, the pointer moving away from the
 * box, or a query typed.
 */

beforeAll(expectUiBuilt);

describe('the search-syntax popover', () => {
  test('a row under the open popover opens at the first click, and the popover closes', async () => {
    const p = await start();
    const mail = transport(p);
    for (let i = 1; i <= 6; i++) {
      await mail.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `Row ${i}`, text: `body ${i}` });
    }
    const { page, errors } = await openUi(p.httpUrl);
    await expect.poll(() => page.getByRole('option').count()).toBe(6);
    const box = page.getByRole('searchbox', { name: 'Search mail' });
    await box.click();
    const hint = page.getByRole('note').filter({ hasText: 'Search syntax' });
    await hint.waitFor({ state: 'visible' });

    // A row the popover covers: its centre lies inside the popover's box.
    const hintBox = (await hint.boundingBox())!;
    let covered = '';
    for (let i = 1; i <= 6 && !covered; i++) {
      const b = (await row(page, `Row ${i}`).boundingBox())!;
      const y = b.y + b.height / 2;
      if (y > hintBox.y && y < hintBox.y + hintBox.height) covered = `Row ${i}`;
    }
    expect(covered).not.toBe('');
    const target = (await row(page, covered).boundingBox())!;
    // A real mouse click at that point, as a user makes it (no force, no Escape first).
    await page.mouse.click(target.x + target.width / 2, target.y + target.height / 2);
    await page.getByRole('heading', { name: covered }).waitFor({ timeout: 5000 });
    await hint.waitFor({ state: 'hidden' });

    // Focus again, then click elsewhere (the message pane): the popover closes.
    await box.click();
    await hint.waitFor({ state: 'visible' });
    await page.getByRole('heading', { name: covered }).click();
    await hint.waitFor({ state: 'hidden' });

    // Focused by the keyboard, the hint shows; the pointer heading for the list uncovers the rows
    // before any click, and the box keeps its focus.
    await page.keyboard.press('/');
    await hint.waitFor({ state: 'visible' });
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 4 });
    await hint.waitFor({ state: 'hidden' });
    expect(await box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // Typing a query: the rows are the results, and the hint is not over them.
    await box.click();
    await hint.waitFor({ state: 'visible' });
    await box.pressSequentially('Row');
    await hint.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  });
});
