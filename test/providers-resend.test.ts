import { describe, expect, it } from 'vitest';
import { caught, expectFullMessage, FILES, HTML, loopbackUrl, TEXT } from './helpers/providers';
import { start } from './helpers/pigeonhole';

const KEY = 're_test_0123456789';

type Answer = { data: { id?: string; data?: { id: string }[] } | null; error: Record<string, unknown> | null };
interface ResendSdk {
  emails: { send(email: Record<string, unknown>): Promise<Answer> };
  batch: { send(emails: Record<string, unknown>[]): Promise<Answer> };
}

// Loaded untyped: the SDK's declarations import React's, whose globals change the DOM types that
// the browser tests of this workspace compile against.
const { Resend } = (await import('resend' as string)) as {
  Resend: new (key: string, options: { baseUrl: string }) => ResendSdk;
};

/** The official SDK, pointed at Pigeonhole with its `baseUrl` option (or RESEND_BASE_URL). */
function sdk(httpUrl: string, key = KEY): ResendSdk {
  return new Resend(key, { baseUrl: httpUrl });
}

describe('Resend through the resend SDK', () => {
  it('catches a full message and answers its id', async () => {
    const p = await start({ providerApiKey: KEY });
    const { data, error } = await sdk(loopbackUrl(p)).emails.send({
      from: 'The App <app@example.test>',
      to: ['Alice <alice@example.test>'],
      cc: 'carol@example.test',
      bcc: ['bob@example.test'],
      replyTo: 'support@example.test',
      subject: 'Resend full',
      text: TEXT,
      html: HTML,
      headers: { 'X-Campaign': 'spring' },
      tags: [{ name: 'welcome', value: 'yes' }],
      attachments: [
        { filename: FILES.pdf.filename, content: FILES.pdf.content, contentType: FILES.pdf.type },
        { filename: FILES.csv.filename, content: FILES.csv.content, contentType: FILES.csv.type },
        { filename: FILES.logo.filename, content: FILES.logo.content, contentType: FILES.logo.type, contentId: 'logo' },
      ],
    });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const { message, session } = await caught(p, 'Resend full');
    await expectFullMessage(p, message, session, {
      via: 'resend',
      tags: ['welcome:yes'],
      header: ['X-Campaign', 'spring'],
      secret: KEY,
    });
    expect((await p.client.search(`message-id:${data!.id}`)).messages.map((m) => m.ID)).toEqual([message.ID]);
  });

  it('sends a batch: one message and one id each', async () => {
    const p = await start();
    const { data, error } = await sdk(loopbackUrl(p)).batch.send([
      { from: 'app@example.test', to: 'a@example.test', subject: 'resend one', text: 'one' },
      { from: 'app@example.test', to: 'b@example.test', subject: 'resend two', text: 'two' },
    ]);
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(2);
    const list = await p.client.waitForMessages({ count: 2, query: 'via:resend', timeout: 5000 });
    expect(list.map((m) => m.Subject).sort()).toEqual(['resend one', 'resend two']);
  });

  it("returns the SDK's own error objects: a missing field, a wrong key", async () => {
    const p = await start({ providerApiKey: KEY });
    const noTo = await sdk(loopbackUrl(p)).emails.send({ from: 'app@example.test', subject: 's', text: 't' });
    expect(noTo.error).toMatchObject({
      statusCode: 422,
      name: 'missing_required_field',
      message: 'Missing `to` field.',
    });
    const wrong = await sdk(loopbackUrl(p), 're_wrong').emails.send({
      from: 'app@example.test',
      to: 'a@example.test',
      subject: 's',
      text: 't',
    });
    expect(wrong.error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    expect((await p.client.messages()).total).toBe(0);
  });
});
