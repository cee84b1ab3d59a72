import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * The Checks tab in a real Chromium: a message signed with DKIM (key published through the API)
 * shows DKIM, SPF and DMARC pass at a glance, and the signature's details open on a click.
 */

beforeAll(expectUiBuilt);

describe('Checks tab: Authentication', () => {
  test('a signed message shows DKIM pass, and its tags and key source a click away', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p = await start({ dnsOffline: true });
    await p.client.setDns({
      'sel._domainkey.example.test': [
        `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
      ],
      'example.test': ['v=spf1 ip4:127.0.0.1 -all'],
      '_dmarc.example.test': ['v=DMARC1; p=reject'],
    });
    await transport(p).sendMail({
      from: '"Shop" <orders@example.test>',
      to: 'alice@example.net',
      subject: 'Your order',
      text: 'Thanks for your order.',
      dkim: {
        domainName: 'example.test',
        keySelector: 'sel',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      },
    });
    const ui = await openUi(p.httpUrl, { viewport: { width: 1280, height: 900 } });
    const { page } = ui;
    await row(page, /Your order/).click();
    await page.getByRole('tab', { name: 'Checks' }).click();

    const dkim = page.locator('details[data-mechanism="DKIM"]');
    await expect.poll(() => dkim.locator('.check-badge').textContent()).toBe('pass');
    expect(await dkim.locator('summary').textContent()).toContain('d=example.test s=sel, aligned with From');
    expect(await page.locator('details[data-mechanism="SPF"] .check-badge').textContent()).toBe('pass');
    expect(await page.locator('details[data-mechanism="DMARC"] .check-badge').textContent()).toBe('pass');

    // Details a click away: closed at first, then the tags and where the key came from.
    expect(await dkim.getAttribute('open')).toBeNull();
    await dkim.locator('summary').click();
    await expect.poll(() => dkim.getByText('published with PUT /api/v1/dns').isVisible()).toBe(true);
    expect(await dkim.textContent()).toContain('rsa-sha256 (2048-bit key), c=relaxed/relaxed');
    if (process.env.PIGEONHOLE_SCREENSHOT) await page.screenshot({ path: process.env.PIGEONHOLE_SCREENSHOT });
    expect(ui.errors).toEqual([]);
  });
});
