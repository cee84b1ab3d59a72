import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';

/**
 * Hostile content reaching the server side: path traversal through a Content-ID, a filename or a URL,
 * and server-side request forgery through any URL a message carries. No filesystem path is built
 * from message data, and no view of a message makes the server fetch anything.
 */

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(p: Pigeonhole, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(p.httpUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function sendRaw(p: Pigeonhole, raw: string): Promise<string> {
  const { smtp } = await RawSmtp.connect(p.smtpPort);
  await smtp.command('EHLO content.example.test');
  const reply = await smtp.sendMail('a@example.test', ['b@example.test'], raw);
  await smtp.quit();
  return queuedId(reply);
}

interface PartRef {
  PartID: string;
  ContentType: string;
}

/** Every GET view of a message the API offers, parts and thumbnails included. */
async function everyView(p: Pigeonhole, id: string): Promise<number[]> {
  const message = (await (await fetch(`${p.httpUrl}/api/v1/message/${id}`)).json()) as {
    Attachments: PartRef[];
    Inline: PartRef[];
  };
  const paths = [
    `/api/v1/message/${id}`,
    `/api/v1/message/${id}/headers`,
    `/api/v1/message/${id}/raw`,
    `/api/v1/message/${id}/session`,
    `/view/${id}.html`,
    `/view/${id}.txt`,
    `/api/v1/messages/${id}/download`,
    `/api/v2/messages?limit=5`,
    `/api/v2/search?kind=containing&query=example`,
    `/api/v1/search?query=example`,
  ];
  for (const part of [...message.Attachments, ...message.Inline]) {
    paths.push(`/api/v1/message/${id}/part/${part.PartID}`, `/api/v1/message/${id}/part/${part.PartID}/thumb`);
  }
  const statuses = [];
  for (const path of paths) {
    const res = await fetch(`${p.httpUrl}${path}`);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('path traversal', () => {
  it('serves parts by ID only; hostile filenames and Content-IDs never reach the filesystem', async () => {
    const p = await start();
    const marker = `/tmp/pigeonhole-traversal-${process.pid}`;
    const id = await sendRaw(
      p,
      [
        'From: a@example.test',
        'To: b@example.test',
        'Subject: traversal',
        'MIME-Version: 1.0',
        'Content-Type: multipart/related; boundary="t"',
        '',
        '--t',
        'Content-Type: text/html',
        '',
        `<img src="cid:../../../..${marker}"><img src="cid:..%2F..%2Fetc%2Fpasswd">`,
        '--t',
        `Content-Type: image/gif; name="../../../..${marker}"`,
        `Content-Disposition: inline; filename="../../../..${marker}"`,
        `Content-ID: <../../../..${marker}>`,
        'Content-Transfer-Encoding: base64',
        '',
        'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
        '--t',
        'Content-Type: application/octet-stream; name="..\\..\\..\\windows\\win.ini"',
        'Content-Disposition: attachment; filename="/etc/passwd"',
        '',
        'not a system file',
        '--t--',
        '',
      ].join('\r\n'),
    );
    const statuses = await everyView(p, id);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect(existsSync(marker)).toBe(false);

    const attempts = [
      `/api/v1/message/${id}/part/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/api/v1/message/${id}/part/../../../../etc/passwd`,
      `/api/v1/message/..%2F..%2F..%2Fetc%2Fpasswd/raw`,
      `/api/v1/message/${id}/part/1.2%00/thumb`,
      '/../../../../etc/passwd',
      '/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/assets/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      `/view/..%2F..%2Fetc%2Fpasswd.html`,
    ];
    for (const path of attempts) {
      const res = await rawGet(p, path);
      expect(res.body, path).not.toMatch(/root:.*:0:0:/);
      expect([400, 404], `${path} answered ${res.status}`).toContain(res.status);
    }
  });
});

describe('server-side request forgery', () => {
  it('never fetches a URL from a message, whatever view is asked for', async () => {
    let hits = 0;
    const target = http.createServer((_req, res) => {
      hits++;
      res.end('fetched');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    try {
      const p = await start();
      const id = await sendRaw(
        p,
        [
          'From: a@example.test',
          'To: b@example.test',
          'Subject: remote everything',
          `List-Unsubscribe: <${base}/unsubscribe>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="s"',
          '',
          '--s',
          'Content-Type: text/html',
          '',
          `<html><head><link rel="stylesheet" href="${base}/style.css"><base href="${base}/"></head>`,
          `<body style="background:url(${base}/bg.png)"><img src="${base}/pixel.gif"><a href="${base}/link">x</a>`,
          `<iframe src="${base}/frame"></iframe><video poster="${base}/poster.png"></video></body></html>`,
          '--s',
          'Content-Type: text/plain',
          '',
          `Visit ${base}/text-link`,
          '--s',
          `Content-Type: message/external-body; access-type=URL; URL="${base}/external"`,
          '',
          'Content-Type: image/png',
          '',
          '--s',
          `Content-Type: image/svg+xml; name="remote.svg"`,
          'Content-Disposition: attachment; filename="remote.svg"',
          '',
          `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="${base}/svg-image"/></svg>`,
          '--s--',
          '',
        ].join('\r\n'),
      );
      const statuses = await everyView(p, id);
      expect(statuses.every((s) => s < 500)).toBe(true);
      // Give any stray background fetch a moment to land before counting.
      await new Promise((r) => setTimeout(r, 300));
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
