import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  committedFixtures,
  deepNesting,
  hugeHeader,
  longLine,
  manyParts,
  type MalformedFixture,
} from './fixtures/malformed/generate';
import { queuedId, RawSmtp, storedForm, type SmtpReply } from './fixtures/raw-smtp';

/**
 * The malformed-mail corpus: every broken or tricky message a buggy app can produce is accepted with
 * 250, listed, served back byte for byte, and every API view of it answers without an error status.
 */

const FIXTURES: MalformedFixture[] = [
  ...committedFixtures(),
  manyParts(100_000),
  deepNesting(1_000),
  hugeHeader(1024 * 1024),
  longLine(10 * 1024 * 1024),
];

let p: Pigeonhole;

beforeAll(async () => {
  p = await startPigeonhole({ logLevel: 'silent' });
});

afterAll(async () => {
  await p.stop();
});

async function send(port: number, bytes: Buffer): Promise<SmtpReply> {
  const { smtp } = await RawSmtp.connect(port);
  try {
    await smtp.command('EHLO fuzz.example.test');
    return await smtp.sendMail('sender@example.test', ['rcpt@example.test'], bytes);
  } finally {
    await smtp.quit();
  }
}

/** The GET views of one message that exist in this build, with the statuses each may answer. */
interface View {
  route: string;
  url: string;
  /** 404 is fine for a view of a body the message does not have (no HTML part, say). */
  okStatuses: number[];
}

interface MessageJson {
  HTML?: string;
  Text?: string;
  Attachments?: { PartID: string; ContentType: string }[];
  Inline?: { PartID: string; ContentType: string }[];
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

function views(id: string, message: MessageJson | null): View[] {
  const e = encodeURIComponent(id);
  const list: View[] = [
    { route: '/api/v1/message/:id/raw', url: `/api/v1/message/${e}/raw`, okStatuses: [200] },
    { route: '/api/v1/message/:id', url: `/api/v1/message/${e}`, okStatuses: [200] },
    { route: '/api/v1/message/:id/headers', url: `/api/v1/message/${e}/headers`, okStatuses: [200] },
    { route: '/api/v1/message/:id/html-check', url: `/api/v1/message/${e}/html-check`, okStatuses: [200, 404] },
    { route: '/api/v1/message/:id/session', url: `/api/v1/message/${e}/session`, okStatuses: [200] },
    { route: '/api/v1/messages/:id/download', url: `/api/v1/messages/${e}/download`, okStatuses: [200] },
    { route: '/view/:id.html', url: `/view/${e}.html`, okStatuses: message?.HTML ? [200] : [200, 404] },
    { route: '/view/:id.txt', url: `/view/${e}.txt`, okStatuses: message?.Text ? [200] : [200, 404] },
    { route: '/api/v2/messages', url: '/api/v2/messages?limit=5', okStatuses: [200] },
    { route: '/api/v2/search', url: `/api/v2/search?kind=containing&query=example`, okStatuses: [200] },
    { route: '/api/v1/search', url: `/api/v1/search?query=example`, okStatuses: [200] },
  ];
  for (const part of [...(message?.Attachments ?? []), ...(message?.Inline ?? [])]) {
    const partUrl = `/api/v1/message/${e}/part/${encodeURIComponent(part.PartID)}`;
    list.push({ route: '/api/v1/message/:id/part/:partId', url: partUrl, okStatuses: [200] });
    if (part.ContentType.startsWith('image/')) {
      // A broken image cannot be scaled: Mailpit then serves a blank thumbnail; 4xx is acceptable too.
      list.push({
        route: '/api/v1/message/:id/part/:partId/thumb',
        url: `${partUrl}/thumb`,
        okStatuses: [200, 400, 422],
      });
    }
  }
  return list.filter((v) => p.app.hasRoute({ method: 'GET', url: v.route }));
}

describe('malformed mail corpus', () => {
  it('has every API view the corpus is checked against', () => {
    for (const route of ['/api/v1/message/:id', '/api/v1/message/:id/headers', '/view/:id.html', '/view/:id.txt']) {
      expect(p.app.hasRoute({ method: 'GET', url: route }), route).toBe(true);
    }
    for (const route of ['/api/v1/message/:id/part/:partId', '/api/v2/messages', '/api/v1/messages/:id/download']) {
      expect(p.app.hasRoute({ method: 'GET', url: route }), route).toBe(true);
    }
  });

  it('has every committed and generated malformed fixture', () => {
    const names = FIXTURES.map((f) => f.name);
    for (const expected of [
      'bare-lf.eml',
      'bare-cr.eml',
      'missing-headers.eml',
      'duplicate-headers.eml',
      '8bit-headers.eml',
      'invalid-utf8.eml',
      'unknown-charset.eml',
      'broken-base64.eml',
      'broken-quoted-printable.eml',
      'unclosed-boundary.eml',
      'nested-rfc822.eml',
      'nul-bytes.eml',
      'calendar-invite.eml',
      'tnef-winmail.eml',
    ]) {
      expect(names).toContain(expected);
    }
    expect(FIXTURES.find((f) => f.name.includes('100000 MIME parts'))!.bytes.length).toBeGreaterThan(3_000_000);
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    '%s is accepted, listed, viewable and comes back byte for byte',
    async (_name, fixture) => {
      const reply = await send(p.smtpPort, fixture.bytes);
      expect(reply.code, reply.text).toBe(250);
      const id = queuedId(reply);

      const newest = await p.client.messages({ start: 0, limit: 1 });
      expect(newest.messages[0]?.ID).toBe(id);
      expect(newest.messages[0]?.Size).toBe(storedForm(fixture.bytes).length);

      const raw = Buffer.from(await p.client.raw(id));
      expect(raw.equals(storedForm(fixture.bytes))).toBe(true);

      const hasMessageRoute = p.app.hasRoute({ method: 'GET', url: '/api/v1/message/:id' });
      const message = hasMessageRoute ? await getJson(`${p.httpUrl}/api/v1/message/${id}`) : null;
      const json = message && typeof message.body === 'object' ? (message.body as MessageJson) : null;
      for (const view of views(id, json)) {
        const res = await fetch(`${p.httpUrl}${view.url}`);
        await res.arrayBuffer();
        expect(view.okStatuses, `${view.url} answered ${res.status}`).toContain(res.status);
      }
    },
  );

  it('refuses a message over --max-message-size with 552 and keeps the session usable', async () => {
    const small = await startPigeonhole({ logLevel: 'silent', maxMessageSize: '1MB' });
    try {
      const { smtp } = await RawSmtp.connect(small.smtpPort);
      await smtp.command('EHLO big.example.test');
      const refused = await smtp.sendMail('a@example.test', ['b@example.test'], longLine(2 * 1024 * 1024).bytes);
      expect(refused.code).toBe(552);
      const next = await smtp.sendMail('a@example.test', ['b@example.test'], 'Subject: after\r\n\r\nok\r\n');
      expect(next.code).toBe(250);
      await smtp.quit();
      expect((await small.client.messages()).total).toBe(1);
    } finally {
      await small.stop();
    }
  });
});
