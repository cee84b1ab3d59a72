// --storage: a 250 is sent only once the message is durable. A real SIGKILL in the middle of a
// 16-client load, then a restart on the same folder: every acknowledged message is there, under
// the ID its 250 named, byte for byte, and nothing half written is listed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startProcess } from './helpers/pigeonhole-process';
import { transport } from './helpers/smtp';

const CLIENTS = 16;
/** Acknowledged messages before the kill: enough for many group commits under way at once. */
const KILL_AFTER = 300;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A message of about 4 KiB whose bytes say which client sent it and when. */
function message(client: number, n: number): Buffer {
  const line = `client ${client} message ${n} `.padEnd(76, '.');
  const body = Array.from({ length: 52 }, () => line).join('\r\n');
  return Buffer.from(
    `From: sender${client}@example.test\r\nTo: crash@example.test\r\nSubject: crash ${client}-${n}\r\n` +
      `Message-ID: <crash-${client}-${n}@example.test>\r\n\r\n${body}\r\n.leading dot line\r\n`,
  );
}

it('loses no acknowledged message and shows no half message after a SIGKILL under 16-client load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-crash-'));
  dirs.push(dir);
  const options = { storage: dir, max: 0, maxBytes: 0 };
  const first = await startProcess({ options });

  const sent = new Map<string, Buffer>();
  const acknowledged = new Map<string, Buffer>();
  let killed = false;
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    const smtp = transport(first);
    try {
      for (let n = 0; !killed; n++) {
        const raw = message(client, n);
        sent.set(`${client}-${n}`, raw);
        let info;
        try {
          info = await smtp.sendMail({
            envelope: { from: `sender${client}@example.test`, to: ['crash@example.test'] },
            raw,
          });
        } catch {
          return; // The server is gone.
        }
        const id = /queued as (\S+)/.exec(info.response)?.[1];
        expect(id, info.response).toBeTruthy();
        acknowledged.set(id!, raw);
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          process.kill(first.pid, 'SIGKILL');
        }
      }
    } finally {
      smtp.close();
    }
  });
  await Promise.all(clients);
  expect(killed).toBe(true);

  const second = await startProcess({ options });
  const listed = await second.client.messages({ limit: 100_000 });
  expect(listed.total).toBeGreaterThanOrEqual(acknowledged.size);
  expect(listed.messages.length).toBe(listed.total);
  // Every acknowledged message, under the ID its 250 gave, with the exact bytes sent.
  for (const [id, raw] of acknowledged) {
    const got = Buffer.from(await second.client.raw(id));
    expect(got.equals(raw), `message ${id}`).toBe(true);
  }
  // Every listed message is one that was sent, whole (none half written, none made up).
  const sentBodies = new Set([...sent.values()].map((raw) => raw.toString('latin1')));
  for (const summary of listed.messages) {
    if (acknowledged.has(summary.ID)) continue;
    const got = Buffer.from(await second.client.raw(summary.ID)).toString('latin1');
    expect(sentBodies.has(got), `unacknowledged message ${summary.ID} is whole`).toBe(true);
  }
  // The folder holds one file per listed message, and tmp/ nothing that readers would see.
  expect(readdirSync(join(dir, 'new')).length + readdirSync(join(dir, 'cur')).length).toBe(listed.total);
}, 60_000);
