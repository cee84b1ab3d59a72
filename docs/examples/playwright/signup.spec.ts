import { expect, test } from '@playwright/test';
import { links, startPigeonhole, type Pigeonhole } from 'pigeonhole';

let mail: Pigeonhole;
test.beforeAll(async () => {
  mail = await startPigeonhole();
  // Start your app here (or in globalSetup) with SMTP_HOST=mail.smtpHost and SMTP_PORT=mail.smtpPort.
});
test.afterAll(() => mail.stop());

test('sign up, open the mail, follow the link', async ({ page }) => {
  await page.goto('http://localhost:3000/signup');
  await page.getByLabel('Email').fill('alice@example.test');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByText('Check your inbox')).toBeVisible();

  const message = await mail.client.waitForMessage({ to: 'alice@example.test', subject: 'Confirm' });
  const confirm = links(message).find((link) => link.includes('/confirm'));
  expect(confirm).toBeDefined();

  await page.goto(confirm!);
  await expect(page.getByText('Address confirmed')).toBeVisible();
});
