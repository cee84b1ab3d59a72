import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { LARGE_PART_BYTES } from './large-parts';
import { parseRaw, partContent } from '../parse';

function base64Lines(bytes: Buffer, width: number): string {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return lines.join('\r\n');
}

/** Multipart mail with a large attachment nested one level down, a small inline image and bodies. */
function message(big: Buffer, width = 76, pad = true): Buffer {
  let encoded = base64Lines(big, width);
  if (!pad) encoded = encoded.replace(/=+$/, '');
  return Buffer.from(
    [
      'From: a@example.test',
      'To: b@example.test',
      'Subject: large',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/related; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>See <img src="cid:logo@x"></p>',
      '--inner',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(randomBytes(300), 76),
      '--inner--',
      '--outer',
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Disposition: attachment; filename="report.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      encoded,
      '--outer',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'plain notes',
      '--outer--',
      '',
    ].join('\r\n'),
  );
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('large parts', () => {
  for (const [name, width, pad, size] of [
    ['76-character lines', 76, true, LARGE_PART_BYTES + 1],
    ['one long line, no padding', 1e9, false, 700_001],
    ['odd line width', 61, true, 1_048_577],
  ] as const) {
    it(`lists and serves a large attachment as mailparser would (${name})`, async () => {
      const big = randomBytes(size);
      const raw = message(big, width, pad);
      const ours = await parseRaw(raw);
      const theirs = await simpleParser(raw, { keepCidLinks: true });
      const report = ours.attachments.find((p) => p.FileName === 'report.pdf')!;
      expect(report.content).toBeNull();
      expect(report.Size).toBe(big.length);
      expect(report.Checksums.SHA256).toBe(sha256(big));
      expect(partContent(report).equals(big)).toBe(true);
      // Everything else is what mailparser itself gives for the whole message.
      const summary = (parts: { PartID: string; FileName: string; ContentType: string; Size: number }[]) =>
        parts
          .map(({ PartID, FileName, ContentType, Size }) => ({ PartID, FileName, ContentType, Size }))
          .sort((x, y) => x.PartID.localeCompare(y.PartID));
      expect(summary([...ours.attachments, ...ours.inline])).toEqual(
        summary(
          theirs.attachments.map((a) => ({
            PartID: a.partId ?? '',
            FileName: a.filename ?? (a.contentId ?? '').replace(/^<|>$/g, ''),
            ContentType: a.contentType,
            Size: a.content.length,
          })),
        ),
      );
      expect(ours.html).toBe(theirs.html);
      expect(ours.inline[0]!.content).not.toBeNull();
    });
  }

  it('leaves small attachments and text bodies to mailparser', async () => {
    const raw = message(randomBytes(LARGE_PART_BYTES / 2));
    const parsed = await parseRaw(raw);
    expect(parsed.attachments.every((p) => p.content !== null)).toBe(true);
  });
});
