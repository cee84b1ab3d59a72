import type { Framed } from './reader';

/**
 * The arguments of an IMAP command (RFC 3501 section 9, formal syntax) as a small tree: atoms,
 * strings (quoted or literal) and parenthesised lists. Hostile input: nesting is bounded, every
 * error is a {@link ParseError} that the session answers with a tagged BAD.
 */

/** An argument: an atom (`FLAGS`, `1:*`, `BODY[HEADER]<0.10>`), a string, or a list. */
export type Token =
  { kind: 'atom'; value: string } | { kind: 'string'; value: string; bytes: Buffer } | { kind: 'list'; items: Token[] };

/** A parsed command line. */
export interface ParsedCommand {
  tag: string;
  /** Upper case. */
  name: string;
  args: Token[];
}

/** Deepest parenthesis nesting accepted: SEARCH with NOT/OR groups needs a few; clients use 2 or 3. */
export const MAX_NESTING = 16;
/** Most tokens in one command: a SEARCH or FETCH a client sends has a few dozen. */
export const MAX_TOKENS = 10_000;

/** A malformed command; its message is the reason the client reads after BAD. */
export class ParseError extends Error {}

const TAG = /^[\x21-\x7e]+$/;
const TAG_SPECIALS = /[(){%*"\\+]/;
const ATOM_STOP = new Set(['(', ')', '{', ' ', '"']);

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Splits the tag and command name off the first piece; the rest is parsed by {@link parseArgs}. */
export function parseCommand(parts: Framed): ParsedCommand {
  const first = parts[0];
  if (typeof first !== 'string') throw new ParseError('empty command');
  const space = first.indexOf(' ');
  const tag = space === -1 ? first : first.slice(0, space);
  if (!tag || !TAG.test(tag) || TAG_SPECIALS.test(tag) || tag.length > 64) throw new ParseError('bad tag');
  const afterTag = space === -1 ? '' : first.slice(space + 1);
  const nameEnd = afterTag.indexOf(' ');
  const name = (nameEnd === -1 ? afterTag : afterTag.slice(0, nameEnd)).toUpperCase();
  if (!/^[A-Z]{1,20}$/.test(name)) throw new ParseError(name ? 'unknown command' : 'missing command');
  const rest: Framed = [nameEnd === -1 ? '' : afterTag.slice(nameEnd + 1), ...parts.slice(1)];
  return { tag, name, args: parseArgs(rest) };
}

/** Parses argument text and literals into tokens. */
export function parseArgs(parts: Framed): Token[] {
  const root: Token[] = [];
  const stack: Token[][] = [root];
  let count = 0;
  const add = (token: Token): void => {
    if (++count > MAX_TOKENS) throw new ParseError('too many arguments');
    stack[stack.length - 1]!.push(token);
  };
  for (const part of parts) {
    if (typeof part !== 'string') {
      add({ kind: 'string', value: part.toString('utf8'), bytes: part });
      continue;
    }
    let i = 0;
    while (i < part.length) {
      const c = part[i]!;
      if (c === ' ') {
        i++;
      } else if (c === '(') {
        if (stack.length > MAX_NESTING) throw new ParseError('lists nested too deep');
        const list: Token = { kind: 'list', items: [] };
        add(list);
        stack.push(list.items);
        i++;
      } else if (c === ')') {
        if (stack.length === 1) throw new ParseError('unbalanced )');
        stack.pop();
        i++;
      } else if (c === '"') {
        const [value, next] = quoted(part, i);
        add({ kind: 'string', value: utf8(value), bytes: Buffer.from(value, 'latin1') });
        i = next;
      } else {
        const [value, next] = atom(part, i);
        add({ kind: 'atom', value: utf8(value) });
        i = next;
      }
    }
  }
  if (stack.length !== 1) throw new ParseError('unbalanced (');
  return root;
}

/** A quoted string from `at` (the opening quote); returns its value and the index after it. */
function quoted(text: string, at: number): [string, number] {
  let out = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return [out, i + 1];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '"' && next !== '\\') throw new ParseError('bad escape in quoted string');
      out += next;
      i++;
    } else {
      out += c;
    }
  }
  throw new ParseError('unterminated quoted string');
}

/**
 * An atom from `at`. A `[` opens a section (`BODY[HEADER.FIELDS (TO FROM)]`) whose text, spaces and
 * parentheses included, belongs to the atom up to its `]`; `<...>` after it too.
 */
function atom(text: string, at: number): [string, number] {
  let i = at;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (close === -1) throw new ParseError('unterminated [');
      i = close + 1;
      continue;
    }
    if (ATOM_STOP.has(c) || c < ' ' || c === '\x7f') break;
    i++;
  }
  if (i === at) throw new ParseError(`unexpected character ${JSON.stringify(text[at])}`);
  return [text.slice(at, i), i];
}

/** The token's text when it is an atom or a string (`astring`), else a ParseError. */
export function astring(token: Token | undefined, what: string): string {
  if (!token || token.kind === 'list') throw new ParseError(`${what} expected`);
  return token.value;
}

/** The token's text when it is an atom, upper case, else a ParseError. */
export function atomOf(token: Token | undefined, what: string): string {
  if (!token || token.kind !== 'atom') throw new ParseError(`${what} expected`);
  return token.value.toUpperCase();
}
