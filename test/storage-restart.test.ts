// --storage across a restart, through the real mailpit-api client: IDs the API gave before still
// find their messages, read state, tags and deletes survive; --max-age deletes old mail, files too.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailpitClient } from 'mailpit-api';
import { startPigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { transport } from './helpers/smtp';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-restart-'));
  dirs.push(dir);
  return dir;
}

function fileCount(dir: string): number {
  return readdirSync(join(dir, 'new')).length + readdirSync(join(dir, 'cur')).length;
}

describe('--storage across a restart', () => {
  it('keeps IDs, read state, tags, deletes, the envelope and the session; POST /send answers once durable', async () => {
    const dir = folder();
    const first = await startPigeonhole({ storage: dir });
    const mailpit = new MailpitClient(first.httpUrl);
    const smtp = transport(first);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const info = await smtp.sendMail({
        from: 'app@example.test',
        to: `user${i}@example.test`,
        bcc: 'hidden@example.test',
        subject: `over SMTP ${i}`,
        text: `body ${i}`,
      });
      ids.push(/queued as (\S+)/.exec(info.response)![1]!);
    }
    const sent = await mailpit.sendMessage({
      From: { Email: 'api@example.test' },
      To: [{ Email: 'user@example.test' }],
      Subject: 'over HTTP',
      Text: 'sent through the API',
    });
    ids.push(sent.ID);
    // Acknowledged means on disk: the journal holds it before the answer.
    expect(readdirSync(join(dir, '.pigeonhole')).some((name) => name.startsWith('journal.'))).toBe(true);
    await mailpit.setReadStatus({ IDs: [ids[0]!], Read: true });
    await mailpit.setTags({ IDs: [ids[1]!], Tags: ['kept', 'restart'] });
    await mailpit.deleteMessages({ IDs: [ids[2]!] });
    const sessionBefore = await first.client.session(ids[0]!);
    await first.stop();
    expect(fileCount(dir)).toBe(3);

    const second = await startPigeonhole({ storage: dir });
    try {
      const after = new MailpitClient(second.httpUrl);
      const list = await after.listMessages();
      expect(list.messages.map((m) => m.ID)).toEqual([ids[3], ids[1], ids[0]]);
      expect(list.messages.map((m) => m.Read)).toEqual([false, false, true]);
      expect((await after.getMessageSummary(ids[1])).Tags).toEqual(['kept', 'restart']);
      expect(await after.getTags()).toEqual(['kept', 'restart']);
      await expect(after.getMessageSummary(ids[2])).rejects.toThrow();
      // Bcc lives only in the envelope, which the sidecar keeps.
      expect((await after.getMessageSummary(ids[0])).Bcc.map((a) => a.Address)).toEqual(['hidden@example.test']);
      expect(await second.client.session(ids[0]!)).toEqual(sessionBefore);
      expect(await after.getMessageSource(ids[3])).toContain('sent through the API');
      const info = await after.getInfo();
      // Opening a message marks it read, as in Mailpit: ids[1] was opened above.
      expect([info.Messages, info.Unread]).toEqual([3, 1]);
    } finally {
      await second.stop();
    }
  });

  it('--max-age deletes messages past the age, and their files, while running', async () => {
    const dir = folder();
    const mail = await startPigeonhole({ storage: dir, maxAge: '1s' });
    try {
      await transport(mail).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        subject: 'short-lived',
        text: 'x',
      });
      expect((await mail.client.messages()).total).toBe(1);
      // The age check runs every second at this age; 5 s is generous.
      const deadline = Date.now() + 5000;
      while ((await mail.client.messages()).total > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((await mail.client.messages()).total).toBe(0);
      await mail.store.settled();
      for (let i = 0; i < 50 && fileCount(dir) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(fileCount(dir)).toBe(0);
    } finally {
      await mail.stop();
    }
  });
});
