import type { TranscriptLine } from '../store/types';

/** Lines kept per connection; a session that never ends keeps its first and latest lines only. */
const MAX_LINES = 400;

interface Conversation {
  lines: TranscriptLine[];
  /** Lines before the first MAIL FROM: greeting, EHLO, STARTTLS, AUTH. Shared by every message. */
  prefixEnd: number;
  /** Where the current transaction's MAIL FROM stands. */
  txnStart: number;
}

/**
 * Records the SMTP conversation per connection from smtp-server's debug log, which already masks
 * AUTH secrets and never logs the DATA body. A message's transcript is the session prefix plus the
 * lines of its own transaction.
 */
export class TranscriptRecorder {
  readonly #conversations = new Map<string, Conversation>();

  /** Records one log call of smtp-server: `(meta, 'C:' | 'S:', line)`. */
  record(cid: string, direction: TranscriptLine['direction'], text: string): void {
    let conversation = this.#conversations.get(cid);
    if (!conversation) {
      conversation = { lines: [], prefixEnd: -1, txnStart: 0 };
      this.#conversations.set(cid, conversation);
    }
    const at = Date.now();
    const { lines } = conversation;
    if (direction === 'client' && /^MAIL\b/i.test(text)) {
      if (conversation.prefixEnd === -1) conversation.prefixEnd = lines.length;
      // Lines of earlier transactions are no longer needed: drop them.
      lines.length = conversation.prefixEnd;
      conversation.txnStart = lines.length;
    }
    if (lines.length >= MAX_LINES) lines.splice(conversation.txnStart + 1, 1);
    for (const line of text.split('\r\n')) lines.push({ at, direction, line: escapeControls(line) });
  }

  /** The transcript of the current transaction on this connection, with the DATA body elided. */
  transcript(cid: string, bodyBytes: number): TranscriptLine[] {
    const conversation = this.#conversations.get(cid);
    if (!conversation) return [];
    const lines = conversation.lines.slice();
    lines.push({ at: Date.now(), direction: 'client', line: `[message data: ${bodyBytes} bytes, elided]` });
    lines.push({ at: Date.now(), direction: 'client', line: '.' });
    return lines;
  }

  /** Forgets a closed connection. */
  forget(cid: string): void {
    this.#conversations.delete(cid);
  }
}

/**
 * smtp-server splits commands at LF only and lets a bare CR through in ESMTP parameters, so a client
 * could plant `\r250 forged` in a MAIL FROM line. Escaped, a transcript line stays one line wherever it
 * is shown (terminal, text view, HTML).
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
