import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { crlf, smimeKit, type SmimeKit } from '../helpers/smime';
import { has, transport } from '../helpers/smtp';

/**
 * The annotated SMTP session tab, the delivery-tracking rows and the S/MIME badge in a real
 * Chromium. SCREENSHOTS=dir keeps a screenshot of each, to look at.
 */

const shots = process.env.SCREENSHOTS;
const withOpenssl = has('openssl');
let kit: SmimeKit | undefined;

beforeAll(async () => {
  expectUiBuilt();
  if (withOpenssl) kit = await smimeKit();
});
afterAll(async () => {
  await kit?.cleanup();
});

describe('session and security in the message view', () => {
  test('the session tab explains each line with its RFC, and the view shows the DSN and read-receipt requests', async () => {
    const p = await start();
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Tracked order',
      text: 'Your order shipped.',
      headers: { 'Disposition-Notification-To': 'receipts@example.test' },
      dsn: { id: 'order-42', return: 'headers', notify: ['success', 'failure'], recipient: 'alice@example.test' },
    });
    await row(page, /Tracked order/).click();
    await page.getByRole('heading', { name: 'Tracked order' }).waitFor();
    const dsn = page.getByTestId('delivery-dsn');
    expect(await dsn.textContent()).toContain('NOTIFY=SUCCESS,FAILURE');
    expect(await dsn.textContent()).toContain('RET=HDRS');
    expect(await page.getByTestId('delivery-receipt').textContent()).toContain('receipts@example.test');

    await page.getByRole('tab', { name: 'SMTP session' }).click();
    const transcript = page.getByRole('list', { name: 'SMTP transcript' });
    await transcript.waitFor();
    const pipelining = transcript.locator('li', { hasText: '250-PIPELINING' });
    expect(await pipelining.textContent()).toContain('without waiting for each reply');
    const rfc = pipelining.getByRole('link', { name: 'RFC 2920' });
    expect(await rfc.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc2920');
    expect(await rfc.getAttribute('target')).toBe('_blank');
    const mail = transcript.locator('li', { hasText: /^.*MAIL FROM:<app@example.test>/ }).first();
    expect(await mail.textContent()).toContain('RET=HDRS');
    expect(await mail.textContent()).toContain('headers only');
    if (shots) {
      await page.screenshot({ path: `${shots}/session-tab.png` });
      await transcript.screenshot({ path: `${shots}/session-transcript.png` });
    }

    // The explanations can be hidden, leaving the bare transcript.
    await page.getByLabel(/Explain each line/).uncheck();
    expect(await pipelining.textContent()).not.toContain('without waiting');
    expect(ui.errors).toEqual([]);
  });

  test.runIf(withOpenssl)('a signed message carries a label in the list and a verified badge in the view', async () => {
    const p = await start();
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const good = await kit!.sign('Content-Type: text/plain\n\nSigned and sound.\n', 'Signed and sound');
    // The body changed after signing (the Subject header is outside what S/MIME signs).
    const bad = (await kit!.sign('Content-Type: text/plain\n\nSigned, then changed.\n', 'Signed then changed')).replace(
      'Signed, then changed.',
      'Signed, then CHANGED.',
    );
    const envelope = { from: 'signer@example.test', to: ['alice@example.test'] };
    await transport(p).sendMail({ envelope, raw: crlf(good) });
    await transport(p).sendMail({ envelope, raw: crlf(bad) });

    const goodRow = row(page, /Signed and sound/);
    await goodRow.waitFor();
    expect(await goodRow.getByTestId('row-security').textContent()).toContain('S/MIME');
    await goodRow.click();
    const badge = page.getByTestId('security-badge');
    await expect.poll(() => badge.textContent()).toContain('S/MIME signed · signature verified: signer@example.test');
    await badge.locator('summary').click();
    expect(await badge.textContent()).toContain('CN=Test CA');
    if (shots) await page.screenshot({ path: `${shots}/badge-verified.png` });

    await row(page, /Signed then changed/).click();
    await expect.poll(() => badge.textContent()).toContain('signature does NOT verify');
    await badge.locator('summary').click();
    expect(await badge.textContent()).toContain('changed after signing');
    if (shots) await page.screenshot({ path: `${shots}/badge-failed.png` });
    expect(ui.errors).toEqual([]);
  });
});
