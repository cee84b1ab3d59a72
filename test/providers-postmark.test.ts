import { ServerClient } from 'postmark';
import { describe, expect, it } from 'vitest';
import { caught, expectFullMessage, FILES, HTML, loopbackUrl, TEXT } from './helpers/providers';
import { start } from './helpers/pigeonhole';

const TOKEN = 'postmark-server-token-0123';

/** The official SDK, pointed at Pigeonhole: its request host, plain HTTP. */
function sdk(httpUrl: string, token = TOKEN): ServerClient {
  return new ServerClient(token, { requestHost: new URL(httpUrl).host, useHttps: false });
}

const b64 = (b: Buffer) => b.toString('base64');

describe('Postmark through the postmark SDK', () => {
  it('catches a full message and answers its MessageID', async () => {
    const p = await start({ providerApiKey: TOKEN });
    const answer = await sdk(loopbackUrl(p)).sendEmail({
      From: 'The App <app@example.test>',
      To: 'Alice <alice@example.test>',
      Cc: 'carol@example.test',
      Bcc: 'bob@example.test',
      ReplyTo: 'support@example.test',
      Subject: 'Postmark full',
      TextBody: TEXT,
      HtmlBody: HTML,
      Tag: 'welcome',
      Headers: [{ Name: 'X-Campaign', Value: 'spring' }],
      Metadata: { user_id: '42' },
      Attachments: [
        { Name: FILES.pdf.filename, Content: b64(FILES.pdf.content), ContentType: FILES.pdf.type, ContentID: null },
        { Name: FILES.csv.filename, Content: b64(FILES.csv.content), ContentType: FILES.csv.type, ContentID: null },
        {
          Name: FILES.logo.filename,
          Content: b64(FILES.logo.content),
          ContentType: FILES.logo.type,
          ContentID: 'cid:logo',
        },
      ],
    });
    expect(answer).toMatchObject({ ErrorCode: 0, Message: 'OK', To: 'Alice <alice@example.test>' });
    expect(answer.MessageID).toMatch(/^[0-9a-f-]{36}$/);
    const { message, session } = await caught(p, 'Postmark full');
    await expectFullMessage(p, message, session, {
      via: 'postmark',
      tags: ['welcome'],
      header: ['X-Campaign', 'spring'],
      secret: TOKEN,
    });
    expect(session.Transcript.map((l) => l.Line)).toContain('x-postmark-server-token: ********');
    expect((await p.client.search(`message-id:${answer.MessageID}`)).messages.map((m) => m.ID)).toEqual([message.ID]);
  });

  it('sends a batch, one message and one result each, a bad one refused alone', async () => {
    const p = await start();
    const results = await sdk(loopbackUrl(p)).sendEmailBatch([
      { From: 'app@example.test', To: 'a@example.test', Subject: 'batch one', TextBody: 'one' },
      { From: 'app@example.test', To: 'not an address', Subject: 'batch bad', TextBody: 'bad' },
      { From: 'app@example.test', To: 'b@example.test', Subject: 'batch two', TextBody: 'two' },
    ]);
    expect(results.map((r) => r.ErrorCode)).toEqual([0, 300, 0]);
    expect(results[1]!.Message).toMatch(/Illegal email address/);
    const list = await p.client.waitForMessages({ count: 2, query: 'via:postmark', timeout: 5000 });
    expect(list.map((m) => m.Subject).sort()).toEqual(['batch one', 'batch two']);
  });

  it("throws the SDK's own errors: InvalidEmailRequestError (code 300) for no recipient, InvalidAPIKeyError for a wrong token", async () => {
    const p = await start({ providerApiKey: TOKEN });
    const noRecipient = await sdk(loopbackUrl(p))
      .sendEmail({ From: 'app@example.test', Subject: 's', TextBody: 't' } as never)
      .catch((err: unknown) => err);
    expect(noRecipient).toMatchObject({
      name: 'InvalidEmailRequestError',
      code: 300,
      statusCode: 422,
      message: 'Zero recipients specified',
    });
    const wrong = await sdk(loopbackUrl(p), 'wrong')
      .sendEmail({ From: 'app@example.test', To: 'a@example.test', Subject: 's', TextBody: 't' })
      .catch((err: unknown) => err);
    expect(wrong).toMatchObject({ name: 'InvalidAPIKeyError', code: 10, statusCode: 401 });
    expect((await p.client.messages()).total).toBe(0);
  });
});
