import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, test } from 'vitest';
import { expectUiBuilt, openUi, row } from '../helpers/browser';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/** The live list: paging through thousands of messages, and surviving a lost connection. */

beforeAll(expectUiBuilt);

/**
 * Sends `count` messages over pooled SMTP connections, `Bulk 0001` first and alone (so it is the
 * oldest), the rest 100 at a time: within a batch the order they are stored in may vary.
 */
async function bulk(p: Awaited<ReturnType<typeof start>>, count: number): Promise<void> {
  const width = String(count).length;
  const mail = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
    host: '127.0.0.1',
    port: p.smtpPort,
    ignoreTLS: true,
  });
  const send = (n: number) =>
    mail.sendMail({
      from: 'bulk@example.test',
      to: 'many@example.test',
      subject: `Bulk ${String(n).padStart(width, '0')}`,
      text: `message ${n}`,
    });
  await send(1);
  for (let from = 2; from <= count; from += 100) {
    const batch: Promise<unknown>[] = [];
    for (let n = from; n < Math.min(from + 100, count + 1); n++) batch.push(send(n));
    await Promise.all(batch);
  }
  mail.close();
}

describe('live list', () => {
  test('2,000 messages: only the rows in view exist, each page loads where it belongs, and new mail keeps the place', async () => {
    const p = await start();
    await bulk(p, 2000);
    const ui = await openUi(p.httpUrl);
    const { page } = ui;
    const list = page.getByRole('listbox', { name: 'Messages' });
    await page.getByRole('toolbar', { name: 'Messages' }).getByText('2,000', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('option').first().getAttribute('aria-setsize')).toBe('2000');
    // Virtualised: a screenful of rows, not 2,000.
    expect(await page.getByRole('option').count()).toBeLessThan(40);

    const subjectAt = async (index: number) => {
      const option = page.locator(`#message-row-${index}`);
      await expect.poll(() => option.getAttribute('aria-busy')).toBeNull();
      return (await option.getAttribute('aria-label')) ?? '';
    };
    // The bottom: the oldest message.
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    expect(await subjectAt(1999)).toMatch(/Bulk 0001$/);
    // The middle, by jumping there (a scrollbar drag), not by walking.
    await list.evaluate((el) => el.scrollTo(0, 1000 * 84));
    // Sends within a batch of 100 may be stored in any order, so compare by batch.
    const middle = await subjectAt(1000);
    const n = Number(/Bulk (\d+)$/.exec(middle)?.[1]);
    expect(Math.abs(n - 1000)).toBeLessThan(100);

    // New mail arrives while reading the middle: the rows on screen stay where they are.
    const top = await list.evaluate((el) => el.scrollTop);
    await transport(p).sendMail({
      from: 'late@example.test',
      to: 'many@example.test',
      subject: 'Latecomer',
      text: 'x',
    });
    await page.getByRole('toolbar', { name: 'Messages' }).getByText('2,001', { exact: true }).waitFor();
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(top + 84);
    expect(await subjectAt(1001)).toBe(middle);
    await list.evaluate((el) => el.scrollTo(0, 0));
    await row(page, /Latecomer/).waitFor();
    expect(ui.errors).toEqual([]);
  }, 120_000);

  test('a lost connection shows the offline banner; after the server is back the list catches up', async () => {
    const first = await start();
    await transport(first).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'Before the outage',
      text: 'x',
    });
    const ui = await openUi(first.httpUrl);
    const { page } = ui;
    await row(page, /Before the outage/).waitFor();

    const { port } = new URL(first.httpUrl);
    await first.stop();
    const banner = page.getByRole('status').filter({ hasText: 'Offline' });
    await banner.waitFor();

    // The same address again, as after a restart: a new, empty store, then mail.
    const second = await start({ listen: `127.0.0.1:${port}` });
    await transport(second).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'After the outage',
      text: 'x',
    });
    // Retry at once if still waiting for the backoff (the button is gone if it reconnected already).
    await page
      .getByRole('button', { name: 'Retry now' })
      .click({ timeout: 1000 })
      .catch(() => undefined);
    await banner.waitFor({ state: 'detached' });
    await row(page, /After the outage/).waitFor();
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    // While the server was down the browser logged failed requests; nothing else may go wrong.
    const expected = /ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|Failed to load resource|Failed to fetch/;
    expect(ui.errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
