// The DNS records the authentication checks look up: PUT/GET/DELETE /api/v1/dns, its bounds, the
// --dns-records file, the order API, file, system, and a cross-site page trying to plant a key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainMessage, sendRaw } from './helpers/dkim';
import { start } from './helpers/pigeonhole';

function recordsFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pigeonhole-dns-')), 'records.json');
  writeFileSync(path, content);
  return path;
}

async function put(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1/dns`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: new TextEncoder().encode(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('PUT/GET/DELETE /api/v1/dns', () => {
  it('adds or replaces names, keeps the others, lower-cases names and lists them; DELETE clears', async () => {
    const p = await start({ dnsOffline: true });
    await p.client.setDns({ 'Example.TEST.': ['v=spf1 -all'], '_dmarc.example.test': ['v=DMARC1; p=none'] });
    const after = await p.client.setDns({ 'example.test': ['v=spf1 ip4:127.0.0.1 -all'] });
    expect(after).toEqual({
      '_dmarc.example.test': ['v=DMARC1; p=none'],
      'example.test': ['v=spf1 ip4:127.0.0.1 -all'],
    });
    expect(await p.client.getDns()).toEqual(after);
    await p.client.clearDns();
    expect(await p.client.getDns()).toEqual({});
  });

  it('refuses a malformed body with a 400 that names the fault, and keeps what was there', async () => {
    const p = await start({ dnsOffline: true });
    await p.client.setDns({ 'kept.test': ['v=spf1 -all'] });
    const cases: [string, RegExp][] = [
      ['["v=spf1 -all"]', /expected a JSON object|must be object|Expected/i],
      ['{"a.test": "v=spf1 -all"}', /a\.test|array/i],
      ['{"bad name!.test": ["x"]}', /not a DNS name/],
      [`{"a.test": ["${'x'.repeat(5000)}"]}`, /at most 4096/],
      [JSON.stringify({ 'a.test': Array.from({ length: 17 }, () => 'x') }), /17 TXT strings, at most 16/],
    ];
    for (const [body, message] of cases) {
      const res = await put(p.httpUrl, body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect(await p.client.getDns()).toEqual({ 'kept.test': ['v=spf1 -all'] });
  });

  it('bounds the body (413) and the store: past 1,000 names a PUT is refused and says to DELETE first', async () => {
    const p = await start({ dnsOffline: true });
    // 80 names of 4,000 characters: 320 KB, past the 256 KiB bound though each string is allowed.
    const many = JSON.stringify(
      Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`n${i}.test`, ['x'.repeat(4000)]])),
    );
    expect((await put(p.httpUrl, many)).status).toBe(413);

    const names = (from: number, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${from + i}.test`, ['v=spf1 -all']]));
    await p.client.setDns(names(0, 600));
    await p.client.setDns(names(600, 400));
    const full = await put(p.httpUrl, JSON.stringify(names(1000, 1)));
    expect(full.status).toBe(400);
    expect(full.text).toMatch(/holds 1000 names and takes at most 1000: DELETE \/api\/v1\/dns first/);
    // Replacing a name already held is still allowed.
    expect((await put(p.httpUrl, JSON.stringify(names(0, 1)))).status).toBe(200);
  });

  it('refuses a cross-site page planting a DKIM key (403 for a foreign Origin, 415 for a form body) and keeps none', async () => {
    const p = await start({ dnsOffline: true });
    const planted = JSON.stringify({ 'sel._domainkey.bank.test': ['v=DKIM1; k=rsa; p=ATTACKER'] });
    const foreign = await put(p.httpUrl, planted, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toMatch(/cross-site request \(Origin http:\/\/evil\.example\) may not change state/);
    expect((await put(p.httpUrl, planted, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await put(p.httpUrl, planted, { 'content-type': 'text/plain' })).status).toBe(415);
    const del = await fetch(`${p.httpUrl}/api/v1/dns`, {
      method: 'DELETE',
      headers: { origin: 'http://evil.example' },
    });
    expect(del.status).toBe(403);
    expect(await p.client.getDns()).toEqual({});
  });
});

describe('--dns-records FILE and the lookup order', () => {
  it('records come from the API first, then the file; each result says which', async () => {
    const file = recordsFile(
      JSON.stringify({ 'file.test': ['v=spf1 ip4:127.0.0.1 -all'], 'both.test': ['v=spf1 -all'] }),
    );
    const p = await start({ dnsOffline: true, dnsRecords: file });
    await p.client.setDns({ 'both.test': ['v=spf1 ip4:127.0.0.1 -all'] });

    await sendRaw(p.smtpPort, plainMessage('app@file.test'), 'app@file.test', 'alice@example.net');
    const fromFile = await p.client.authCheck('latest');
    expect(fromFile.SPF).toMatchObject({ Result: 'pass', Record: { Source: 'file' } });

    await sendRaw(p.smtpPort, plainMessage('app@both.test'), 'app@both.test', 'alice@example.net');
    const fromApi = await p.client.authCheck('latest');
    expect(fromApi.SPF).toMatchObject({
      Result: 'pass',
      Record: { Source: 'api', Value: 'v=spf1 ip4:127.0.0.1 -all' },
    });
    expect(fromApi.Lookups).toContainEqual({
      Name: 'both.test',
      Type: 'TXT',
      Source: 'api',
      Outcome: 'found',
      Records: ['v=spf1 ip4:127.0.0.1 -all'],
    });
  });

  it('a file that is not the format stops the start with a message naming the file and the fault', async () => {
    await expect(start({ dnsRecords: recordsFile('{"a.test": 1}') })).rejects.toThrow(
      /--dns-records: .*records\.json: "a\.test": expected an array of TXT strings/,
    );
    await expect(start({ dnsRecords: recordsFile('{not json') })).rejects.toThrow(/--dns-records: .* is not JSON/);
  });
});
