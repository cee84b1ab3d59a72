import { describe, expect, it } from 'vitest';
import { RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';

/**
 * During a burst of mail the store defers each message's summary until SMTP is quiet for 100 ms
 * (MessageStore.add). An API request that comes first must still see every message: lists, tags,
 * searches, counts and mailboxes, as if every summary had been made at once.
 */
describe('summaries deferred during a burst', () => {
  it('are all there for the first API request right after the last 250', async () => {
    const p = await start();
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO burst.example.test');
    const count = 200;
    for (let n = 0; n < count; n++) {
      const body = `X-Tags: burst-${n % 5}\r\nTo: <box${n % 4}@example.test>\r\nSubject: burst ${n}\r\n\r\nmessage ${n}\r\n`;
      const reply = await smtp.sendMail('robot@example.test', [`box${n % 4}@example.test`], body);
      expect(reply.code).toBe(250);
    }
    // No pause: the 100 ms of quiet have not passed, so most summaries are still to be made.
    const [tags, list, search, info, mailboxes] = await Promise.all([
      p.client.tags(),
      p.client.messages({ limit: 10 }),
      p.client.search('tag:burst-3'),
      p.client.info(),
      p.client.mailboxes(),
    ]);
    await smtp.quit();
    expect(tags).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
    expect(list.total).toBe(count);
    expect(list.tags).toEqual(tags);
    expect(list.messages[0]?.Subject).toBe(`burst ${count - 1}`);
    expect(search.messages_count).toBe(count / 5);
    expect(info.Tags).toEqual({ 'burst-0': 40, 'burst-1': 40, 'burst-2': 40, 'burst-3': 40, 'burst-4': 40 });
    expect(mailboxes.mailboxes.map((m) => [m.Address, m.Messages])).toEqual([
      ['box0@example.test', 50],
      ['box1@example.test', 50],
      ['box2@example.test', 50],
      ['box3@example.test', 50],
    ]);
  });
});
