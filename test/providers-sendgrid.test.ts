import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { describe, expect, it } from 'vitest';
import { caught, expectFullMessage, FILES, HTML, loopbackUrl, TEXT } from './helpers/providers';
import { start } from './helpers/pigeonhole';

const KEY = 'SG.test-key-0123456789';

/** The official SDK, pointed at Pigeonhole: the base URL is set after the key (setApiKey resets it). */
function sdk(baseUrl: string, key = KEY): MailService {
  const client = new Client();
  client.setApiKey(key);
  client.setDefaultRequest('baseUrl', `${baseUrl}/`);
  const mail = new MailService();
  mail.setClient(client);
  return mail;
}

const b64 = (b: Buffer) => b.toString('base64');

describe('SendGrid v3 through @sendgrid/mail', () => {
  it('catches a full message: text, HTML, cc, bcc, reply-to, attachments, inline image, headers, categories', async () => {
    const p = await start({ providerApiKey: KEY });
    const mail = sdk(loopbackUrl(p));
    const [response] = await mail.send({
      from: { email: 'app@example.test', name: 'The App' },
      to: { email: 'alice@example.test', name: 'Alice' },
      cc: 'carol@example.test',
      bcc: 'bob@example.test',
      replyTo: 'support@example.test',
      subject: 'SendGrid full',
      text: TEXT,
      html: HTML,
      attachments: [
        { content: b64(FILES.pdf.content), filename: FILES.pdf.filename, type: FILES.pdf.type },
        { content: b64(FILES.csv.content), filename: FILES.csv.filename, type: FILES.csv.type },
        {
          content: b64(FILES.logo.content),
          filename: FILES.logo.filename,
          type: FILES.logo.type,
          disposition: 'inline',
          contentId: 'logo',
        },
      ],
      headers: { 'X-Campaign': 'spring' },
      categories: ['welcome', 'onboarding'],
      customArgs: { user_id: '42' },
    });
    expect(response.statusCode).toBe(202);
    const messageId = response.headers['x-message-id'] as string;
    expect(messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const { message, session } = await caught(p, 'SendGrid full');
    await expectFullMessage(p, message, session, {
      via: 'sendgrid',
      tags: ['onboarding', 'welcome'],
      header: ['X-Campaign', 'spring'],
      secret: KEY,
    });
    expect((await p.client.headers(message.ID))['X-Pigeonhole-Metadata']).toEqual(['{"user_id":"42"}']);
    // The answer's ID finds the message, and `via:` does too.
    expect((await p.client.search(`message-id:${messageId}`)).messages.map((m) => m.ID)).toEqual([message.ID]);
    expect((await p.client.search('via:sendgrid')).messages_count).toBe(1);
    expect((await p.client.search('via:smtp')).messages_count).toBe(0);
    const transcript = session.Transcript.map((l) => l.Line);
    expect(transcript).toContain('authorization: Bearer ********');
    expect(transcript).toContain('from.email: "app@example.test"');
    expect(
      transcript.some((l) => /^attachments\[0\]\.content: \[attachment content: \d+ characters, elided\]$/.test(l)),
    ).toBe(true);
    expect(transcript).toContain(`x-message-id: ${messageId}`);
  });

  it('makes one message per personalization, with its substitutions and its own recipients', async () => {
    const p = await start();
    const mail = sdk(loopbackUrl(p));
    await mail.send({
      from: 'app@example.test',
      // The SDK wraps substitution keys as {{name}}.
      subject: 'Hi {{name}}',
      text: 'Dear {{name}}',
      personalizations: [
        { to: 'a@example.test', substitutions: { name: 'Ann' } },
        { to: 'b@example.test', substitutions: { name: 'Ben' } },
      ],
    });
    const list = await p.client.waitForMessages({ count: 2, query: 'via:sendgrid', timeout: 5000 });
    const bySubject = Object.fromEntries(list.map((m) => [m.Subject, m.To.map((a) => a.Address)]));
    expect(bySubject).toEqual({ 'Hi Ann': ['a@example.test'], 'Hi Ben': ['b@example.test'] });
  });

  it('keeps a template ID and its data, and says plainly it was not rendered', async () => {
    const p = await start();
    await sdk(loopbackUrl(p)).send({
      from: 'app@example.test',
      to: 'a@example.test',
      subject: 'Templated',
      templateId: 'd-0123456789abcdef',
      dynamicTemplateData: { first_name: 'Ann' },
    });
    const { message } = await caught(p, 'Templated');
    expect(message.Text).toContain('d-0123456789abcdef');
    expect(message.Text).toContain('cannot render');
    expect(message.Text).toContain('"first_name": "Ann"');
  });

  it("throws the SDK's own error for a bad request and for a wrong key, storing nothing", async () => {
    const p = await start({ providerApiKey: KEY });
    const noFrom = await sdk(loopbackUrl(p))
      .send({ to: 'a@example.test', subject: 's', text: 't' } as never)
      .catch((err: unknown) => err);
    expect(noFrom).toMatchObject({ code: 400 });
    const body = (noFrom as { response: { body: { errors: { field: string; message: string }[] } } }).response.body;
    expect(body.errors[0]).toMatchObject({ field: 'from.email' });
    expect(body.errors[0]!.message).toMatch(/^The from object must be provided/);

    const wrongKey = await sdk(loopbackUrl(p), 'SG.wrong')
      .send({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 't' })
      .catch((err: unknown) => err);
    expect(wrongKey).toMatchObject({ code: 401 });
    expect((await p.client.messages()).total).toBe(0);
  });
});
