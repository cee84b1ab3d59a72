import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { caught, expectFullMessage, FILES, HTML, loopbackUrl, TEXT } from './helpers/providers';
import { start } from './helpers/pigeonhole';

const ACCESS_KEY = 'AKIAPIGEONHOLETEST01';
const SECRET = 'pigeonhole-secret-access-key';
const SCRIPT = fileURLToPath(new URL('./helpers/ses-sdk.mjs', import.meta.url));

interface SdkResult {
  answer?: { MessageId?: string; status?: number; response?: string };
  error?: { name: string; message: string; status: number | null };
}

/** Runs the official SDK (helpers/ses-sdk.mjs) against Pigeonhole's `endpoint`. */
function sdk(httpUrl: string, input: unknown, options: { via?: 'sdk' | 'nodemailer'; accessKeyId?: string } = {}) {
  const request = {
    endpoint: httpUrl,
    accessKeyId: options.accessKeyId ?? ACCESS_KEY,
    secretAccessKey: SECRET,
    via: options.via ?? 'sdk',
    input,
  };
  return new Promise<SdkResult>((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as SdkResult) : reject(new Error(err))));
    child.stdin.end(JSON.stringify(request));
  });
}

const b64 = (b: Buffer) => ({ base64: b.toString('base64') });

describe('Amazon SES v2 through @aws-sdk/client-sesv2', () => {
  it('catches a full Simple message and answers its MessageId', async () => {
    const p = await start({ providerApiKey: ACCESS_KEY });
    const { answer, error } = await sdk(loopbackUrl(p), {
      FromEmailAddress: 'The App <app@example.test>',
      Destination: {
        ToAddresses: ['Alice <alice@example.test>'],
        CcAddresses: ['carol@example.test'],
        BccAddresses: ['bob@example.test'],
      },
      ReplyToAddresses: ['support@example.test'],
      Content: {
        Simple: {
          Subject: { Data: 'SES full' },
          Body: { Text: { Data: TEXT }, Html: { Data: HTML } },
          Headers: [{ Name: 'X-Campaign', Value: 'spring' }],
          Attachments: [
            { FileName: FILES.pdf.filename, RawContent: b64(FILES.pdf.content), ContentType: FILES.pdf.type },
            { FileName: FILES.csv.filename, RawContent: b64(FILES.csv.content), ContentType: FILES.csv.type },
            {
              FileName: FILES.logo.filename,
              RawContent: b64(FILES.logo.content),
              ContentType: FILES.logo.type,
              ContentDisposition: 'INLINE',
              ContentId: 'logo',
            },
          ],
        },
      },
      EmailTags: [{ Name: 'welcome', Value: 'yes' }],
    });
    expect(error).toBeUndefined();
    expect(answer!.status).toBe(200);
    expect(answer!.MessageId).toMatch(/^010001[0-9a-f]{10}-[0-9a-f-]{36}-000000$/);
    const { message, session } = await caught(p, 'SES full');
    await expectFullMessage(p, message, session, {
      via: 'ses',
      tags: ['welcome:yes'],
      header: ['X-Campaign', 'spring'],
      secret: SECRET,
    });
    expect(session.Transcript.map((l) => l.Line)).toContain('authorization: AWS4-HMAC-SHA256 ********');
    expect((await p.client.search(`message-id:${answer!.MessageId}`)).messages.map((m) => m.ID)).toEqual([message.ID]);
  });

  it("throws the SDK's own exceptions: BadRequestException, UnrecognizedClientException", async () => {
    const p = await start({ providerApiKey: ACCESS_KEY });
    const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };
    const noFrom = await sdk(loopbackUrl(p), { Destination: { ToAddresses: ['a@example.test'] }, Content: simple });
    expect(noFrom.error).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(noFrom.error!.message).toMatch(/FromEmailAddress/);
    const wrong = await sdk(
      loopbackUrl(p),
      { FromEmailAddress: 'a@example.test', Destination: { ToAddresses: ['b@example.test'] }, Content: simple },
      { accessKeyId: 'AKIAWRONG' },
    );
    expect(wrong.error).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
    expect((await p.client.messages()).total).toBe(0);
  });
});

describe("nodemailer's SES transport (Raw content through @aws-sdk/client-sesv2)", () => {
  it('stores the raw message nodemailer built, Bcc in the envelope only', async () => {
    const p = await start();
    const mail = {
      from: '"The App" <app@example.test>',
      to: 'Alice <alice@example.test>',
      cc: 'carol@example.test',
      bcc: 'bob@example.test',
      replyTo: 'support@example.test',
      subject: 'SES raw',
      text: TEXT,
      html: HTML,
      headers: { 'X-Campaign': 'spring', 'X-Tags': 'welcome' },
      attachments: [
        { filename: FILES.pdf.filename, content: b64(FILES.pdf.content), contentType: FILES.pdf.type },
        { filename: FILES.csv.filename, content: b64(FILES.csv.content), contentType: FILES.csv.type },
        { filename: FILES.logo.filename, content: b64(FILES.logo.content), contentType: FILES.logo.type, cid: 'logo' },
      ],
    };
    const { answer, error } = await sdk(loopbackUrl(p), mail, { via: 'nodemailer' });
    expect(error).toBeUndefined();
    expect(answer!.response).toMatch(/^010001/);
    const { message, session } = await caught(p, 'SES raw');
    await expectFullMessage(p, message, session, {
      via: 'ses',
      tags: ['welcome'],
      header: ['X-Campaign', 'spring'],
      secret: SECRET,
    });
  });
});
