import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, socketsOn } from './fixtures/handles';
import { RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';

/**
 * Faults on the way in and on the way out: a client that vanishes in the middle of DATA leaves no
 * half message behind; a browser tab that drops its WebSocket in the middle of a burst costs the
 * other subscribers nothing.
 */

const message = (n: number) => `Subject: burst ${n}\r\nTo: tab@example.test\r\n\r\nmessage ${n}\r\nEND ${n}\r\n`;

describe('a client that disconnects mid-DATA', () => {
  it('stores nothing of the half message, frees the socket, and serves the next client', async () => {
    const p = await start();
    for (const cut of [0, 10, 4096, 2 * 1024 * 1024]) {
      const { smtp } = await RawSmtp.connect(p.smtpPort);
      await smtp.command('EHLO gone.example.test');
      await smtp.command('MAIL FROM:<gone@example.test>');
      await smtp.command('RCPT TO:<rcpt@example.test>');
      expect((await smtp.command('DATA')).code).toBe(354);
      smtp.send(Buffer.concat([Buffer.from('Subject: half\r\n\r\n'), Buffer.alloc(cut, 'x')]));
      await new Promise((r) => setTimeout(r, 20));
      smtp.destroy();
    }
    await eventually('sockets freed', () => socketsOn(p.smtpPort) === 0);
    expect(p.store.count).toBe(0);
    expect((await p.client.messages()).total).toBe(0);

    // A client that sends the final dot and leaves without reading the reply: the message is whole.
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO hasty.example.test');
    smtp.send('MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n');
    for (let i = 0; i < 3; i++) await smtp.reply();
    smtp.send(`${message(1)}.\r\n`);
    smtp.socket.end();
    await eventually('the whole message stored', () => p.store.count === 1);
    expect(p.store.latest()!.keepRaw().toString()).toBe(message(1));
    await eventually('sockets freed', () => socketsOn(p.smtpPort) === 0);
  });
});

describe('a WebSocket subscriber that drops mid-burst', () => {
  it('does not disturb ingest or the other subscribers', async () => {
    const p = await start({ max: 0 });
    const url = `${p.httpUrl.replace(/^http/, 'ws')}/api/events`;
    const open = (ws: WebSocket) =>
      new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const dropper = new WebSocket(url);
    const steady = new WebSocket(url);
    await Promise.all([open(dropper), open(steady)]);
    const seen = new Set<string>();
    steady.on('message', (data: Buffer) => {
      const event = JSON.parse(data.toString()) as { Type: string; Data?: { ID?: string } };
      if (event.Type === 'new' && event.Data?.ID) seen.add(event.Data.ID);
    });
    let dropperSeen = 0;
    dropper.on('message', () => {
      // Mid-burst the tab goes away without a close frame, as a killed browser tab does.
      if (++dropperSeen === 25) dropper.terminate();
    });

    const TOTAL = 300;
    const clients = await Promise.all(Array.from({ length: 10 }, () => RawSmtp.connect(p.smtpPort)));
    const accepted: string[] = [];
    await Promise.all(
      clients.map(async ({ smtp }, c) => {
        await smtp.command('EHLO burst.example.test');
        for (let n = c; n < TOTAL; n += clients.length) {
          const reply = await smtp.sendMail('burst@example.test', ['tab@example.test'], message(n));
          expect(reply.code).toBe(250);
          accepted.push(/queued as (\S+)/.exec(reply.text)![1]!);
        }
        await smtp.quit();
      }),
    );
    expect(dropperSeen).toBeGreaterThanOrEqual(25);
    await eventually('the steady subscriber saw every message', () => seen.size === TOTAL);
    expect([...seen].sort()).toEqual(accepted.sort());
    expect((await p.client.messages({ limit: 1 })).total).toBe(TOTAL);
    expect((await fetch(`${p.httpUrl}/livez`)).status).toBe(200);
    steady.close();
  });
});
