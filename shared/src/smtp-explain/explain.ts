import {
  AUTH_MECHANISMS,
  COMMANDS,
  ENHANCED_CLASSES,
  ENHANCED_DETAILS,
  ENHANCED_SUBJECTS,
  EXTENSIONS,
  MAIL_PARAMS,
  RCPT_PARAMS,
  REPLY_CLASSES,
  REPLY_CODES,
  rfcUrl,
  type ExplainEntry,
} from './table';

/** One note on a transcript line: the term it explains, what it means, and the RFC that says so. */
export interface LineNote {
  /** The piece of the line explained, as it appears there (`250`, `2.1.0`, `RET=HDRS`, `PIPELINING`). */
  term: string;
  text: string;
  /** `RFC 5321 §4.1.1.1`, or empty for a vendor extension. */
  rfc: string;
  /** A link to that RFC section, or empty. */
  url: string;
}

/** A transcript line as the explainer reads it. */
export interface ExplainInput {
  direction: 'client' | 'server';
  line: string;
}

/**
 * Parameters read per command, and characters per term shown. Transcript lines are the client's
 * words: a line is cut into words with indexOf and split, never matched with a regular expression,
 * so a 4 KiB hostile line costs one linear pass.
 */
const MAX_PARAMS = 16;
const MAX_TERM = 80;

function note(term: string, entry: ExplainEntry, extra = ''): LineNote {
  const shown = term.length > MAX_TERM ? `${term.slice(0, MAX_TERM)}…` : term;
  const rfc = entry.rfc === 0 ? '' : `RFC ${entry.rfc}${entry.section ? ` §${entry.section}` : ''}`;
  return { term: shown, text: extra ? `${entry.text} ${extra}` : entry.text, rfc, url: rfcUrl(entry) };
}

/** Own-property lookup, so that `constructor` or `__proto__` in a hostile line finds nothing. */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The words of `text` split at spaces, at most `max` of them, empty words dropped. */
function words(text: string, max: number): string[] {
  const out: string[] = [];
  for (const word of text.split(' ', max * 4)) {
    if (word) out.push(word);
    if (out.length === max) break;
  }
  return out;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Digits of `text` from `at`, at most `max`; returns the end or -1 when none. */
function digitsEnd(text: string, at: number, max: number): number {
  let i = at;
  while (i < text.length && i - at < max && isDigit(text.charCodeAt(i))) i++;
  return i === at ? -1 : i;
}

/** An enhanced status code (`class.subject.detail`) at the start of `text`, or null. */
function enhancedCode(text: string): string | null {
  const c = text.charCodeAt(0);
  if (!(c === 0x32 || c === 0x34 || c === 0x35) || text[1] !== '.') return null;
  const subjectEnd = digitsEnd(text, 2, 3);
  if (subjectEnd === -1 || text[subjectEnd] !== '.') return null;
  const detailEnd = digitsEnd(text, subjectEnd + 1, 3);
  if (detailEnd === -1 || (detailEnd < text.length && text[detailEnd] !== ' ')) return null;
  return text.slice(0, detailEnd);
}

function enhancedNote(code: string): LineNote {
  const [klass = '', subject = '', detail = ''] = code.split('.');
  const known = lookup(ENHANCED_DETAILS, `${subject}.${detail}`);
  const what = `${lookup(ENHANCED_CLASSES, klass) ?? 'Status'}: ${lookup(ENHANCED_SUBJECTS, subject) ?? 'unknown subject'}${known ? `, ${known}` : ''}.`;
  return {
    term: code,
    text: `Enhanced status code. ${what}`,
    rfc: 'RFC 3463',
    url: 'https://www.rfc-editor.org/rfc/rfc3463',
  };
}

/** Notes on a MAIL FROM or RCPT TO line's address and parameters. */
function addressCommand(verb: 'MAIL FROM' | 'RCPT TO', rest: string): LineNote[] {
  const notes = [note(verb, COMMANDS[verb]!)];
  let at = 0;
  while (rest[at] === ' ') at++;
  let paramsAt = rest.indexOf(' ', at);
  if (rest[at] === '<') {
    const close = rest.indexOf('>', at);
    paramsAt = close === -1 ? -1 : close + 1;
  }
  if (paramsAt === -1) return notes;
  const table = verb === 'MAIL FROM' ? MAIL_PARAMS : RCPT_PARAMS;
  for (const param of words(rest.slice(paramsAt), MAX_PARAMS)) {
    const eq = param.indexOf('=');
    const key = (eq === -1 ? param : param.slice(0, eq)).toUpperCase();
    const entry = lookup(table, key);
    if (entry) notes.push(note(param, entry));
  }
  return notes;
}

/** The verb of a client line: `MAIL FROM`, `RCPT TO` or the first word, upper case. */
function clientVerb(line: string): { verb: string; rest: string } {
  let end = 0;
  while (end < line.length && end < 16 && line[end] !== ' ' && line[end] !== ':') end++;
  const first = line.slice(0, end).toUpperCase();
  if (first === 'MAIL' || first === 'RCPT') {
    const colon = line.indexOf(':');
    const word = colon === -1 ? '' : line.slice(end, colon).trim().toUpperCase();
    if (first === 'MAIL' && word === 'FROM') return { verb: 'MAIL FROM', rest: line.slice(colon + 1) };
    if (first === 'RCPT' && word === 'TO') return { verb: 'RCPT TO', rest: line.slice(colon + 1) };
  }
  return { verb: first, rest: line.slice(end) };
}

/** Notes on one client line; `verb` is what the reply will answer. */
function clientLine(line: string): { verb: string; notes: LineNote[] } {
  // Lines the recorder writes itself: the AUTH exchange's masked answer, the elided DATA body.
  if (line === '/* secured */')
    return {
      verb: 'AUTH',
      notes: [
        {
          term: line,
          text: 'The client’s answer in the AUTH exchange, masked by Pigeonhole.',
          rfc: 'RFC 4954 §4',
          url: rfcUrl({ rfc: 4954, section: '4' }),
        },
      ],
    };
  if (line.startsWith('[message data:')) return { verb: '', notes: [] };
  if (line === '.')
    return {
      verb: '.',
      notes: [
        {
          term: '.',
          text: 'End of message data: a line with a single dot.',
          rfc: 'RFC 5321 §4.1.1.4',
          url: rfcUrl({ rfc: 5321, section: '4.1.1.4' }),
        },
      ],
    };
  const { verb, rest } = clientVerb(line);
  if (verb === 'MAIL FROM' || verb === 'RCPT TO') return { verb, notes: addressCommand(verb, rest) };
  const entry = lookup(COMMANDS, verb);
  if (!entry) return { verb, notes: [] };
  const notes = [note(verb, entry)];
  if (verb === 'AUTH') {
    const [mechanism] = words(rest, 1);
    const known = mechanism && lookup(AUTH_MECHANISMS, mechanism.toUpperCase());
    if (mechanism && known) notes.push(note(mechanism, known));
  }
  return { verb, notes };
}

/** Notes on an EHLO reply line after the first: the extension it offers. */
function extensionLine(text: string): LineNote[] {
  const [keyword = '', ...args] = words(text, MAX_PARAMS);
  const entry = lookup(EXTENSIONS, keyword.toUpperCase());
  if (!entry) return [];
  const notes = [note(keyword, entry)];
  if (keyword.toUpperCase() === 'SIZE' && args[0] && digitsEnd(args[0], 0, 15) === args[0].length) {
    notes[0] = note(`SIZE ${args[0]}`, entry, `Here: ${(Number(args[0]) / 1048576).toFixed(1)} MiB.`);
  }
  if (keyword.toUpperCase() === 'AUTH') {
    for (const mechanism of args) {
      const known = lookup(AUTH_MECHANISMS, mechanism.toUpperCase());
      if (known) notes.push(note(mechanism, known));
    }
  }
  return notes;
}

/**
 * Explains a transcript line by line: each client command with its parameters, each reply code and
 * enhanced status code, and each extension an EHLO reply offers, with the RFC that defines it.
 * Replies are matched to commands in order (pipelined commands are answered in order, RFC 2920), so
 * an EHLO reply's lines are read as extensions. Returns one (possibly empty) list of notes per line.
 */
export function explainTranscript(lines: readonly ExplainInput[]): LineNote[][] {
  const awaiting: string[] = [];
  let replyStarted = false;
  return lines.map(({ direction, line }) => {
    if (direction === 'client') {
      const { verb, notes } = clientLine(line);
      if (verb) awaiting.push(verb);
      return notes;
    }
    const code = line.slice(0, 3);
    const separator = line[3];
    if (digitsEnd(code, 0, 3) !== 3 || (separator !== undefined && separator !== ' ' && separator !== '-')) return [];
    const text = line.slice(4);
    const answering = awaiting[0] ?? 'greeting';
    const first = !replyStarted;
    replyStarted = separator === '-';
    if (!replyStarted) awaiting.shift();
    if (!first && (answering === 'EHLO' || answering === 'LHLO')) return extensionLine(text);
    if (!first) return [];
    const notes: LineNote[] = [];
    const entry = lookup(REPLY_CODES, code) ?? lookup(REPLY_CLASSES, code[0]!);
    if (entry) notes.push(note(code, entry));
    const enhanced = enhancedCode(text);
    if (enhanced) notes.push(enhancedNote(enhanced));
    return notes;
  });
}
