import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';

const mail = {
  personalizations: [{ to: [{ email: 'victim@example.test' }] }],
  from: { email: 'attacker@evil.example' },
  subject: 'forged',
  content: [{ type: 'text/plain', value: 'x' }],
};

describe('provider API routes: the guards', () => {
  it('refuses a cross-site browser form post to /v3/mail/send and stores nothing', async () => {
    const p = await start();
    // What a page on evil.example makes the browser send: a "simple" form post, no preflight.
    const res = await fetch(`${p.httpUrl}/v3/mail/send`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'no-cors',
      },
      body: JSON.stringify(mail),
    });
    expect(res.status).toBe(403);
    expect((await res.json()) as unknown).toMatchObject({ errors: [{ message: expect.stringMatching(/cross-site/) }] });
    expect((await p.client.messages()).total).toBe(0);
  });

  it("refuses a cross-site browser form post to Mailgun's multipart endpoint and stores nothing", async () => {
    const p = await start();
    // An HTML <form enctype="multipart/form-data"> on evil.example, submitted by the victim's browser.
    const form = new FormData();
    form.append('from', 'attacker@evil.example');
    form.append('to', 'victim@example.test');
    form.append('subject', 'forged');
    form.append('text', 'x');
    const res = await fetch(`${p.httpUrl}/v3/mg.example.test/messages`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
      body: form,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/cross-site/);
    expect((await p.client.messages()).total).toBe(0);
    // The same form from an SDK (no Origin) is taken.
    const ok = await fetch(`${p.httpUrl}/v3/mg.example.test/messages`, { method: 'POST', body: form });
    expect(ok.status).toBe(200);
  });

  it('lets an SDK request (no Origin) through --ui-auth: the provider key is its auth', async () => {
    const p = await start({ uiAuth: 'admin:secret', providerApiKey: 'SG.right' });
    const send = (key: string) =>
      fetch(`${p.httpUrl}/v3/mail/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(mail),
      });
    expect((await send('SG.wrong')).status).toBe(401);
    expect((await send('SG.right')).status).toBe(202);
    // The UI and API still need --ui-auth's credentials.
    expect((await fetch(`${p.httpUrl}/api/v1/messages`)).status).toBe(401);
  });

  it('answers bad JSON and an oversized body in SendGrid’s shape, and keeps serving', async () => {
    const p = await start({ maxMessageSize: '1KB' });
    const bad = await fetch(`${p.httpUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"personalizations": [',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: [{ message: 'Bad Request', field: null, help: null }] });
    const big = await fetch(`${p.httpUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...mail, content: [{ type: 'text/plain', value: 'x'.repeat(4096) }] }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/too large/);
    expect((await p.client.messages()).total).toBe(0);
    expect((await fetch(`${p.httpUrl}/livez`)).status).toBe(200);
  });

  it('--provider-apis none leaves the paths unserved', async () => {
    const p = await start({ providerApis: 'none' });
    const res = await fetch(`${p.httpUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(mail),
    });
    expect(res.status).toBe(404);
  });

  it('with --enable-chaos, answers the provider’s 429 and 5xx on demand', async () => {
    const p = await start({ enableChaos: true });
    await p.client.setChaos({ ProviderApi: { ErrorCode: 429, Probability: 100, Providers: ['sendgrid'] } });
    const send = () =>
      fetch(`${p.httpUrl}/v3/mail/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(mail),
      });
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ errors: [{ message: 'too many requests', field: null, help: null }] });
    await p.client.setChaos({ ProviderApi: { ErrorCode: 503, Probability: 100 } });
    expect((await send()).status).toBe(503);
    await p.client.setChaos({});
    expect((await send()).status).toBe(202);
    expect((await p.client.messages()).total).toBe(1);
  });
});
