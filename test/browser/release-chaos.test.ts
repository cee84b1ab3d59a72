import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/** The Release dialog and the Chaos panel: shown when the server offers them, hidden otherwise. */

beforeAll(expectUiBuilt);

describe('release and chaos', () => {
  test('without a relay or chaos the controls are hidden', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Plain server', text: 'x' });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await row(page, /Plain server/).click();
    await page.getByRole('heading', { name: 'Plain server' }).waitFor();
    const actions = page.getByRole('toolbar', { name: 'Message actions' });
    await actions.getByRole('button', { name: 'Delete' }).waitFor();
    expect(await actions.getByRole('button', { name: 'Release' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Chaos/ }).count()).toBe(0);
    expect(ui.errors).toEqual([]);
  });

  test('Release sends the message through the relay to the addresses given', async () => {
    const target = await start();
    const p = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: target.smtpPort });
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'Release me',
      text: 'the body',
    });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await row(page, /Release me/).click();
    await page.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Release' }).click();
    const dialog = page.getByRole('dialog', { name: 'Release message' });
    const input = dialog.getByRole('textbox', { name: 'Recipients' });
    expect(await input.inputValue()).toBe('b@example.test');
    await input.fill('real@example.test, other@example.test');
    await dialog.getByRole('button', { name: 'Release' }).click();
    await dialog.getByText('Released to real@example.test, other@example.test').waitFor();
    const arrived = await target.client.waitForMessage({ subject: 'Release me', timeout: 10_000 });
    expect(arrived.Text).toContain('the body');
    const session = await target.client.session(arrived.ID);
    expect(session.RcptTo.sort()).toEqual(['other@example.test', 'real@example.test']);
    expect(ui.errors).toEqual([]);
  });

  test('the Chaos panel arms a trigger that the SMTP server then applies', async () => {
    const p = await start({ enableChaos: true });
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    await page.getByRole('button', { name: 'Chaos' }).click();
    const panel = page.getByRole('dialog', { name: 'Chaos' });
    await panel.getByText('Nothing is armed.').waitFor();
    await panel.getByRole('spinbutton', { name: 'RCPT TO error code' }).fill('452');
    await panel.getByRole('slider', { name: 'RCPT TO probability' }).fill('100');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await panel.getByText('Saved.').waitFor();
    const triggers = await p.client.json<{ Recipient: { ErrorCode: number; Probability: number } }>('GET', 'chaos');
    expect(triggers.Recipient).toEqual({ ErrorCode: 452, Probability: 100 });
    await expect(
      transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 452 });
    await panel.getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('button', { name: 'Chaos (armed)' }).waitFor();
    expect(ui.errors).toEqual([]);
  });
});
