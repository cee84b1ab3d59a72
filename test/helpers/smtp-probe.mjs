// Plain JavaScript (typed by smtp-probe.d.mts) because it also runs in the Pigeonhole child process
// of pigeonhole-process.ts, which is plain Node: Node 20 cannot run TypeScript.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const REPLY_END = /(^|\r\n)\d{3} [^\r\n]*\r\n$/;

/** One SMTP connection that reads whole replies; a closed connection reads as an empty reply. */
function connection(port) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let waiting = null;
  let closed = false;
  const deliver = (reply) => {
    const done = waiting;
    waiting = null;
    done?.(reply);
  };
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    if (REPLY_END.test(buffer) && waiting) {
      const reply = buffer;
      buffer = '';
      deliver(reply);
    }
  });
  socket.on('close', () => {
    closed = true;
    deliver('');
  });
  return {
    socket,
    get closed() {
      return closed;
    },
    read: () => (closed ? Promise.resolve('') : new Promise((resolve) => (waiting = resolve))),
  };
}

/**
 * A real SMTP client on a raw socket that keeps sending small messages and times every reply, for
 * tests that assert the server keeps answering while something else (a search, a page of mail HTML,
 * a flood) runs. The time is measured from when the command was due (its write, or the end of the
 * pause before it) to its reply's arrival, so an event loop that stalls shows up as a slow reply,
 * even when the probe runs on that same loop. See smtp-probe.d.mts for the options and the report.
 */
export function smtpProbe(port, options = {}) {
  const { transaction = 'data', pauseMs = 0, warmup = false, connectionPerRound = false, rounds = Infinity } = options;
  const report = { delivered: 0, replies: 0, rounds: 0, maxMs: 0, maxRoundMs: 0, unexpected: [] };
  let stopping = false;
  let timing = !warmup;
  let conn = null;
  // When the next command was due: the end of the pause before it. The probe shares its process's
  // event loop with the server it times (in the child of pigeonhole-process.ts), so a stall that
  // begins while it pauses also holds back its timer: timed from when the timer fired, the command
  // would miss the stall that delayed it. Timed from when it was due, it waits as an outside client
  // with its own clock would have (the "coordinated omission" of load testers).
  let dueAt = null;
  const startedAt = () => {
    const at = dueAt ?? performance.now();
    dueAt = null;
    return at;
  };

  const expectReply = (line, text, code, ms, timed = true) => {
    if (timing && timed) {
      report.maxMs = Math.max(report.maxMs, ms);
      report.replies++;
    }
    if (!text.startsWith(code)) report.unexpected.push(`${line.slice(0, 20)} -> ${text.trim() || '(closed)'}`);
    return text.startsWith(code);
  };
  const command = async (line, code) => {
    const reply = conn.read();
    const at = startedAt();
    conn.socket.write(`${line}\r\n`);
    return expectReply(line, await reply, code, performance.now() - at);
  };
  /** Connects and reads the greeting, timed from the connect when each round has a connection of its own. */
  const open = async () => {
    const at = startedAt();
    conn = connection(port);
    conn.socket.on('error', (err) => report.unexpected.push(`socket: ${err.message}`));
    return expectReply('(connect)', await conn.read(), '220', performance.now() - at, connectionPerRound);
  };
  const hello = () => command('EHLO probe.test', '250');
  /** One transaction; false when a reply was not the expected one (the connection is then ended). */
  const round = async (i) => {
    if (transaction === 'rset') {
      return (
        (await hello()) &&
        (await command('MAIL FROM:<probe@example.test>', '250')) &&
        (await command('RCPT TO:<probe@example.test>', '250')) &&
        (await command('RSET', '250'))
      );
    }
    const ok =
      (await command('MAIL FROM:<probe@example.test>', '250')) &&
      (await command('RCPT TO:<probe@example.test>', '250')) &&
      (await command('DATA', '354')) &&
      (await command(`Subject: probe ${i}\r\n\r\nprobe body ${i}\r\n.`, '250'));
    if (ok && timing) report.delivered++;
    return ok;
  };
  const timedRound = async (i) => {
    const at = dueAt ?? performance.now();
    let ok = connectionPerRound ? (await open()) && (transaction === 'rset' || (await hello())) : true;
    ok = ok && (await round(i));
    if (timing) {
      report.maxRoundMs = Math.max(report.maxRoundMs, performance.now() - at);
      report.rounds++;
    }
    if (connectionPerRound) {
      if (ok) ok = await quit();
      conn.socket.destroy();
    }
    return ok;
  };
  const quit = async () => {
    const ok = await command('QUIT', '221');
    conn.socket.end();
    return ok;
  };

  let ready = () => {};
  const started = new Promise((resolve) => (ready = resolve));
  const running = (async () => {
    let ok = true;
    if (!connectionPerRound) ok = (await open()) && (transaction === 'rset' || (await hello()));
    if (ok && warmup) ok = await timedRound(-1);
    timing = true;
    ready();
    for (let i = 0; ok && !stopping && i < rounds; i++) {
      ok = await timedRound(i);
      if (pauseMs > 0 && !stopping) {
        dueAt = performance.now() + pauseMs;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
    if (ok && !connectionPerRound) await quit();
    conn?.socket.destroy();
  })();
  return {
    started: Promise.race([started, running]).then(() => undefined),
    async finished() {
      await running;
      return report;
    },
    async stop() {
      stopping = true;
      await running;
      return report;
    },
  };
}
