import type { PackedTranscript } from '../store/types';

/** Lines kept per connection; a session that never ends keeps its first and latest lines only. */
const MAX_LINES = 400;

interface Conversation {
  /** When the first line was recorded: each line keeps its time as milliseconds after it. */
  base: number;
  /** Lines before the first MAIL FROM (greeting, EHLO, STARTTLS, AUTH), packed once and shared. */
  prefix: string | null;
  /** Packed lines since then: the current transaction's, from its MAIL FROM. */
  lines: string[];
}

/**
 * Records the SMTP conversation per connection from smtp-server's debug log, which already masks
 * AUTH secrets and never logs the DATA body. A message's transcript is the session prefix plus the
 * lines of its own transaction.
 *
 * Lines are recorded in the store's packed form (`<ms since base> <C|S><text>`, see
 * transcript-pack.ts), so a message's transcript is one join: as a line object each, and packed
 * again at the store, the transcript cost about a fifth of Pigeonhole's CPU per message (test/bench).
 */
export class TranscriptRecorder {
  readonly #conversations = new Map<string, Conversation>();

  /** Records one log call of smtp-server: `(meta, 'C:' | 'S:', text)`; a reply may span lines. */
  record(cid: string, direction: 'client' | 'server', text: string): void {
    const at = Date.now();
    let conversation = this.#conversations.get(cid);
    if (!conversation) {
      conversation = { base: at, prefix: null, lines: [] };
      this.#conversations.set(cid, conversation);
    }
    if (direction === 'client' && isMailFrom(text)) {
      // The prefix is fixed by the first MAIL FROM; lines of earlier transactions are no longer needed.
      if (conversation.prefix === null) conversation.prefix = conversation.lines.join('\n');
      conversation.lines = [];
    }
    const lines = conversation.lines;
    const tag = `${at - conversation.base} ${direction === 'client' ? 'C' : 'S'}`;
    if (text.includes('\r\n')) for (const line of text.split('\r\n')) lines.push(tag + escapeControls(line));
    else lines.push(tag + escapeControls(text));
    // Keep the first line (the transaction's MAIL FROM) and the latest ones.
    while (lines.length > MAX_LINES) lines.splice(1, 1);
  }

  /** The packed transcript of the current transaction on this connection, the DATA body elided. */
  transcript(cid: string, bodyBytes: number): PackedTranscript {
    const conversation = this.#conversations.get(cid);
    if (!conversation) return { base: 0, prefix: '', own: '' };
    const tag = `${Date.now() - conversation.base} C`;
    const own = [...conversation.lines, `${tag}[message data: ${bodyBytes} bytes, elided]`, `${tag}.`];
    return { base: conversation.base, prefix: conversation.prefix ?? '', own: own.join('\n') };
  }

  /** Forgets a closed connection. */
  forget(cid: string): void {
    this.#conversations.delete(cid);
  }
}

/** `MAIL FROM:...`, in any case; the first character is tested before the expression runs. */
function isMailFrom(text: string): boolean {
  const first = text.charCodeAt(0) | 0x20;
  return first === 0x6d && /^MAIL\b/i.test(text);
}

/**
 * smtp-server splits commands at LF only and lets a bare CR through in ESMTP parameters, so a client
 * could plant `\r250 forged` in a MAIL FROM line. Escaped, a transcript line stays one line wherever it
 * is shown (terminal, text view, HTML), and the packed form, whose lines are split at LF, stays exact.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function escapeControls(line: string): string {
  if (!CONTROL.test(line)) return line;
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
