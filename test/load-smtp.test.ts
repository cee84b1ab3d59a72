import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { eventually, socketsOn } from './fixtures/handles';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';

/**
 * Load: 100 concurrent SMTP clients, and the API count equals the messages the clients saw accepted,
 * exactly. `npm test` sends 2,000 (well under a minute on two cores); `npm run soak` sends the full
 * 100,000 and then 300,000 more with --max 1000 (test/soak/soak.mjs).
 */

const CLIENTS = 100;
const PER_CLIENT = 20;

function body(client: number, n: number): string {
  return (
    `From: load-${client}@example.test\r\nTo: sink@example.test\r\nSubject: load ${client}/${n}\r\n` +
    `Message-ID: <load-${client}-${n}@example.test>\r\n\r\n${'payload line\r\n'.repeat(20)}END ${client}/${n}\r\n`
  );
}

/** One client: a connection that sends its messages one after another; returns the accepted IDs. */
async function client(p: Pigeonhole, index: number, count: number): Promise<string[]> {
  const { smtp, greeting } = await RawSmtp.connect(p.smtpPort);
  expect(greeting.code).toBe(220);
  await smtp.command(`EHLO client-${index}.example.test`);
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const reply = await smtp.sendMail(`load-${index}@example.test`, ['sink@example.test'], body(index, n));
    if (reply.code === 250) ids.push(queuedId(reply));
  }
  await smtp.quit();
  return ids;
}

async function listedIds(p: Pigeonhole): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; ; start += 1000) {
    const page = await p.client.messages({ start, limit: 1000 });
    ids.push(...page.messages.map((m) => m.ID));
    if (page.messages.length < 1000) return ids;
  }
}

describe('load', () => {
  it(`${CLIENTS} concurrent clients: the API lists exactly the ${CLIENTS * PER_CLIENT} messages accepted`, async () => {
    const p = await start({ max: 0, smtpMaxConnections: CLIENTS + 10 });
    const accepted = (await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(p, i, PER_CLIENT)))).flat();
    expect(accepted).toHaveLength(CLIENTS * PER_CLIENT);
    expect(new Set(accepted).size).toBe(accepted.length);
    const list = await p.client.messages({ limit: 1 });
    expect(list.total).toBe(accepted.length);
    expect(list.messages_count).toBe(accepted.length);
    expect((await listedIds(p)).sort()).toEqual([...accepted].sort());
    await eventually('every SMTP socket closed', () => socketsOn(p.smtpPort) === 0);
  }, 120_000);

  it('keeps exactly --max newest under load and still counts every acceptance', async () => {
    const p = await start({ max: 500, smtpMaxConnections: CLIENTS + 10 });
    const accepted = (await Promise.all(Array.from({ length: 20 }, (_, i) => client(p, i, 50)))).flat();
    expect(accepted).toHaveLength(1000);
    const list = await p.client.messages({ limit: 1 });
    expect(list.total).toBe(500);
    // Eviction is oldest-first: the newest listed is the last message a client saw accepted.
    const ids = new Set(await listedIds(p));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(accepted).toContain(id);
  }, 120_000);
});
