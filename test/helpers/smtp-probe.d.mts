/** What an SMTP probe saw: replies, transactions and the slowest of them. */
export interface ProbeReport {
  /** Messages accepted with 250 after DATA (the warm-up round aside). */
  delivered: number;
  /** Replies read and timed, every command of every transaction. */
  replies: number;
  /** Transactions (rounds) completed and timed. */
  rounds: number;
  /** The slowest reply, ms from the command due (written, or the pause before it over) to the reply read. */
  maxMs: number;
  /**
   * The slowest round, ms from its first command (or its connect, with `connectionPerRound`) to its
   * last reply before QUIT.
   */
  maxRoundMs: number;
  /** Replies that were not the expected code, and socket errors, as text. */
  unexpected: string[];
}

/** How the probe talks. The defaults are one connection sending MAIL, RCPT, DATA, body back to back. */
export interface ProbeOptions {
  /**
   * `data` (default): MAIL, RCPT, DATA and a small body, a message delivered each round.
   * `rset`: EHLO, MAIL, RCPT, RSET, nothing stored.
   */
  transaction?: 'data' | 'rset';
  /** A pause between rounds, ms: a steady sender rather than a flood. Default 0. */
  pauseMs?: number;
  /** One untimed round first: the first of anything in a process pays for compiling it. */
  warmup?: boolean;
  /** A fresh connection per round (greeting and EHLO timed too), closed with QUIT after it. */
  connectionPerRound?: boolean;
  /** Stop by itself after this many rounds. Default: run until stopped. */
  rounds?: number;
}

/** A running probe. */
export interface SmtpProbe {
  /** Resolves once the probe is sending timed rounds (connected, greeted, warmed up). */
  started: Promise<void>;
  /** Resolves with the report once the rounds asked for are done (or a reply was not expected). */
  finished(): Promise<ProbeReport>;
  /** Stops after the current round and resolves with the report. */
  stop(): Promise<ProbeReport>;
}

/**
 * A real SMTP client on a raw socket of 127.0.0.1:`port` that keeps sending small messages and
 * times every reply, from when the command was due (its write, or the end of the pause before it) to
 * the reply's arrival, so an event loop that stalls shows up as a slow reply, even when the probe
 * runs on that same loop. A reply other than the expected one ends the probe.
 */
export function smtpProbe(port: number, options?: ProbeOptions): SmtpProbe;
