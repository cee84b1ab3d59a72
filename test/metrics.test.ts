import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';
import { freePort } from './helpers/cli';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Debian's Prometheus on loopback, scraping `target` (host:port) every second, its TSDB in a temp dir. */
async function prometheus(target: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-prometheus-'));
  dirs.push(dir);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: pigeonhole',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** Asks Prometheus's HTTP API until `query` has a sample with `want` as its value (30 s at most). */
async function queryUntil(base: string, query: string, want: string): Promise<QueryAnswer['data']['result']> {
  const deadline = Date.now() + 30_000;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
      const answer = (await response.json()) as QueryAnswer;
      last = answer;
      if (answer.status === 'success' && answer.data.result.some((r) => r.value[1] === want)) return answer.data.result;
    } catch (err) {
      last = err; // Prometheus still starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Prometheus never answered ${query} = ${want}; last answer: ${JSON.stringify(last)}`);
}

/** A GET with node:http, which sends any Host header as written (fetch cannot). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Prometheus metrics', () => {
  it.skipIf(!has('prometheus'))(
    'a real Prometheus scrapes --metrics HOST:PORT and counts the messages received and API requests by route',
    async () => {
      const p = await start({ metrics: '127.0.0.1:0' });
      expect(p.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const base = await prometheus(new URL(p.metricsUrl!).host);
      const smtp = transport(p);
      for (let i = 0; i < 3; i++) {
        await smtp.sendMail({ from: 'app@example.test', to: 'alice@example.test', subject: `m${i}`, text: 'hi' });
      }
      const id = (await p.client.messages()).messages[0]!.ID;
      for (let i = 0; i < 2; i++) expect((await fetch(`${p.httpUrl}/api/v1/message/${id}`)).status).toBe(200);

      await queryUntil(base, 'pigeonhole_messages_received_total{job="pigeonhole"}', '3');
      await queryUntil(base, 'pigeonhole_store_messages', '3');
      // The route template, never the URL with the ID: one series for every message.
      const requests = await queryUntil(
        base,
        'sum(pigeonhole_http_requests_total{route="/api/v1/message/:id",status="200"})',
        '2',
      );
      expect(requests).toHaveLength(1);
      const ids = await fetch(`${base}/api/v1/label/route/values`).then((r) => r.json() as Promise<{ data: string[] }>);
      expect(ids.data.some((route) => route.includes(id))).toBe(false);
      await queryUntil(base, 'sum(pigeonhole_smtp_connections_total) >= bool 1', '1');
      await queryUntil(base, 'count(process_resident_memory_bytes)', '1');
    },
    60_000,
  );
});

describe('/metrics on the web listener', () => {
  it('is 404 while metrics are off, and answers the text format with --metrics on', async () => {
    const off = await start();
    const refused = await fetch(`${off.httpUrl}/metrics`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toMatch(/--metrics on/);

    const p = await start({ metrics: 'on' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 't' });
    const answer = await fetch(`${p.httpUrl}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    expect(text).toMatch(/^pigeonhole_messages_received_total 1$/m);
    expect(text).toMatch(/^pigeonhole_smtp_replies_total\{code="250"\} [1-9]/m);
    expect(text).toMatch(/^pigeonhole_smtp_replies_total\{code="220"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('counts evictions apart from deletes', async () => {
    const p = await start({ metrics: 'on', max: 2 });
    const smtp = transport(p);
    for (let i = 0; i < 4; i++) await smtp.sendMail({ from: 'a@example.test', to: 'b@example.test', text: `${i}` });
    const [newest] = (await p.client.messages()).messages;
    await p.client.delete([newest!.ID]);
    const text = await (await fetch(`${p.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^pigeonhole_messages_received_total 4$/m);
    expect(text).toMatch(/^pigeonhole_messages_evicted_total 2$/m);
    expect(text).toMatch(/^pigeonhole_messages_deleted_total 1$/m);
    expect(text).toMatch(/^pigeonhole_store_messages 1$/m);
  });

  it('counts TLS, AUTH by method and result, and connections refused at the connection limit', async () => {
    const p = await start({ metrics: 'on', smtpAuth: 'app:pw', smtpMaxConnections: 1 });
    await transport(p, { ignoreTLS: false, requireTLS: true, auth: { user: 'app', pass: 'pw' } }).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      text: 't',
    });
    await expect(
      transport(p, { ignoreTLS: false, requireTLS: true, auth: { user: 'app', pass: 'wrong' } }).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        text: 't',
      }),
    ).rejects.toThrow();
    // One session holds the only slot inside a transaction (never closed for a newcomer); the next
    // connection waits for a slot, and its client gives up: it never reached smtp-server.
    const holder = connect(p.smtpPort, '127.0.0.1');
    await once(holder, 'data');
    holder.write('EHLO holder\r\n');
    await once(holder, 'data');
    holder.write('MAIL FROM:<a@example.test>\r\n');
    await once(holder, 'data');
    const waiter = connect(p.smtpPort, '127.0.0.1');
    await once(waiter, 'connect');
    await new Promise((resolve) => setTimeout(resolve, 200));
    waiter.destroy();
    await once(waiter, 'close');
    holder.destroy();
    let text = '';
    for (let i = 0; i < 50 && !/^pigeonhole_smtp_connections_refused_total 1$/m.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await (await fetch(`${p.httpUrl}/metrics`)).text();
    }
    expect(text).toMatch(/^pigeonhole_smtp_connections_refused_total 1$/m);
    expect(text).toMatch(/^pigeonhole_smtp_connections_total 4$/m);
    expect(text).toMatch(/^pigeonhole_smtp_tls_total 2$/m);
    expect(text).toMatch(/^pigeonhole_smtp_auth_total\{method="PLAIN",result="ok"\} 1$/m);
    expect(text).toMatch(/^pigeonhole_smtp_auth_total\{method="PLAIN",result="refused"\} 1$/m);
    expect(text).toMatch(/^pigeonhole_smtp_replies_total\{code="535"\} 1$/m);
  });

  it('refuses a DNS-rebinding Host and, with --ui-auth, a request without credentials, on both listeners', async () => {
    const p = await start({ metrics: 'on', uiAuth: 'ops:secret' });
    const q = await start({ metrics: '127.0.0.1:0', uiAuth: 'ops:secret' });
    const good = { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` };
    for (const url of [`${p.httpUrl}/metrics`, `${q.metricsUrl}/metrics`]) {
      // A page of evil.example whose name now resolves to 127.0.0.1 is same-origin with the listener.
      expect((await get(url, { ...good, host: `evil.example:${new URL(url).port}` })).status).toBe(403);
      expect((await get(url)).status).toBe(401);
      expect((await get(url, good)).status).toBe(200);
      // No CORS grant: a cross-site page cannot read the answer.
      const cross = await get(url, { ...good, origin: 'http://evil.example' });
      expect(cross.headers['access-control-allow-origin']).toBeUndefined();
    }
    // The listener of its own answers /metrics alone.
    expect((await get(`${q.metricsUrl}/api/v1/messages`, good)).status).toBe(404);
  });
});
