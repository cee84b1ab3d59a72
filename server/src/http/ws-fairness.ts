/**
 * Who may hold the event feeds' WebSocket slots, and how much a client may send on them. Kept apart
 * from the hub so that the policy reads in one place.
 *
 * The feeds are one-way: Mailpit's `/api/events` and MailHog's `/api/v2/websocket` expect nothing
 * from a client beyond control frames (pongs to our pings). A client that floods frames costs a
 * parse and an event per frame on the thread that also answers SMTP: a flood of small frames from
 * a few local clients raised SMTP reply times to 6.6 s.
 */

/** Frames (messages and pings) a client may send per window before it is closed with 1008. */
export const MAX_CLIENT_FRAMES = 100;
/** Bytes of client frames allowed per window. */
export const MAX_CLIENT_BYTES = 1024 * 1024;
/** The window those budgets count over. */
export const FRAME_WINDOW_MS = 10_000;
/** A ping unanswered this long marks its peer as likely gone (a pong on loopback takes a millisecond). */
const UNANSWERED_MS = 5_000;

/** What the hub knows of one connected client. */
export interface Slot {
  /** Who holds it: the remote address and the Origin header, as the request gave them. */
  readonly key: string;
  /** When it connected (a counter, so that order is exact even within one millisecond). */
  readonly order: number;
  /** When our last ping went unanswered so far; 0 once answered. */
  pingedAt: number;
  windowStart: number;
  frames: number;
  bytes: number;
}

/**
 * Counts one client frame against the slot's budget; false once the client is over it.
 */
export function spend(slot: Slot, bytes: number, now: number): boolean {
  if (now - slot.windowStart >= FRAME_WINDOW_MS) {
    slot.windowStart = now;
    slot.frames = 0;
    slot.bytes = 0;
  }
  slot.frames++;
  slot.bytes += bytes;
  return slot.frames <= MAX_CLIENT_FRAMES && slot.bytes <= MAX_CLIENT_BYTES;
}

/**
 * The slot to free when the hub is full and another client asks in. A full hub refusing newcomers
 * (1013) let any local process that opened 500 sockets shut the inbox out; instead the newcomer is
 * always let in, and the slot given up is, in order:
 * 1. the oldest slot whose peer has left our last ping unanswered for seconds (leaked or gone);
 * 2. else the oldest slot of the key (address and Origin) holding the most slots.
 * A flooder on one key then only ever displaces its own oldest sockets, and a browser tab, the one
 * socket of its key, stays connected however many the flooder opens or reopens. One that forges the
 * tab's very Origin from the same address shares its key: it can then displace the tab, but only by
 * opening more sockets than every other key holds, and the tab, reconnecting, still gets back in.
 */
export function pickEvictee<S>(slots: ReadonlyMap<S, Slot>, now: number): S | undefined {
  let dead: [S, Slot] | undefined;
  const perKey = new Map<string, { count: number; oldest: [S, Slot] }>();
  for (const entry of slots) {
    const slot = entry[1];
    const silent = slot.pingedAt > 0 && now - slot.pingedAt > UNANSWERED_MS;
    if (silent && (!dead || slot.order < dead[1].order)) dead = entry;
    const group = perKey.get(slot.key);
    if (!group) perKey.set(slot.key, { count: 1, oldest: entry });
    else {
      group.count++;
      if (slot.order < group.oldest[1].order) group.oldest = entry;
    }
  }
  if (dead) return dead[0];
  let busiest: { count: number; oldest: [S, Slot] } | undefined;
  for (const group of perKey.values()) {
    const older = busiest && group.count === busiest.count && group.oldest[1].order < busiest.oldest[1].order;
    if (!busiest || group.count > busiest.count || older) busiest = group;
  }
  return busiest?.oldest[0];
}
