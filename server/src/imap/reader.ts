/**
 * Framing of IMAP commands (RFC 3501 section 2.2): a command is a line, unless it ends in a literal
 * marker `{N}` (or `{N+}`, RFC 7888 LITERAL+), when N octets follow and then the rest of the command.
 * The reader turns bytes into whole commands, each a list of line pieces and literal octets, and
 * bounds everything a client could grow: one line, one literal, the literals of one command and the
 * whole command. Past a bound the command is dropped up to its end and answered once.
 */

/** One framed command: text pieces (without CRLF and without the `{N}` markers) and literals between them. */
export type Framed = (string | Buffer)[];

/** Bounds of the reader. */
export interface ReaderLimits {
  /** Longest line of a command, CRLF included. */
  maxLineLength: number;
  /** Largest literal. */
  maxLiteral: number;
  /** Largest command: lines and literals together. */
  maxCommand: number;
}

/** What the reader hands to its owner. */
export interface ReaderSink {
  /** A whole command. */
  command(parts: Framed): void;
  /** A synchronising literal was announced and fits: the client waits for `+` before sending it. */
  continueLiteral(): void;
  /** A command broke a bound; `tag` is its tag when the first line showed one. */
  tooLarge(tag: string | null, reason: string): void;
}

const LF = 0x0a;
const CR = 0x0d;
const LITERAL_MARKER = /\{(\d{1,10})(\+?)\}$/;

/** Incremental IMAP command framing with bounds; feed it bytes with {@link push}. */
export class CommandReader {
  readonly #limits: ReaderLimits;
  readonly #sink: ReaderSink;
  #buffer: Buffer = Buffer.alloc(0);
  #parts: Framed = [];
  #size = 0;
  /** Octets of literal still to come, or -1 while reading a line. */
  #literalLeft = -1;
  /** Set after a bound broke: the rest of the command is read and thrown away. */
  #discarding: { tag: string | null; reason: string; literalLeft: number } | null = null;

  constructor(limits: ReaderLimits, sink: ReaderSink) {
    this.#limits = limits;
    this.#sink = sink;
  }

  /** Bytes buffered but not yet part of a command (for backpressure and tests). */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Forgets everything buffered (after STARTTLS: what was pipelined in the clear is dropped). */
  reset(): void {
    this.#buffer = Buffer.alloc(0);
    this.#parts = [];
    this.#size = 0;
    this.#literalLeft = -1;
    this.#discarding = null;
  }

  /** Adds bytes from the socket. */
  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /**
   * Frames the next command from what is buffered and hands it to the sink. Returns false when more
   * bytes are needed. One command at a time, so that the owner may pause between commands.
   */
  next(): boolean {
    while (this.#buffer.length > 0) {
      if (this.#discarding) {
        if (!this.#discard()) return false;
        continue;
      }
      if (this.#literalLeft >= 0) {
        if (this.#buffer.length < this.#literalLeft) return false;
        this.#parts.push(Buffer.from(this.#buffer.subarray(0, this.#literalLeft)));
        this.#buffer = this.#buffer.subarray(this.#literalLeft);
        this.#literalLeft = -1;
        continue;
      }
      const lf = this.#buffer.indexOf(LF);
      if (lf === -1) {
        if (this.#buffer.length > this.#limits.maxLineLength) {
          this.#startDiscard('line too long', -1);
          this.#buffer = Buffer.alloc(0);
        }
        return false;
      }
      const end = lf > 0 && this.#buffer[lf - 1] === CR ? lf - 1 : lf;
      const line = this.#buffer.toString('latin1', 0, end);
      this.#buffer = this.#buffer.subarray(lf + 1);
      if (lf + 1 > this.#limits.maxLineLength) {
        this.#fail(line, 'line too long');
        continue;
      }
      if (this.#line(line)) return true;
    }
    return false;
  }

  /** Takes one line; true when it completed a command. */
  #line(line: string): boolean {
    this.#size += line.length + 2;
    if (this.#size > this.#limits.maxCommand) {
      this.#fail(line, 'command too long');
      return false;
    }
    const marker = LITERAL_MARKER.exec(line);
    if (!marker) {
      this.#parts.push(line);
      const parts = this.#parts;
      this.#parts = [];
      this.#size = 0;
      this.#sink.command(parts);
      return true;
    }
    const length = Number(marker[1]);
    const nonSync = marker[2] === '+';
    this.#parts.push(line.slice(0, marker.index));
    if (length > this.#limits.maxLiteral || this.#size + length > this.#limits.maxCommand) {
      // A synchronising literal is never sent once refused; a LITERAL+ one comes anyway and is skipped.
      const tag = this.#tag();
      this.#parts = [];
      this.#size = 0;
      if (nonSync) this.#discarding = { tag, reason: 'literal too large', literalLeft: length };
      else this.#sink.tooLarge(tag, 'literal too large');
      return false;
    }
    this.#size += length;
    this.#literalLeft = length;
    if (!nonSync) this.#sink.continueLiteral();
    return false;
  }

  /** The tag of the command being read, from its first line. */
  #tag(): string | null {
    const first = this.#parts[0];
    if (typeof first !== 'string') return null;
    const tag = first.split(' ', 1)[0] ?? '';
    return /^[\x21-\x7e]{1,64}$/.test(tag) && !/[(){%*"\\+]/.test(tag) ? tag : null;
  }

  #fail(line: string, reason: string): void {
    if (this.#parts.length === 0) this.#parts.push(line);
    const tag = this.#tag();
    this.#parts = [];
    this.#size = 0;
    // A line that announces a literal is followed by it (LITERAL+), or by nothing (synchronising).
    const marker = LITERAL_MARKER.exec(line);
    if (marker?.[2] === '+') this.#discarding = { tag, reason, literalLeft: Number(marker[1]) };
    else this.#sink.tooLarge(tag, reason);
  }

  #startDiscard(reason: string, literalLeft: number): void {
    if (this.#parts.length === 0) this.#parts.push(this.#buffer.toString('latin1', 0, 80));
    this.#discarding = { tag: this.#tag(), reason, literalLeft };
    this.#parts = [];
    this.#size = 0;
  }

  /** Skips a dropped command's bytes up to its end; true once done (the sink was told). */
  #discard(): boolean {
    const state = this.#discarding!;
    if (state.literalLeft >= 0) {
      const skip = Math.min(state.literalLeft, this.#buffer.length);
      this.#buffer = this.#buffer.subarray(skip);
      state.literalLeft -= skip;
      if (state.literalLeft > 0) return false;
      state.literalLeft = -1;
    }
    const lf = this.#buffer.indexOf(LF);
    if (lf === -1) {
      this.#buffer = Buffer.alloc(0);
      return false;
    }
    const end = lf > 0 && this.#buffer[lf - 1] === CR ? lf - 1 : lf;
    const rest = this.#buffer.toString('latin1', 0, end);
    this.#buffer = this.#buffer.subarray(lf + 1);
    const marker = LITERAL_MARKER.exec(rest);
    if (marker?.[2] === '+') {
      state.literalLeft = Number(marker[1]);
      return false;
    }
    this.#discarding = null;
    this.#sink.tooLarge(state.tag, state.reason);
    return true;
  }
}
