import { readFileSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';
import { upgradeStatus } from './helpers/websocket';

/**
 * Access control: `--ui-auth` and `--ui-auth-file` (plain and bcrypt) on UI, API and WebSocket alike,
 * health probes exempt; the WebSocket Origin check; HTTPS with `--ui-tls-cert/--ui-tls-key`; and the
 * security headers on every response.
 */

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function status(p: Pigeonhole, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${p.httpUrl}${path}`, { headers });
  await res.arrayBuffer();
  return res;
}


const PROTECTED = ['/', '/api/v1/messages', '/api/v1/message/latest/raw', '/api/v1/info', '/api/v2/messages'];

describe('--ui-auth', () => {
  it('asks for basic auth on UI and API, and exempts /livez and /readyz', async () => {
    const p = await start({ uiAuth: 'ann:s3cret' });
    for (const path of PROTECTED) {
      const res = await status(p, path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Basic realm="Pigeonhole"/);
      expect((await status(p, path, { authorization: basic('ann', 'wrong') })).status, path).toBe(401);
      expect((await status(p, path, { authorization: basic('eve', 's3cret') })).status, path).toBe(401);
      expect((await status(p, path, { authorization: 'Bearer s3cret' })).status, path).toBe(401);
    }
    expect((await status(p, '/api/v1/messages', { authorization: basic('ann', 's3cret') })).status).toBe(200);
    expect((await status(p, '/', { authorization: basic('ann', 's3cret') })).status).toBe(200);
    expect((await status(p, '/livez')).status).toBe(200);
    expect((await status(p, '/readyz')).status).toBe(200);
    // The in-process client carries the credentials; SMTP is not behind the UI's auth.
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'hi', text: 'x' });
    expect((await p.client.messages()).total).toBe(1);
  });

  it('reads users from --ui-auth-file with bcrypt hashes and plain passwords', async () => {
    const p = await start({ uiAuthFile: fixture('ui-auth.htpasswd') });
    const ok = (user: string, pass: string) => status(p, '/api/v1/messages', { authorization: basic(user, pass) });
    expect((await ok('alice', 'bcrypt-secret')).status).toBe(200);
    expect((await ok('alice', 'bcrypt-secret')).status).toBe(200);
    expect((await ok('carol', 'second-secret')).status).toBe(200);
    expect((await ok('bob', 'plain-secret')).status).toBe(200);
    expect((await ok('alice', 'second-secret')).status).toBe(401);
    // The hash itself is not a password.
    const hash = readFileSync(fixture('ui-auth.htpasswd'), 'utf8').split('\n')[0]!.slice('alice:'.length);
    expect((await ok('alice', hash)).status).toBe(401);
    expect((await ok('bob', 'plain-secreT')).status).toBe(401);
  });

  it('refuses, never fails, with a hash bcryptjs cannot read', async () => {
    const p = await start({ uiAuth: 'dave:$2x$08$5w7.umqiy4Jb.WM90PI9O.vdIl43KpVnF9uzr349Fpct1OEB/RUkq' });
    expect((await status(p, '/api/v1/messages', { authorization: basic('dave', 'bcrypt-secret') })).status).toBe(401);
  });

  it('covers the WebSocket upgrade too', async () => {
    const p = await start({ uiAuth: 'ann:s3cret' });
    const ws = p.httpUrl.replace(/^http/, 'ws');
    for (const path of ['/api/events', '/api/v2/websocket']) {
      expect(await upgradeStatus(`${ws}${path}`, {}), path).toBe(401);
      expect(await upgradeStatus(`${ws}${path}`, { authorization: basic('ann', 'nope') }), path).toBe(401);
      expect(await upgradeStatus(`${ws}${path}`, { authorization: basic('ann', 's3cret') }), path).toBe(101);
    }
  });

  it('refuses a start with half a TLS pair or an unreadable auth file', async () => {
    await expect(start({ uiTlsCert: fixture('tls/localhost.crt') })).rejects.toThrow(/--ui-tls-key/);
    await expect(start({ uiAuthFile: fixture('no-such-file') })).rejects.toThrow(/--ui-auth-file/);
    await expect(start({ uiAuth: 'no-colon' })).rejects.toThrow(/--ui-auth/);
  });
});

describe('WebSocket Origin check (cross-site WebSocket hijacking)', () => {
  it('refuses an upgrade from another origin with 403 and accepts its own and non-browser clients', async () => {
    const p = await start();
    const host = new URL(p.httpUrl).host;
    const ws = p.httpUrl.replace(/^http/, 'ws');
    for (const path of ['/api/events', '/api/v2/websocket']) {
      expect(await upgradeStatus(`${ws}${path}`, { origin: 'http://evil.example' }), path).toBe(403);
      expect(await upgradeStatus(`${ws}${path}`, { origin: `http://${host}.evil.example` }), path).toBe(403);
      expect(await upgradeStatus(`${ws}${path}`, { origin: 'null' }), path).toBe(403);
      expect(await upgradeStatus(`${ws}${path}`, { origin: `http://${host}` }), path).toBe(101);
      expect(await upgradeStatus(`${ws}${path}`, {}), path).toBe(101);
    }
  });
});

describe('WebSocket Origin check with --api-cors', () => {
  it('lets the origins --api-cors names upgrade, and no others', async () => {
    const p = await start({ apiCors: 'http://app.example.test' });
    const ws = p.httpUrl.replace(/^http/, 'ws');
    for (const path of ['/api/events', '/api/v2/websocket']) {
      expect(await upgradeStatus(`${ws}${path}`, { origin: 'http://app.example.test' }), path).toBe(101);
      expect(await upgradeStatus(`${ws}${path}`, { origin: 'http://evil.example' }), path).toBe(403);
    }
  });
});

describe('--ui-tls-cert / --ui-tls-key', () => {
  it('serves UI and API over HTTPS', async () => {
    const cert = readFileSync(fixture('tls/localhost.crt'), 'utf8');
    const p = await start({ uiTlsCert: fixture('tls/localhost.crt'), uiTlsKey: fixture('tls/localhost.key') });
    expect(p.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const get = (path: string) =>
      new Promise<{ status: number; body: string; protocol: string }>((resolve, reject) => {
        const req = https.get(`${p.httpUrl}${path}`, { ca: cert, servername: 'localhost' }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body, protocol: res.socket ? 'tls' : '' }));
        });
        req.on('error', reject);
      });
    expect((await get('/livez')).status).toBe(200);
    expect((await get('/api/v1/messages')).body).toContain('"total":0');
    // Plain HTTP on the TLS port gets no API answer.
    const plain = await fetch(p.httpUrl.replace('https:', 'http:') + '/livez').then(
      (r) => r.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
  });
});

describe('security headers', () => {
  const HEADERS = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'SAMEORIGIN',
  };

  it('sets nosniff, no-referrer and frame-ancestors on every response, errors included', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'h', html: '<p>x</p>' });
    const responses = [
      await fetch(`${p.httpUrl}/`),
      await fetch(`${p.httpUrl}/livez`),
      await fetch(`${p.httpUrl}/readyz`),
      await fetch(`${p.httpUrl}/api/v1/messages`),
      await fetch(`${p.httpUrl}/api/v1/message/latest/raw`),
      await fetch(`${p.httpUrl}/api/v1/message/nope/raw`),
      await fetch(`${p.httpUrl}/no/such/route`),
      await fetch(`${p.httpUrl}/api/v1/messages?limit=notanumber`),
      await fetch(`${p.httpUrl}/api/v1/send`, {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    for (const res of responses) {
      await res.arrayBuffer();
      for (const [name, value] of Object.entries(HEADERS))
        expect(res.headers.get(name), `${res.url} ${name}`).toBe(value);
      expect(res.headers.get('content-security-policy'), res.url).toMatch(/frame-ancestors 'self'/);
    }
  });

  it('serves message HTML views and HTML parts under a policy that forbids script', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'xss',
      html: '<p>hi</p><script>parent.stolen = 1</script><img src=x onerror="parent.stolen = 2">',
      text: '<script>alert(1)</script>',
      attachments: [
        { filename: 'evil.html', content: '<script>alert(document.cookie)</script>', contentType: 'text/html' },
      ],
    });
    const id = (await p.client.messages()).messages[0]!.ID;
    const html = await fetch(`${p.httpUrl}/view/${id}.html`);
    await html.arrayBuffer();
    expect(html.status).toBe(200);
    const csp = html.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'none'|default-src 'none'(?![^]*script-src)/);
    expect(csp).toMatch(/frame-ancestors 'self'/);

    const text = await fetch(`${p.httpUrl}/view/${id}.txt`);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toContain('<script>alert(1)</script>');

    const message = (await (await fetch(`${p.httpUrl}/api/v1/message/${id}`)).json()) as {
      Attachments: { PartID: string; FileName: string }[];
    };
    const part = message.Attachments.find((a) => a.FileName === 'evil.html')!;
    const served = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${part.PartID}`);
    await served.arrayBuffer();
    const type = served.headers.get('content-type') ?? '';
    const disposition = served.headers.get('content-disposition') ?? '';
    // Either it downloads, or it renders sandboxed without script.
    if (!/^attachment/i.test(disposition) && /html/i.test(type)) {
      expect(served.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
      expect(served.headers.get('content-security-policy')).toMatch(/sandbox/);
    }
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
