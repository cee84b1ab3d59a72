import { readFileSync } from 'node:fs';
import type { Message } from '@pigeonhole/shared/schemas/message';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';

/**
 * The nine ways a message was shown other than its author meant it, each with a fixture of ours in
 * `fixtures/mime/`, sent byte for byte over SMTP and read back through the list, search, the message
 * JSON and `/part`: one MIME model (server/src/mail/mime/model.ts) must answer the same everywhere.
 */

let p: Pigeonhole;
beforeAll(async () => {
  p = await startPigeonhole({ logLevel: 'silent' });
});
afterAll(async () => {
  await p.stop();
});

const fixture = (name: string) => readFileSync(new URL(`./fixtures/mime/${name}`, import.meta.url));

/** Sends a fixture's exact bytes; answers the list row and the message JSON. */
async function deliver(name: string, rcpt = ['reader@example.test']): Promise<{ row: MessageSummary; json: Message }> {
  const { smtp } = await RawSmtp.connect(p.smtpPort);
  let id: string;
  try {
    await smtp.command('EHLO mime.example.test');
    const reply = await smtp.sendMail('sender@example.test', rcpt, fixture(name));
    expect(reply.code, reply.text).toBe(250);
    id = queuedId(reply);
  } finally {
    await smtp.quit();
  }
  const row = (await p.client.messages({ limit: 50 })).messages.find((m) => m.ID === id)!;
  return { row, json: await p.client.get(id) };
}

/** Whether a search finds the message. */
async function found(query: string, id: string): Promise<boolean> {
  return (await p.client.search(query)).messages.some((m) => m.ID === id);
}

async function part(id: string, partId: string): Promise<{ type: string; bytes: Buffer; disposition: string }> {
  const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${partId}`);
  expect(res.status).toBe(200);
  return {
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe('one MIME model for list, search, view and parts', () => {
  it('counts a PGP signature as an attachment in the list, search and the view alike', async () => {
    const { row, json } = await deliver('d1a-pgp-signature-counted.eml');
    expect(json.Attachments.map((a) => a.ContentType)).toEqual(['application/pgp-signature']);
    expect(row.Attachments).toBe(1);
    expect(await found('has:attachment', row.ID)).toBe(true);
    const signature = await part(row.ID, json.Attachments[0]!.PartID);
    expect(signature.bytes.toString()).toContain('BEGIN PGP SIGNATURE');
  });

  it('shows a named image with a Content-ID in multipart/related as inline, not counted', async () => {
    const { row, json } = await deliver('d1b-related-image-inline.eml');
    expect(json.Inline.map((a) => [a.FileName, a.ContentID])).toEqual([['brand.gif', 'brand@shop.example.test']]);
    expect(json.Attachments).toEqual([]);
    expect(row.Attachments).toBe(0);
    expect(await found('has:attachment', row.ID)).toBe(false);
  });

  it('decodes raw 8-bit bytes inside an encoded word in the charset the word declares', async () => {
    const { row, json } = await deliver('d2-eight-bit-encoded-word.eml');
    expect(row.Subject).toBe('Grüße aus Köln');
    expect(json.Subject).toBe('Grüße aus Köln');
    expect(row.To[0]).toEqual({ Name: 'Björn', Address: 'bjorn@example.test' });
  });

  it('lists nameless calendar, enriched and unknown-disposition text parts: every part is reachable', async () => {
    const { row, json } = await deliver('d3-hidden-text-parts.eml');
    expect(json.Text).toBe('Join the sprint review.');
    expect(json.Attachments.map((a) => a.ContentType)).toEqual(['text/calendar', 'text/enriched', 'text/plain']);
    expect(row.Attachments).toBe(3);
    const invite = await part(row.ID, json.Attachments[0]!.PartID);
    expect(invite.bytes.toString()).toContain('SUMMARY:Sprint review');
    // Nameless, it still downloads as an .ics file.
    expect(invite.disposition).toMatch(/filename="[^"]+\.ics"/);
    expect((await part(row.ID, json.Attachments[2]!.PartID)).bytes.toString()).toContain('nobody defined');
  });

  it('decodes UTF-7 in the subject, names and text, and never renders UTF-7 HTML', async () => {
    const { row, json } = await deliver('d4-utf7-text.eml');
    expect(row.Subject).toBe('Café crème');
    expect(row.From).toEqual({ Name: 'René', Address: 'rene@example.test' });
    expect(json.Text).toContain("Un café crème, s'il vous plaît.");
    expect(row.Snippet).toBe("Un café crème, s'il vous plaît.");
    expect(json.HTML).toBe('');
    expect(json.Attachments.map((a) => a.ContentType)).toEqual(['text/html']);
  });

  it('reads parts of a multipart/digest without Content-Type as messages (RFC 2046 5.1.5)', async () => {
    const { row, json } = await deliver('d5-digest-parts-are-messages.eml');
    expect(json.Attachments.map((a) => a.ContentType)).toEqual(['message/rfc822', 'message/rfc822']);
    expect(json.Text).not.toContain('The build is green');
    const first = await part(row.ID, json.Attachments[0]!.PartID);
    expect(first.bytes.toString()).toContain('Subject: Build is green');
  });

  it('reports the declared application/octet-stream and serves the same type from /part', async () => {
    const { row, json } = await deliver('d6-declared-octet-stream.eml');
    expect(json.Attachments.map((a) => [a.FileName, a.ContentType])).toEqual([
      ['chart.png', 'application/octet-stream'],
    ]);
    const served = await part(row.ID, json.Attachments[0]!.PartID);
    expect(served.type.split(';')[0]).toBe(json.Attachments[0]!.ContentType);
    expect(served.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('keeps HTML to the HTML part only, and empty when the HTML part is empty', async () => {
    const mixed = await deliver('d7-mixed-text-and-html.eml');
    expect(mixed.json.HTML).toBe('<p>The <b>HTML</b> body.</p>');
    expect(mixed.json.Text).toBe('Plain introduction.');
    // The second text/plain part is not lost: it is listed.
    expect(mixed.json.Attachments.map((a) => a.ContentType)).toEqual(['text/plain']);
    const empty = await deliver('d7-empty-html.eml');
    expect(empty.json.HTML).toBe('');
    expect(empty.json.Text).toBe('Only plain text here.');
  });

  it('decodes Snippet, Text and body search the same way (UTF-8 bytes under a US-ASCII label)', async () => {
    const { row, json } = await deliver('d8-ascii-label-utf8-bytes.eml');
    expect(json.Text.trim()).toBe("Résumé envoyé à l'équipe.");
    expect(row.Snippet).toBe("Résumé envoyé à l'équipe.");
    expect(await found('envoyé', row.ID)).toBe(true);
  });

  it('makes no recipient of a comment or an empty group', async () => {
    const { row, json } = await deliver('d9-comments-and-empty-groups.eml', [
      'first@example.test',
      'second@example.test',
    ]);
    expect(row.To).toEqual([
      { Name: '', Address: 'first@example.test' },
      { Name: 'Second', Address: 'second@example.test' },
    ]);
    expect(row.Cc).toEqual([]);
    expect(row.Bcc).toEqual([]);
    expect(json.To).toEqual(row.To);
  });
});
