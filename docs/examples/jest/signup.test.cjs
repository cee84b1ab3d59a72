/* global require, beforeAll, afterAll, beforeEach, test, expect */
/* eslint-disable @typescript-eslint/no-require-imports -- Jest runs CommonJS by default */
const nodemailer = require('nodemailer');
const { code, links, startPigeonhole } = require('pigeonhole');

let mail;
beforeAll(async () => {
  mail = await startPigeonhole(); // SMTP and HTTP on free ports of 127.0.0.1
});
afterAll(() => mail.stop());
beforeEach(() => mail.client.clear());

// Stands in for your app: give its mailer mail.smtpHost and mail.smtpPort.
async function signUp(address) {
  const transport = nodemailer.createTransport({
    host: mail.smtpHost,
    port: mail.smtpPort,
    tls: { rejectUnauthorized: false }, // Pigeonhole's certificate is self-signed
  });
  await transport.sendMail({
    from: 'Example App <no-reply@app.example.test>',
    to: address,
    subject: 'Confirm your address',
    text: 'Your code is 482913. Or open https://app.example.test/confirm?token=t0k3n',
    html: '<p>Your code is <b>482913</b>.</p><a href="https://app.example.test/confirm?token=t0k3n">Confirm</a>',
  });
}

test('sign-up sends a confirmation link and a one-time code', async () => {
  await signUp('alice@example.test');

  const message = await mail.client.waitForMessage({ to: 'alice@example.test' });

  expect(message.Subject).toBe('Confirm your address');
  expect(links(message)).toContain('https://app.example.test/confirm?token=t0k3n');
  expect(code(message)).toBe('482913');
});
