import type net from 'node:net';
import type { Logger } from 'pino';
import type { SmtpServerAdapter } from './smtp-server-adapter';

/**
 * Service under connection floods, after Postfix's stress mode and its postscreen: a leaking
 * connection pool or any local process holding idle sockets must not shut well-formed clients out.
 *
 * - Near the limit (80 % of `--smtp-max-connections`) the server is under stress, logged once when
 *   it starts and once when it ends: sessions idle between transactions, greetings never answered
 *   and TLS handshakes never finished are closed after 10 s instead of the idle timeout (Postfix
 *   drops `smtpd_timeout` from 300 s to 10 s under stress, for the same reason).
 * - At the limit a new connection waits in a waiting room, where it costs a socket and no session:
 *   on a plain server it gets the greeting a session would send (after smtp-server's own 100 ms for
 *   telling early talkers, who get its 421), and what the client says first is held. On an
 *   implicit-TLS server the client speaks first anyway, with its handshake. Only a connection that
 *   has spoken is given a session, in the order they spoke; one that never speaks never takes a
 *   session from one that does. What it sent reaches its session as if it had just been said.
 * - A connection that has spoken is given a session by closing one that does nothing: first those
 *   that never sent a command or are stuck in a TLS handshake, then those idle between transactions;
 *   oldest first in each, and each only after a second of doing nothing (so that a client between
 *   two commands, or waiting for its greeting, is not cut). The closed one gets `421 4.7.0` and a
 *   reason where it can read one. A session inside a transaction (after MAIL FROM, in DATA) is
 *   never closed. With nothing to close it waits for a session to end or become closable.
 * - A connection in the waiting room gets `421 4.7.0` once it has waited 10 s, a few at each sweep,
 *   oldest first, never all at once: a flood opened in one burst is not refused in one burst and
 *   does not come back in one.
 *
 * A flooder that re-opens every socket the server closes thus gets nowhere: its re-opened sockets
 * wait silent in the room, and a real client, which speaks within a round trip of its greeting, is
 * given the next session that can be had.
 *
 * What it reads of smtp-server's sessions and intake (which its API does not expose) comes through
 * smtp-server-adapter.ts: the connection intake it holds sockets back at, the sessions with their
 * state, the implicit-TLS sockets still in their handshake, and the greeting.
 */

/** Share of the limit at which stress starts, and below which it ends. */
const STRESS_ENTER = 0.8;
const STRESS_LEAVE = 0.6;
/** Idle and handshake time allowed under stress: Postfix's stress-mode `smtpd_timeout`. */
const STRESS_IDLE_MS = 10_000;
/** How often idle sessions and waiting connections are seen to under stress (only then). */
const SWEEP_MS = 250;
/** Doing nothing for less than this is not idle: a client between two commands, or greeted just now. */
const GRACE_MS = 1000;
/** Longest a connection waits for a session at the limit before its 421. */
const WAIT_MS = 10_000;
/** Waiters refused at one sweep at most, per 200 connections of the limit: 20 a second at 200. */
const REFUSED_PER_SWEEP = 5;
/** smtp-server's delay before its greeting: a client that speaks sooner is an early talker. */
const EARLY_TALKER_MS = 100;
/** Most of a first command held in the waiting room: smtp-server's own parser bounds the rest. */
const HEARD_MAX = 4096;

/** A session or pending socket that may be closed, with its rank: lower goes first. */
interface Candidate {
  /** 0: never sent a command, or in a TLS handshake; 1: idle between transactions. */
  rank: 0 | 1;
  since: number;
  close(reason: string): void;
}

/** A connection in the waiting room. */
interface Waiter {
  readonly socket: net.Socket;
  /** What the client has sent so far; it has spoken once `spoke` is set. */
  heard: Buffer;
  spoke: boolean;
  /** On a plain server, the greeting not yet sent. */
  greeting: NodeJS.Timeout | null;
}

/** Watches an smtp-server's connections; see the file comment. */
export class FloodGuard {
  readonly #smtp: SmtpServerAdapter;
  readonly #max: number;
  readonly #idleMs: number;
  readonly #name: string;
  readonly #log: Logger;
  /** Implicit TLS: the client speaks first, and nothing is said to it in plain text. */
  readonly #secure: boolean;
  /** When each session last sent a command, by session ID. */
  readonly #active = new Map<string, number>();
  /** When each socket was accepted, or (a TLS socket made later) first seen. */
  readonly #accepted = new WeakMap<object, number>();
  /**
   * Sockets handed to smtp-server that are not yet among its sessions: it makes the session one
   * `setImmediate` later (see SmtpServerAdapter.serve), and this count's own `setImmediate` runs after it.
   */
  #starting = 0;
  /** The waiting room, in arrival order. */
  #waiting: Waiter[] = [];
  #sweep: NodeJS.Timeout | null = null;
  #closedUnderStress = 0;
  /** Waiters that may still get their 421 before the next sweep. */
  #refusals = 0;
  readonly #refusalsPerSweep: number;

  /** Takes over `smtp`'s connection intake: every new connection is admitted here. */
  constructor(
    smtp: SmtpServerAdapter,
    options: { maxConnections: number; idleTimeoutMs: number; hostname: string; secure: boolean },
    log: Logger,
  ) {
    this.#smtp = smtp;
    smtp.gateConnections((socket) => this.#arrive(socket));
    this.#max = options.maxConnections;
    this.#idleMs = Math.min(STRESS_IDLE_MS, options.idleTimeoutMs);
    this.#name = options.hostname;
    this.#secure = options.secure;
    this.#log = log;
    this.#refusalsPerSweep = Math.max(1, Math.round((REFUSED_PER_SWEEP * options.maxConnections) / 200));
  }

  /** Sessions and pending handshakes that count against the limit (not those waiting). */
  get count(): number {
    return this.#smtp.connectionCount + this.#starting;
  }

  /** True while the server is under stress. */
  get stressed(): boolean {
    return this.#sweep !== null;
  }

  /** Notes a command from session `id`: it is not idle. */
  touch(id: string): void {
    this.#active.set(id, Date.now());
  }

  /** Forgets a closed session; its slot may go to a waiting connection. */
  forget(id: string): void {
    this.#active.delete(id);
    if (this.#waiting.length > 0) setImmediate(() => this.#serveWaiting());
  }

  /** Stops the stress timer and drops whoever waits (the server is closing). */
  stop(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
    // Each one's close (a tick later, before any timer) clears its greeting.
    for (const waiter of this.#waiting.splice(0)) waiter.socket.destroy();
  }

  #arrive(socket: net.Socket): void {
    this.#accepted.set(socket, Date.now());
    if (!this.stressed && this.count + 1 >= this.#max * STRESS_ENTER) this.#enterStress(this.count + 1);
    if (this.count < this.#max) {
      this.#serve(socket);
      return;
    }
    this.#wait(socket);
  }

  /** Takes `socket` into the waiting room; see the file comment. */
  #wait(socket: net.Socket): void {
    const waiter: Waiter = { socket, heard: Buffer.alloc(0), spoke: false, greeting: null };
    // Nothing of smtp-server reads it yet, so its errors are ours until smtp-server takes it.
    socket.on('error', ignore);
    if (!this.#secure) {
      waiter.greeting = setTimeout(() => {
        waiter.greeting = null;
        socket.write(this.#smtp.greeting);
      }, EARLY_TALKER_MS);
    }
    const hear = (chunk: Buffer): void => {
      if (waiter.greeting) {
        clearTimeout(waiter.greeting);
        waiter.greeting = null;
        socket.removeListener('data', hear);
        socket.end(`421 ${this.#name} You talk too soon\r\n`);
        return;
      }
      waiter.heard = Buffer.concat([waiter.heard, chunk]);
      // A command is a line; a TLS handshake starts with whatever its first packet holds.
      if (!this.#secure && !waiter.heard.includes(0x0a) && waiter.heard.length < HEARD_MAX) return;
      socket.removeListener('data', hear);
      socket.pause();
      waiter.spoke = true;
      this.#serveWaiting();
    };
    socket.on('data', hear);
    socket.once('close', () => {
      if (waiter.greeting) clearTimeout(waiter.greeting);
      const at = this.#waiting.indexOf(waiter);
      if (at !== -1) this.#waiting.splice(at, 1);
    });
    this.#waiting.push(waiter);
  }

  /** Hands `socket` to smtp-server, with what its client already said. */
  #serve(socket: net.Socket, heard?: Buffer): void {
    // A waiter keeps its no-op error listener: smtp-server adds its own only a turn later.
    // Its second of grace counts from now, not from when it began to wait.
    this.#accepted.set(socket, Date.now());
    this.#smtp.serve(socket, heard);
    this.#starting++;
    setImmediate(() => this.#starting--);
  }

  /** A session for a waiter that spoke, by closing one that does nothing if need be; false if none can be had. */
  #makeRoom(): boolean {
    if (this.count < this.#max) return true;
    const cutoff = Date.now() - GRACE_MS;
    const victim = this.#candidates()
      .filter((c) => c.since <= cutoff)
      .reduce<Candidate | null>(
        (best, c) => (!best || c.rank < best.rank || (c.rank === best.rank && c.since < best.since) ? c : best),
        null,
      );
    if (!victim) return false;
    victim.close('Too many connections: closing an idle session to serve a new one');
    this.#closedUnderStress++;
    return true;
  }

  /** Refuses (a few of) those that waited too long, then gives sessions to those that spoke, in turn. */
  #serveWaiting(): void {
    const expired = Date.now() - WAIT_MS;
    while (this.#refusals > 0 && this.#waiting.length > 0 && this.#since(this.#waiting[0]!.socket) <= expired) {
      this.#refusals--;
      // Greeted long ago: its 100 ms are over.
      this.#waiting
        .shift()!
        .socket.end(`421 4.7.0 ${this.#name} Too many connected clients, try again in a moment\r\n`);
    }
    for (let i = 0; i < this.#waiting.length;) {
      const waiter = this.#waiting[i]!;
      if (!waiter.spoke) {
        i++;
        continue;
      }
      if (!waiter.socket.destroyed) {
        if (!this.#makeRoom()) return;
        this.#serve(waiter.socket, waiter.heard);
      }
      this.#waiting.splice(i, 1);
    }
  }

  /** Every session and pending socket that does nothing, with its rank and since when. */
  #candidates(): Candidate[] {
    const out: Candidate[] = [];
    for (const pending of this.#smtp.pendingHandshakes()) {
      out.push({ rank: 0, since: this.#since(pending.socket), close: () => pending.destroy() });
    }
    for (const session of this.#smtp.sessions()) {
      if (session.closing || session.inTransaction) continue;
      const active = this.#active.get(session.id);
      const spoke = active !== undefined && !session.upgrading;
      out.push({
        rank: spoke ? 1 : 0,
        since: active ?? this.#since(session.socket),
        close: (reason) => session.close421(`4.7.0 ${this.#name} ${reason}`),
      });
    }
    return out;
  }

  #since(socket: object): number {
    let at = this.#accepted.get(socket);
    if (at === undefined) this.#accepted.set(socket, (at = Date.now()));
    return at;
  }

  #enterStress(count: number): void {
    this.#log.warn(
      { connections: count, max: this.#max, idleTimeoutMs: this.#idleMs },
      'SMTP under stress: near --smtp-max-connections, idle sessions are closed sooner and first',
    );
    this.#closedUnderStress = 0;
    this.#sweep = setInterval(() => this.#sweepIdle(), SWEEP_MS);
    this.#sweep.unref();
  }

  #sweepIdle(): void {
    this.#refusals = this.#refusalsPerSweep;
    this.#serveWaiting();
    if (this.#waiting.length === 0 && this.count < this.#max * STRESS_LEAVE) {
      if (this.#sweep) clearInterval(this.#sweep);
      this.#sweep = null;
      this.#log.warn({ connections: this.count, closed: this.#closedUnderStress }, 'SMTP stress over');
      return;
    }
    const cutoff = Date.now() - this.#idleMs;
    for (const candidate of this.#candidates()) {
      if (candidate.since > cutoff) continue;
      candidate.close('Idle too long while the server is busy');
      this.#closedUnderStress++;
    }
  }
}

function ignore(): void {}
