import { performance } from 'node:perf_hooks';
import net from 'node:net';

/**
 * Our own SMTP load generator on raw sockets: `connections` sessions, each sending its share of
 * `count` messages in one session. It pipelines as RFC 2920 allows: the end of one message's DATA,
 * the next MAIL FROM, RCPT TO and DATA go out in one write, so a message costs one round trip.
 * With `rate` set it paces the messages instead (for the event-latency run) and does not pipeline.
 */
export async function sendLoad({ port, connections, count, message, rate, onAccepted, host = '127.0.0.1' }) {
  const perConnection = Array.from(
    { length: connections },
    (_, c) => Math.floor(count / connections) + (c < count % connections ? 1 : 0),
  );
  const started = performance.now();
  let next = 0;
  const claim = () => (next < count ? next++ : -1);
  const results = await Promise.all(
    perConnection.map((n, c) =>
      session({ host, port, n, claim, message, onAccepted, pace: rate ? { rate, started, c, connections } : null }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const accepted = results.reduce((a, r) => a + r.accepted, 0);
  const refused = results.reduce((a, r) => a + r.refused, 0);
  return { seconds, accepted, refused, rate: accepted / seconds };
}

/** A reply reader: resolves each awaited reply (all its lines) in order. */
function replies(socket) {
  let buffer = '';
  let lines = [];
  const done = [];
  const waiting = [];
  socket.setEncoding('latin1');
  socket.on('data', (data) => {
    buffer += data;
    let eol;
    while ((eol = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, eol).replace(/\r$/, '');
      buffer = buffer.slice(eol + 1);
      lines.push(line);
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), text: lines.join('\n'), at: performance.now() };
        lines = [];
        const w = waiting.shift();
        if (w) w.resolve(reply);
        else done.push(reply);
      }
    }
  });
  const fail = (err) => {
    for (const w of waiting.splice(0)) w.reject(err);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  return () => {
    const ready = done.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

function expect(reply, code, what) {
  if (reply.code !== code) throw new Error(`${what}: expected ${code}, got ${reply.text}`);
  return reply;
}

async function session({ host, port, n, claim, message, onAccepted, pace }) {
  const socket = net.connect({ host, port, noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const read = replies(socket);
  expect(await read(), 220, 'greeting');
  socket.write('EHLO bench.example.test\r\n');
  expect(await read(), 250, 'EHLO');
  let accepted = 0;
  let refused = 0;
  const envelope = (i) => {
    const m = message(i);
    return { m, head: `MAIL FROM:<robot@shop.example.test> SIZE=${m.raw.length}\r\nRCPT TO:<${m.to}>\r\nDATA\r\n` };
  };
  let sent = 0;
  let index = claim();
  if (index === -1 || n === 0) {
    socket.end('QUIT\r\n');
    return { accepted, refused };
  }
  let current = envelope(index);
  if (pace) await waitSlot(pace, sent);
  socket.write(current.head);
  while (index !== -1) {
    expect(await read(), 250, 'MAIL FROM');
    expect(await read(), 250, 'RCPT TO');
    expect(await read(), 354, 'DATA');
    const sentAt = performance.now();
    sent++;
    const more = sent < n ? claim() : -1;
    const following = more === -1 ? null : envelope(more);
    socket.write(current.m.raw);
    if (following && !pace) {
      socket.write(`.\r\n${following.head}`);
    } else {
      socket.write('.\r\n');
    }
    const reply = await read();
    if (reply.code === 250) {
      accepted++;
      onAccepted?.(current.m, reply, sentAt);
    } else {
      refused++;
    }
    if (following && pace) {
      await waitSlot(pace, sent);
      socket.write(following.head);
    }
    index = more;
    current = following;
  }
  socket.write('QUIT\r\n');
  await read().catch(() => undefined);
  socket.destroy();
  return { accepted, refused };
}

/** Waits until this connection's `k`-th message is due at the overall `rate`. */
function waitSlot({ rate, started, c, connections }, k) {
  const due = started + ((k * connections + c) / rate) * 1000;
  const wait = due - performance.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}
