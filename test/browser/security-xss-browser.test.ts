import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * Stored XSS, in a real Chromium: a message whose HTML, plain text, subject, sender name and
 * attachment name all carry script is opened in the UI and its HTML view is opened in a tab of its
 * own. Each payload calls a beacon server on 127.0.0.1 with a path naming it; a plain image may load
 * (remote images are allowed), a script never runs.
 */

beforeAll(expectUiBuilt);

let beacon: http.Server;
let base = '';
const hits: string[] = [];

beforeEach(async () => {
  hits.length = 0;
  beacon = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('access-control-allow-origin', '*');
    res.end('');
  });
  await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => beacon.close(resolve));
});

// An image beacon: img-src allows remote images under every policy here, so a script that ran would
// be heard even where connect-src or an opaque origin would stop fetch() and top.* access.
const call = (what: string) => `new Image().src='${base}/xss/${what}';top.__pwned='${what}'`;

function hostileMail() {
  return {
    from: `"<img src=x onerror=${call('from')}>" <evil@example.test>`,
    to: 'victim@example.test',
    subject: `<script>${call('subject')}</script><img src=x onerror="${call('subject-img')}">`,
    text: `<script>${call('text')}</script>\n<img src=x onerror="${call('text-img')}">`,
    html:
      `<p>Hello</p><script>${call('script')}</script>` +
      `<img src="x" onerror="${call('onerror')}">` +
      `<svg onload="${call('svg')}"><circle r="1"/></svg>` +
      `<a id="js" href="javascript:${call('javascript-url')}">click</a>` +
      `<iframe srcdoc="<script>${call('srcdoc')}</script>"></iframe>` +
      `<meta http-equiv="refresh" content="0;url=javascript:${call('refresh')}">` +
      `<form action="${base}/xss/form" method="post"><button id="submit">go</button></form>` +
      `<img src="${base}/allowed/remote-image.png">`,
    attachments: [
      { filename: `<img src=x onerror="${call('filename')}">.html`, content: `<script>${call('part')}</script>` },
    ],
  };
}

describe('stored XSS', () => {
  test('no payload of a hostile message runs in the inbox, its tabs, or its HTML view', async () => {
    const p = await start();
    await transport(p).sendMail(hostileMail());
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const message = row(page, /Hello|onerror|script/);
    await message.waitFor();
    await message.click();
    const frame = page.frameLocator('iframe[title="HTML body of the message"]');
    await frame.locator('p').first().waitFor();
    // Clicks that would run script if anything allowed it.
    await frame
      .locator('#js')
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await frame
      .locator('#submit')
      .click({ timeout: 2000 })
      .catch(() => undefined);
    // Every tab of the message view.
    for (const name of ['Text', 'Headers', 'Raw', 'Source', 'Parts', 'Attachments', 'Session', 'HTML']) {
      const tab = page.getByRole('tab', { name, exact: false });
      if ((await tab.count()) > 0) await tab.first().click();
    }
    // The HTML view and the HTML attachment, opened directly in tabs of their own.
    const id = (await p.client.messages()).messages[0]!.ID;
    const direct = await ui.context.newPage();
    await direct.goto(`${p.httpUrl}/view/${id}.html`);
    const detail = (await (await fetch(`${p.httpUrl}/api/v1/message/${id}`)).json()) as {
      Attachments: { PartID: string }[];
    };
    const part = await ui.context.newPage();
    await part.goto(`${p.httpUrl}/api/v1/message/${id}/part/${detail.Attachments[0]!.PartID}`).catch(() => undefined);
    await page.waitForTimeout(500);

    expect(hits.filter((h) => h.startsWith('/xss/'))).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await direct.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(ui.dialogs).toEqual([]);
    // The UI moves its own URL as a message opens (?id=...); nothing may take the page elsewhere.
    expect(ui.navigations.filter((url) => !url.startsWith(`${p.httpUrl}/`))).toEqual([]);
    // The harmless remote image did load: the beacon is reachable, so silence above means something.
    expect(hits).toContain('/allowed/remote-image.png');
  });
});
