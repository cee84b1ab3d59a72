import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { describe, expect, it } from 'vitest';
import { caught, expectFullMessage, FILES, HTML, loopbackUrl, TEXT } from './helpers/providers';
import { start } from './helpers/pigeonhole';

const KEY = 'key-0123456789abcdef';
const DOMAIN = 'mg.example.test';

/** The official SDK, pointed at Pigeonhole with its `url` option. */
function sdk(httpUrl: string, key = KEY) {
  return new Mailgun(FormData).client({ username: 'api', key, url: httpUrl });
}

describe('Mailgun through mailgun.js', () => {
  it('catches a full message from multipart form fields and files', async () => {
    const p = await start({ providerApiKey: KEY });
    const answer = await sdk(loopbackUrl(p)).messages.create(DOMAIN, {
      from: 'The App <app@example.test>',
      to: ['Alice <alice@example.test>'],
      cc: 'carol@example.test',
      bcc: 'bob@example.test',
      'h:Reply-To': 'support@example.test',
      subject: 'Mailgun full',
      text: TEXT,
      html: HTML,
      'h:X-Campaign': 'spring',
      'o:tag': ['welcome', 'onboarding'],
      'v:user_id': '42',
      attachment: [
        { filename: FILES.pdf.filename, data: FILES.pdf.content, contentType: FILES.pdf.type },
        { filename: FILES.csv.filename, data: FILES.csv.content, contentType: FILES.csv.type },
      ],
      // Mailgun refers to an inline image by its file name.
      inline: [{ filename: 'logo', data: FILES.logo.content, contentType: FILES.logo.type }],
    });
    expect(answer.status).toBe(200);
    expect(answer.message).toBe('Queued. Thank you.');
    expect(answer.id).toMatch(new RegExp(`^<\\d{14}\\.[0-9a-f]{16}@${DOMAIN.replace(/\./g, '\\.')}>$`));
    const { message, session } = await caught(p, 'Mailgun full');
    await expectFullMessage(p, message, session, {
      via: 'mailgun',
      tags: ['onboarding', 'welcome'],
      header: ['X-Campaign', 'spring'],
      secret: KEY,
    });
    expect(message.MessageID).toBe(answer.id!.slice(1, -1));
    expect(session.Transcript.map((l) => l.Line)).toContain('authorization: Basic ********');
  });

  it('stores a messages.mime upload byte for byte, to the form’s recipients', async () => {
    const p = await start();
    const mime = Buffer.from(
      'From: app@example.test\r\nTo: a@example.test\r\nSubject: Mailgun mime\r\n\r\nraw body\r\n',
    );
    const answer = await sdk(loopbackUrl(p)).messages.create(DOMAIN, {
      to: ['a@example.test', 'hidden@example.test'],
      message: mime,
    } as never);
    expect(answer.status).toBe(200);
    const { message, session } = await caught(p, 'Mailgun mime');
    expect(Buffer.from(await p.client.raw(message.ID))).toEqual(mime);
    expect(session.RcptTo).toEqual(['a@example.test', 'hidden@example.test']);
    expect(message.Bcc).toEqual([{ Name: '', Address: 'hidden@example.test' }]);
  });

  it("throws the SDK's own error: a missing from, a wrong key", async () => {
    const p = await start({ providerApiKey: KEY });
    const noFrom = await sdk(loopbackUrl(p))
      .messages.create(DOMAIN, { to: 'a@example.test', subject: 's', text: 't' } as never)
      .catch((err: unknown) => err);
    expect(noFrom).toMatchObject({ status: 400, details: 'from parameter is missing' });
    const wrong = await sdk(loopbackUrl(p), 'key-wrong')
      .messages.create(DOMAIN, { from: 'app@example.test', to: 'a@example.test', subject: 's', text: 't' })
      .catch((err: unknown) => err);
    expect(wrong).toMatchObject({ status: 401 });
    expect((await p.client.messages()).total).toBe(0);
  });
});
