import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../ingest';
import { createLogger } from '../logger';
import { selfSignedCertificate } from '../smtp/tls';
import { MessageStore } from '../store/store';
import { startPop3, type Pop3Limits, type Pop3Listener } from './server';

const running: Pop3Listener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.close()));
});

async function pop3(limits: Partial<Pop3Limits> = {}): Promise<{ port: number; store: MessageStore }> {
  const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
  ingest(store, {
    raw: Buffer.from('Subject: hi\r\n\r\nbody\r\n'),
    envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] },
    session: { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] },
    created: new Date(),
  });
  const listener = await startPop3({
    listen: { host: '127.0.0.1', port: 0 },
    store,
    credentials: null,
    hostname: 'test.local',
    tls: await selfSignedCertificate(),
    logger: createLogger('silent'),
    limits,
  });
  running.push(listener);
  return { port: listener.port, store };
}

/** Connects and collects everything the server says until it closes the connection. */
async function transcript(port: number, input = ''): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  if (input) socket.write(input);
  await once(socket, 'close');
  return text;
}

describe('POP3 server limits', () => {
  it('greets connections beyond the limit with -ERR and closes them', async () => {
    const { port } = await pop3({ maxConnections: 2 });
    const held = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
    await Promise.all(held.map((s) => once(s, 'data')));
    expect(await transcript(port)).toBe('-ERR [SYS/TEMP] too many connections, try again later\r\n');
    for (const s of held) s.destroy();
  });

  it('logs out an idle session without deleting anything', async () => {
    const { port, store } = await pop3({ idleTimeoutMs: 1000 });
    const text = await transcript(port, 'USER u\r\nPASS p\r\nDELE 1\r\n');
    expect(text).toMatch(/\+OK message 1 deleted\r\n-ERR autologout: idle for too long\r\n$/);
    expect(store.count).toBe(1);
  });

  it('closes a connection that asks for STLS and then never does the handshake', async () => {
    const { port } = await pop3({ idleTimeoutMs: 1000 });
    const text = await transcript(port, 'STLS\r\n');
    expect(text).toMatch(/\+OK Begin TLS negotiation\r\n$/);
  });

  it('survives random bytes and keeps serving other clients', async () => {
    const { port } = await pop3({ maxBadCommands: 1_000_000 });
    const garbage = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 3)) % 256));
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume();
    socket.write(garbage);
    socket.end();
    await once(socket, 'close');
    expect(await transcript(port, 'CAPA\r\nQUIT\r\n')).toMatch(
      /^\+OK Pigeonhole POP3 ready .*\r\n\+OK capability list follows\r\n/,
    );
  });

  it('answers RETR in one write, so Nagle and delayed ACK cannot hold the message back (~40 ms each)', async () => {
    const { port } = await pop3();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: string[] = [];
    let wanted = 3; // greeting, USER, PASS
    let next: () => void = () => undefined;
    socket.on('data', (chunk) => {
      chunks.push(chunk.toString('latin1'));
      if (--wanted === 0) next();
    });
    const replies = (n: number) => new Promise<void>((resolve) => ((wanted = n), (next = resolve)));
    await replies(1);
    socket.write('USER u\r\n');
    await replies(1);
    socket.write('PASS p\r\n');
    await replies(1);
    socket.write('RETR 1\r\n');
    await replies(1);
    socket.destroy();
    expect(chunks.at(-1)).toBe('+OK 21 octets\r\nSubject: hi\r\n\r\nbody\r\n.\r\n');
  });

  it('answers -ERR to RETR and TOP of a message the web UI deleted mid-session', async () => {
    const { port, store } = await pop3();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.write('USER u\r\nPASS p\r\n');
    while ((text.match(/\+OK/g) ?? []).length < 3) await once(socket, 'data');
    store.clear();
    socket.write('RETR 1\r\nTOP 1 0\r\nQUIT\r\n');
    await once(socket, 'close');
    expect(text).toContain('-ERR message 1 was deleted by another client\r\n');
    expect(text).not.toContain('octets');
    expect(text).not.toContain('top of message follows');
  });

  it('ignores commands pipelined after QUIT', async () => {
    const { port, store } = await pop3();
    const text = await transcript(port, 'USER u\r\nPASS p\r\nDELE 1\r\nQUIT\r\nRSET\r\nNOOP\r\n');
    expect(text).toMatch(/signing off \(1 messages deleted\)\r\n$/);
    expect(store.count).toBe(0);
  });
});
