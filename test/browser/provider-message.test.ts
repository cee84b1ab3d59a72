import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe('an API message in the UI', () => {
  it('shows the provider in the list and the view, and the HTTP request in its session tab', async () => {
    expectUiBuilt();
    const p = await start({ providerApiKey: 'SG.secret-key-in-ui' });
    const res = await fetch(`${p.httpUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer SG.secret-key-in-ui' },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: 'alice@example.test', name: 'Alice' }] }],
        from: { email: 'app@example.test', name: 'The App' },
        subject: 'Welcome through SendGrid',
        content: [{ type: 'text/plain', value: 'Hello Alice' }],
        attachments: [
          { content: Buffer.from('%PDF-1.4').toString('base64'), filename: 'invoice.pdf', type: 'application/pdf' },
        ],
        categories: ['welcome'],
      }),
    });
    expect(res.status).toBe(202);
    const { page, errors } = await openUi(p.httpUrl);
    const item = row(page, /Welcome through SendGrid/);
    await expect.poll(() => item.textContent()).toContain('via SendGrid');
    await item.click();
    await expect.poll(() => page.getByText('SendGrid HTTP API').count()).toBe(1);
    await page.getByRole('tab', { name: 'HTTP request' }).click();
    const request = page.getByRole('list', { name: 'HTTP request' });
    await expect.poll(() => request.textContent()).toContain('POST /v3/mail/send HTTP/1.1');
    const text = (await request.textContent()) ?? '';
    expect(text).toContain('authorization: Bearer ********');
    expect(text).toContain('[attachment content: 12 characters, elided]');
    expect(text).toContain('HTTP/1.1 202 Accepted');
    expect(text).not.toContain('SG.secret-key-in-ui');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}provider-session.png` });
    expect(errors).toEqual([]);
  });
});
