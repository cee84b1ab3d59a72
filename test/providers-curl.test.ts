import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has } from './helpers/tools';

const run = promisify(execFile);

/**
 * curl as each provider's documentation shows it, with the provider's host swapped for Pigeonhole's
 * (127.0.0.1 only). Prints the body, then the status on a line of its own.
 */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe.skipIf(!has('curl'))('provider APIs with curl, as their documentation shows', () => {
  it('SendGrid: the v3 Mail Send quickstart', async () => {
    const p = await start();
    const res = await curl([
      '--request',
      'POST',
      '--url',
      `${p.httpUrl}/v3/mail/send`,
      '--header',
      'Authorization: Bearer SG.example-key',
      '--header',
      'Content-Type: application/json',
      '--data',
      '{"personalizations": [{"to": [{"email": "test@example.com"}]}],"from": {"email": "test@example.com"},"subject": "Sending with SendGrid is Fun","content": [{"type": "text/plain", "value": "and easy to do anywhere, even with cURL"}]}',
    ]);
    expect(res.status).toBe(202);
    const m = await p.client.waitForMessage({ subject: 'Sending with SendGrid is Fun', timeout: 5000 });
    expect(m.Text.trim()).toBe('and easy to do anywhere, even with cURL');
    expect(m.Via).toBe('sendgrid');
  });

  it('Mailgun: the sending quickstart with -F form fields', async () => {
    const p = await start();
    const res = await curl([
      '-s',
      '--user',
      'api:key-example',
      `${p.httpUrl}/v3/sandbox123.mailgun.org/messages`,
      '-F',
      'from=Excited User <mailgun@sandbox123.mailgun.org>',
      '-F',
      'to=you@example.test',
      '-F',
      'to=bar@example.com',
      '-F',
      'subject=Hello',
      '-F',
      'text=Testing some Mailgun awesomeness!',
    ]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      message: 'Queued. Thank you.',
      id: expect.stringMatching(/@sandbox123\.mailgun\.org>$/),
    });
    const m = await p.client.waitForMessage({ subject: 'Hello', timeout: 5000 });
    expect(m.To.map((a) => a.Address)).toEqual(['you@example.test', 'bar@example.com']);
    expect(m.From).toEqual({ Name: 'Excited User', Address: 'mailgun@sandbox123.mailgun.org' });
  });

  it('Postmark: the send-email example', async () => {
    const p = await start();
    const res = await curl([
      `${p.httpUrl}/email`,
      '-X',
      'POST',
      '-H',
      'Accept: application/json',
      '-H',
      'Content-Type: application/json',
      '-H',
      'X-Postmark-Server-Token: server token',
      '-d',
      '{"From": "sender@example.com","To": "receiver@example.com","Subject": "Postmark test","TextBody": "Hello dear Postmark user.","HtmlBody": "<html><body><strong>Hello</strong> dear Postmark user.</body></html>","MessageStream": "outbound"}',
    ]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ To: 'receiver@example.com', ErrorCode: 0, Message: 'OK' });
    const m = await p.client.waitForMessage({ subject: 'Postmark test', timeout: 5000 });
    expect(m.HTML).toContain('<strong>Hello</strong>');
  });

  it('Resend: the send-email example', async () => {
    const p = await start();
    const res = await curl([
      '-X',
      'POST',
      `${p.httpUrl}/emails`,
      '-H',
      'Authorization: Bearer re_123456789',
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"from": "Acme <onboarding@resend.dev>","to": ["delivered@resend.dev"],"subject": "hello world","html": "<p>it works!</p>","reply_to": "onboarding@resend.dev"}',
    ]);
    expect(res.status).toBe(200);
    const { id } = JSON.parse(res.body) as { id: string };
    const m = await p.client.waitForMessage({ subject: 'hello world', timeout: 5000 });
    expect(m.ReplyTo).toEqual([{ Name: '', Address: 'onboarding@resend.dev' }]);
    expect((await p.client.search(`message-id:${id}`)).messages_count).toBe(1);
  });

  it('Amazon SES v1 Query API: SendEmail, answered in XML', async () => {
    const p = await start();
    const res = await curl([
      '-X',
      'POST',
      `${p.httpUrl}/`,
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '-H',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ses/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef',
      '--data-urlencode',
      'Action=SendEmail',
      '--data-urlencode',
      'Source=user@example.com',
      '--data-urlencode',
      'Destination.ToAddresses.member.1=allan@example.com',
      '--data-urlencode',
      'Message.Subject.Data=Example Subject',
      '--data-urlencode',
      'Message.Body.Text.Data=Example Body',
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /^<SendEmailResponse xmlns="http:\/\/ses\.amazonaws\.com\/doc\/2010-12-01\/"><SendEmailResult><MessageId>010001/,
    );
    const m = await p.client.waitForMessage({ subject: 'Example Subject', timeout: 5000 });
    expect(m.To).toEqual([{ Name: '', Address: 'allan@example.com' }]);
    const session = await p.client.session(m.ID);
    expect(session.Transcript.map((l) => l.Line)).toContain('authorization: AWS4-HMAC-SHA256 ********');
  });

  it('Amazon SES v1: SendRawEmail, and an unknown action in SES’s XML error shape', async () => {
    const p = await start();
    const raw = Buffer.from('From: a@example.com\r\nTo: b@example.com\r\nSubject: Raw via SES v1\r\n\r\nbody\r\n');
    const res = await curl([
      '-X',
      'POST',
      `${p.httpUrl}/`,
      '--data-urlencode',
      'Action=SendRawEmail',
      '--data-urlencode',
      `RawMessage.Data=${raw.toString('base64')}`,
      '--data-urlencode',
      'Destinations.member.1=b@example.com',
      '--data-urlencode',
      'Destinations.member.2=hidden@example.com',
    ]);
    expect(res.status).toBe(200);
    const m = await p.client.waitForMessage({ subject: 'Raw via SES v1', timeout: 5000 });
    expect(Buffer.from(await p.client.raw(m.ID))).toEqual(raw);
    expect(m.Bcc).toEqual([{ Name: '', Address: 'hidden@example.com' }]);
    const bad = await curl(['-X', 'POST', `${p.httpUrl}/`, '--data-urlencode', 'Action=DeleteIdentity']);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/<Code>InvalidAction<\/Code>/);
  });
});
