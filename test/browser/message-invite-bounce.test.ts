import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from '../fixtures/raw-smtp';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

async function deliver(port: number, name: string): Promise<string> {
  const { smtp } = await RawSmtp.connect(port);
  await smtp.command('EHLO ui.example.test');
  const reply = await smtp.sendMail(
    'sender@example.test',
    ['eli@example.test'],
    readFileSync(new URL(`../fixtures/mime/${name}`, import.meta.url)),
  );
  await smtp.quit();
  return queuedId(reply);
}

describe('invites and bounces in the message view', () => {
  it('shows an invite as an event card above the body, with its .ics download', async () => {
    expectUiBuilt();
    const p = await start();
    await deliver(p.smtpPort, 'invite-timezone.eml');
    const { page, errors } = await openUi(p.httpUrl);
    await row(page, /Architecture review/).click();
    const card = page.getByTestId('calendar-event');
    await expect.poll(() => card.textContent()).toContain('Architecture review');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Invitation');
    expect(text).toContain('Room Kepler');
    expect(text).toContain('Organizer: Dana Lead');
    expect(text).toContain('Fay Ops tentative (optional)');
    expect(await card.getByRole('link', { name: '.ics' }).getAttribute('download')).toBe('part-2.ics');
    // The invite is listed among the attachments too, downloadable under the same name.
    await expect.poll(() => page.getByRole('link', { name: 'Download part-2.ics' }).count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}message-invite.png` });
    expect(errors).toEqual([]);
  });

  it('shows a bounce as the status of each recipient, with the returned message', async () => {
    expectUiBuilt();
    const p = await start();
    await deliver(p.smtpPort, 'bounce-dsn.eml');
    const { page, errors } = await openUi(p.httpUrl);
    await row(page, /Undelivered Mail Returned/).click();
    const report = page.getByTestId('delivery-report');
    await expect.poll(() => report.textContent()).toContain('nobody@example.test');
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('failed');
    expect(rows[0]).toContain('5.1.1');
    expect(rows[1]).toContain('delayed');
    expect(await report.getByRole('link', { name: 'Returned message' }).getAttribute('href')).toMatch(/\/part\/3$/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}message-bounce.png` });
    // The MIME tab shows what the model made of each part: the same rule as the list and the JSON.
    await page.getByRole('tab', { name: 'MIME' }).click();
    const table = page.getByRole('table', { name: 'MIME structure' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(5);
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.children[1]?.textContent, tr.children[5]?.textContent]));
    expect(shown).toEqual([
      ['root', '—'],
      ['1', 'body'],
      ['2', 'attachment'],
      ['3', 'attachment'],
      // Inside the returned message: that message is the part.
      ['3.1', 'in part 3'],
    ]);
    await page.screenshot({ path: `${ARTIFACTS}message-bounce-mime.png` });
    expect(errors).toEqual([]);
  });
});
