import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

interface Frame {
  Type: string;
  Data: { Subject?: string; Tags?: string[] } | null;
}

/** A client of /api/events recording every frame. */
async function openEvents(httpUrl: string) {
  const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/api/events`);
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, frames };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-tags-'));
  dirs.push(dir);
  const path = join(dir, 'tags.yml');
  writeFileSync(path, text);
  return path;
}

/**
 * A file written the way Mailpit documents its tags configuration (mailpit.axllent.org, "Tagging":
 * `--tags-config`, a `filters` list of `match` search and comma-separated `tags`).
 */
const MAILPIT_FILE = `# Mailpit tags configuration
filters:
  - match: from:billing@example.com
    tags: invoices,money
  - match: subject:"password reset"
    tags: auth
  - match: addressed:ops@example.com has:attachment
    tags: ops-attachments
`;

describe('--tags-config', () => {
  it("tags new mail with a Mailpit user's file unchanged, beside X-Tags and plus-addressing, in the new event", async () => {
    const p = await start({ tagsConfig: file(MAILPIT_FILE) });
    const events = await openEvents(p.httpUrl);
    const smtp = transport(p);
    await smtp.sendMail({
      from: 'Billing <billing@example.com>',
      to: 'alice+vip@example.test',
      subject: 'Your invoice',
      headers: { 'X-Tags': 'monthly' },
      text: 'Amount due',
    });
    await smtp.sendMail({ from: 'noreply@example.test', to: 'bob@example.test', subject: 'Password reset', text: 'x' });
    await smtp.sendMail({
      from: 'ci@example.test',
      to: 'ops@example.com',
      subject: 'report',
      text: 'see file',
      attachments: [{ filename: 'r.txt', content: 'data' }],
    });
    await smtp.sendMail({ from: 'ci@example.test', to: 'ops@example.com', subject: 'no file', text: 'plain' });
    // Through the send API as well: rules apply to every way in.
    await p.client.send({
      From: { Email: 'billing@example.com' },
      To: [{ Email: 'carol@example.test' }],
      Subject: 'api',
      Text: 'x',
    });

    const bySubject = new Map((await p.client.messages()).messages.map((m) => [m.Subject, m.Tags]));
    expect(bySubject.get('Your invoice')).toEqual(['invoices', 'money', 'monthly', 'vip']);
    expect(bySubject.get('Password reset')).toEqual(['auth']);
    expect(bySubject.get('report')).toEqual(['ops-attachments']);
    expect(bySubject.get('no file')).toEqual([]);
    expect(bySubject.get('api')).toEqual(['invoices', 'money']);
    expect((await p.client.search('tag:invoices')).messages_count).toBe(2);
    // One `new` event already carrying the rules' tags, and no `update` after it.
    for (let i = 0; i < 100 && events.frames.filter((e) => e.Type === 'new').length < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const invoice = events.frames.find((e) => e.Type === 'new' && e.Data?.Subject === 'Your invoice');
    expect(invoice?.Data?.Tags).toEqual(['invoices', 'money', 'monthly', 'vip']);
    expect(events.frames.filter((e) => e.Type === 'update')).toEqual([]);
    events.ws.close();
  });

  it('refuses to start on a bad file with an error naming the file and the line, in-process and from the CLI', async () => {
    const path = file('filters:\n  - match: from:a@example.com\n    tags: a\n  - match: larger:lots\n    tags: b\n');
    const wanted = `--tags-config ${path}, line 4: "match: larger:lots" is not a search query`;
    await expect(start({ tagsConfig: path })).rejects.toThrow(wanted);
    const cli = runCli(['--smtp', '127.0.0.1:0', '--listen', '127.0.0.1:0', '--tags-config', path]);
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toContain(wanted);
  });
});
