import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { Routes, RouteTable } from '@pigeonhole/shared/routes';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { manyParts, deepNesting } from './fixtures/malformed/generate';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * Limits everywhere, each with a test: HTTP body size on every route that takes a body, WebSocket
 * frame size and client count, search query length, thumbnail pixel count (decompression bombs),
 * MIME part count and depth.
 */

const MB = 1024 * 1024;

/** Sends a request that declares (or streams) `size` bytes of body; resolves with the status. */
function sendBody(p: Pigeonhole, method: string, path: string, size: number, chunked = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, p.httpUrl);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(size);
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (err) => reject(err));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    // A declared size beyond the limit is refused from the header alone: no need to send it.
    if (chunked) pump();
    else req.end();
  });
}

/** Every route that takes a body, as method and a concrete path, found in the route table. */
/** The provider API routes, which keep their provider's body limit. */
const PROVIDER_ROUTES: ReadonlySet<string> = new Set(
  Object.values(RouteTable)
    .filter((entry) => entry.module.startsWith('providers/'))
    .map((entry) => entry.path),
);

function bodyRoutes(p: Pigeonhole, id: string): { method: string; path: string; route: string }[] {
  const found = [];
  for (const route of Object.values(Routes)) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      if (!p.app.hasRoute({ method, url: route })) continue;
      const path = route
        .replace(':id', id)
        .replace(':partId', '1')
        .replace(':tag', 'x')
        .replace(':domain', 'mg.example.test');
      found.push({ method, path, route });
    }
  }
  return found;
}

/**
 * A PNG of `width` x `height` RGB pixels. By default the body is a megabyte of zeros whatever the
 * header claims (a decompression bomb); with `noise` it is a real image of random pixels, stored
 * uncompressed, so its size in bytes is about width x height x 3.
 */
function png(width: number, height: number, noise = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', noise ? deflateSync(noisyRows(width, height), { level: 0 }) : deflateSync(Buffer.alloc(1024 * 1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function noisyRows(width: number, height: number): Buffer {
  const rows = randomBytes((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0;
  return rows;
}

describe('HTTP body size', () => {
  it('refuses an oversized body with 413 on every route that takes one', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'x', text: 'x' });
    const id = (await p.client.messages()).messages[0]!.ID;
    const routes = bodyRoutes(p, id);
    expect(routes.map((r) => `${r.method} ${r.route}`)).toContain(`POST ${Routes.send}`);
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const { method, path, route } of routes) {
      // 64 MB is the ceiling of every route (a message with attachments fits in it)...
      expect(await sendBody(p, method, path, 65 * MB), `${method} ${route}`).toBe(413);
      // ...and JSON-only routes stop at 4 MB. Provider API routes carry whole messages, as /send
      // does, up to their provider's own limit (docs/providers.md; test/security-providers.test.ts).
      if (route !== Routes.send && !PROVIDER_ROUTES.has(route))
        expect(await sendBody(p, method, path, 5 * MB), `${method} ${route}`).toBe(413);
    }
    // A chunked body with no length is counted as it streams in.
    expect(await sendBody(p, 'PUT', Routes.messages, 5 * MB, true)).toBe(413);
    expect(await sendBody(p, 'POST', Routes.send, 65 * MB, true)).toBe(413);
    expect((await fetch(`${p.httpUrl}/livez`)).status).toBe(200);
  }, 60_000);
});

describe('WebSocket limits', () => {
  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws)).once('error', reject);
    });
  const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  it('closes a client that sends a frame over 16 KB with 1009', async () => {
    const p = await start();
    const ws = await open(`${p.httpUrl.replace(/^http/, 'ws')}${Routes.events}`);
    const code = closed(ws);
    ws.send(Buffer.alloc(17 * 1024, 0x61));
    expect(await code).toBe(1009);
  });

  it('holds at most 500 clients: the 501st gets in, the oldest of the busiest holder goes with 1013', async () => {
    const p = await start();
    const url = `${p.httpUrl.replace(/^http/, 'ws')}${Routes.events}`;
    const sockets: WebSocket[] = [];
    for (let batch = 0; batch < 5; batch++)
      sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => open(url)))));
    const oldest = closed(sockets[0]!);
    const extra = await open(url);
    expect(await oldest).toBe(1013);
    const seen = new Promise<string>((resolve) => extra.on('message', (d: Buffer) => resolve(d.toString())));
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'to 500', text: 'x' });
    expect(await seen).toContain('to 500');
    expect(sockets.filter((ws) => ws.readyState === WebSocket.OPEN)).toHaveLength(499);
    for (const ws of [...sockets, extra]) ws.terminate();
  }, 60_000);
});

describe('search query length', () => {
  it('answers 400 to queries over 2,000 characters on every search route', async () => {
    const p = await start();
    const long = encodeURIComponent('subject:' + 'x'.repeat(2000));
    for (const path of [`${Routes.search}?query=${long}`, `${Routes.mailhogSearch}?kind=containing&query=${long}`]) {
      const res = await fetch(`${p.httpUrl}${path}`);
      await res.arrayBuffer();
      expect(res.status, path).toBe(400);
    }
    const ok = await fetch(`${p.httpUrl}${Routes.search}?query=${encodeURIComponent('x'.repeat(1990))}`);
    expect(ok.status).toBe(200);
  });
});

describe('thumbnails', () => {
  it('refuses a decompression bomb from its header and answers the blank thumbnail', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'bomb',
      text: 'see attachment',
      attachments: [{ filename: 'bomb.png', content: png(100_000, 100_000), contentType: 'image/png' }],
    });
    const id = (await p.client.messages()).messages[0]!.ID;
    const message = (await (await fetch(`${p.httpUrl}/api/v1/message/${id}`)).json()) as {
      Attachments: { PartID: string }[];
    };
    const before = process.memoryUsage().rss;
    const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${message.Attachments[0]!.PartID}/thumb`);
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(jpeg.length).toBeLessThan(50_000);
    // 10 gigapixels decoded would be 30 GB; the process grew by far less than one such image row set.
    expect(process.memoryUsage().rss - before).toBeLessThan(500 * MB);
  });

  it('answers the blank thumbnail for an image part over 16 MB without decoding it', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'big images',
      text: 'see attachments',
      attachments: [
        { filename: 'small.png', content: png(300, 300, true), contentType: 'image/png' },
        { filename: 'big.png', content: png(2400, 2400, true), contentType: 'image/png' },
        { filename: 'notes.txt', content: 'not an image', contentType: 'text/plain' },
      ],
    });
    const id = (await p.client.messages()).messages[0]!.ID;
    const message = (await (await fetch(`${p.httpUrl}/api/v1/message/${id}`)).json()) as {
      Attachments: { PartID: string; FileName: string; Size: number }[];
    };
    const thumb = async (name: string) => {
      const part = message.Attachments.find((a) => a.FileName === name)!;
      const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${part.PartID}/thumb`);
      expect(res.status).toBe(200);
      return { size: part.Size, jpeg: Buffer.from(await res.arrayBuffer()) };
    };
    const blank = (await thumb('notes.txt')).jpeg;
    const small = await thumb('small.png');
    const big = await thumb('big.png');
    expect(big.size).toBeGreaterThan(16 * MB);
    // The small noisy image is really scaled (not blank); the big one is refused by size.
    expect(small.jpeg.equals(blank)).toBe(false);
    expect(big.jpeg.equals(blank)).toBe(true);
  }, 60_000);
});

describe('MIME part count and depth', () => {
  it('parses a 100,000-part message into a bounded part list, and a 1,000-deep one without overflow', async () => {
    const p = await start();
    const ids: string[] = [];
    for (const fixture of [manyParts(100_000), deepNesting(1000)]) {
      const { smtp } = await RawSmtp.connect(p.smtpPort);
      await smtp.command('EHLO limits.example.test');
      ids.push(queuedId(await smtp.sendMail('a@example.test', ['b@example.test'], fixture.bytes)));
      await smtp.quit();
    }
    for (const id of ids) {
      const res = await fetch(`${p.httpUrl}/api/v1/message/${id}`);
      expect(res.status).toBe(200);
      const message = (await res.json()) as { Attachments: unknown[]; Inline: unknown[] };
      expect(message.Attachments.length + message.Inline.length).toBeLessThanOrEqual(1000);
    }
    const summary = (await p.client.messages()).messages.find((m) => m.ID === ids[0])!;
    expect(summary.Attachments).toBeLessThanOrEqual(1000);
  }, 60_000);
});
