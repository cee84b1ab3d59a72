// The child side of pigeonhole-process.ts: one Pigeonhole of the built package (server/dist), alone on
// this process's event loop with nothing of the test runner's, plus what a latency test needs next
// to it: SMTP probes (so that their timing measures this loop only), a record of the HTTP requests
// served, the store's count, log lines and open sockets. Plain JavaScript: Node 20 runs no TypeScript.
//
// Protocol (IPC): the parent sends { id, op, ...args }, the child answers { id, value } or
// { id, error }. The first op is `start`; `stop` stops Pigeonhole and ends the process.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { smtpProbe } from './smtp-probe.mjs';

const [distIndex] = process.argv.slice(2);
const { startPigeonhole } = await import(distIndex);

let pigeonhole = null;
const logLines = [];
const requests = [];
let recording = false;
const probes = new Map();
let nextProbe = 0;

/** A logger whose lines the parent can count, as the in-process tests capture theirs. */
function capturingLogger(level) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return pino({ level }, stream);
}

/** Open sockets of this process with `port` at their local end: the server's side of each connection. */
function socketsOn(port) {
  return process._getActiveHandles().filter((h) => h instanceof net.Socket && !h.destroyed && h.localPort === port)
    .length;
}

const stallWatches = new Map();
/** Event-loop stalls worth naming next to a slow reply: longer than this, ms. */
const STALL_MS = 40;

/**
 * Watches this process's event loop while a probe runs: each stall (a 10 ms timer late by more than
 * STALL_MS) with the CPU time the process spent meanwhile. A stall with about as much CPU as wall
 * time is Pigeonhole's own work; one with much less is the machine, busy with other processes.
 */
function watchStalls() {
  const stalls = [];
  const t0 = performance.now();
  let last = t0;
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    if (now - last - 10 > STALL_MS) {
      stalls.push({
        atMs: Math.round(last - t0),
        wallMs: Math.round(now - last),
        cpuMs: Math.round((used.user + used.system) / 1000),
      });
    }
    last = now;
    cpu = process.cpuUsage();
  }, 10);
  return () => {
    clearInterval(timer);
    return stalls;
  };
}

/** A probe's report with the stalls seen while it ran. */
async function withStalls(id, reporting) {
  const report = await reporting;
  const stop = stallWatches.get(id);
  stallWatches.delete(id);
  return { ...report, stalls: stop ? stop() : [] };
}

const ops = {
  async start({ options, logLevel }) {
    const logger = logLevel ? capturingLogger(logLevel) : undefined;
    pigeonhole = await startPigeonhole({ logLevel: 'silent', ...options, ...(logger ? { logger } : {}) });
    pigeonhole.app.server.on('request', (req, res) => {
      if (recording) res.on('finish', () => requests.push({ url: req.url ?? '', status: res.statusCode }));
    });
    return {
      smtpPort: pigeonhole.smtpPort,
      smtpHost: pigeonhole.smtpHost,
      pop3Port: pigeonhole.pop3Port,
      httpUrl: pigeonhole.httpUrl,
      // JSON-safe: URLs become strings, regular expressions empty objects.
      config: JSON.parse(JSON.stringify(pigeonhole.config)),
    };
  },
  record() {
    recording = true;
    requests.length = 0;
  },
  requests: () => requests.slice(),
  async probeStart({ options }) {
    const id = nextProbe++;
    const probe = smtpProbe(pigeonhole.smtpPort, options);
    probes.set(id, probe);
    stallWatches.set(id, watchStalls());
    await probe.started;
    return id;
  },
  probeStop: ({ probe }) => withStalls(probe, probes.get(probe).stop()),
  probeFinished: ({ probe }) => withStalls(probe, probes.get(probe).finished()),
  storeCount: () => pigeonhole.store.count,
  logCount: ({ text }) => logLines.filter((line) => line.includes(text)).length,
  smtpSockets: () => socketsOn(pigeonhole.smtpPort),
  async stop() {
    await Promise.all([...probes.values()].map((p) => p.stop()));
    for (const stop of stallWatches.values()) stop();
    await pigeonhole?.stop();
    pigeonhole = null;
  },
};

process.on('message', async ({ id, op, ...args }) => {
  try {
    const value = await ops[op](args);
    process.send({ id, value: value ?? null });
    if (op === 'stop') process.disconnect();
  } catch (err) {
    process.send({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
// The parent gone (a crashed or killed test worker): stop rather than linger with open ports.
process.on('disconnect', () => {
  void pigeonhole?.stop().finally(() => process.exit(0));
  if (!pigeonhole) process.exit(0);
});
process.send({ ready: true });
