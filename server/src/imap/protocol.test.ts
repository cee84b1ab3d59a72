import { describe, expect, it } from 'vitest';
import { ingest } from '../ingest';
import { MessageStore } from '../store/store';
import { bodyStructure, envelope } from './bodystructure';
import { fetchData, parseFetchItems } from './fetch';
import { join } from './format';
import { mimeTree, partAt } from './mime-tree';
import { parseArgs, parseCommand, ParseError } from './parser';
import { CommandReader, type Framed } from './reader';
import { compileSearch } from './search';
import { parseSequenceSet, inSet } from './sequence';

function frames(input: string, limits = { maxLineLength: 1024, maxLiteral: 100, maxCommand: 4096 }) {
  const out: { commands: Framed[]; continues: number; tooLarge: string[] } = {
    commands: [],
    continues: 0,
    tooLarge: [],
  };
  const reader = new CommandReader(limits, {
    command: (parts) => out.commands.push(parts),
    continueLiteral: () => out.continues++,
    tooLarge: (tag, reason) => out.tooLarge.push(`${tag} ${reason}`),
  });
  reader.push(Buffer.from(input, 'latin1'));
  while (reader.next());
  return out;
}

describe('IMAP command framing', () => {
  it('joins a command across synchronising and LITERAL+ literals, asking only for the former', () => {
    const out = frames('a LOGIN {3}\r\nbob {5+}\r\npa ss\r\nb NOOP\n');
    expect(out.continues).toBe(1);
    expect(out.commands).toEqual([['a LOGIN ', Buffer.from('bob'), ' ', Buffer.from('pa ss'), ''], ['b NOOP']]);
  });

  it('refuses a literal beyond the bound with the command tag, and reads on', () => {
    const out = frames('t1 LOGIN {101}\r\nt2 NOOP\r\n');
    expect(out.tooLarge).toEqual(['t1 literal too large']);
    expect(out.commands).toEqual([['t2 NOOP']]);
  });
});

describe('IMAP argument parsing', () => {
  it('reads atoms, quoted strings with escapes, literals, nested lists and sections', () => {
    const command = parseCommand([
      'a1 fetch 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.10> "q\\"x") ',
      Buffer.from('lit'),
    ]);
    expect(command.tag).toBe('a1');
    expect(command.name).toBe('FETCH');
    expect(command.args).toEqual([
      { kind: 'atom', value: '1:*' },
      {
        kind: 'list',
        items: [
          { kind: 'atom', value: 'FLAGS' },
          { kind: 'atom', value: 'BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.10>' },
          { kind: 'string', value: 'q"x', bytes: Buffer.from('q"x') },
        ],
      },
      { kind: 'string', value: 'lit', bytes: Buffer.from('lit') },
    ]);
  });

  it('throws ParseError, not anything else, on malformed input', () => {
    for (const bad of ['(', ')', '"open', '"bad \\q"', '[x', '(((((((((((((((((((x)))))))))))))))))))']) {
      expect(() => parseArgs([bad]), bad).toThrow(ParseError);
    }
    expect(() => parseCommand(['+ NOOP'])).toThrow('bad tag');
  });
});

describe('sequence sets', () => {
  it('matches ranges in either order and * as the highest, never expanding them', () => {
    const set = parseSequenceSet('4294967295:1,7', 10);
    expect(inSet(set, 123456)).toBe(true);
    expect(inSet(parseSequenceSet('5:*', 3), 3)).toBe(true);
    expect(inSet(parseSequenceSet('5:*', 3), 2)).toBe(false);
    expect(() => parseSequenceSet('0', 3)).toThrow(ParseError);
  });
});

const NESTED = [
  'From: =?UTF-8?Q?Caf=C3=A9?= <cafe@example.test>',
  'To: a@example.test, "B, Jr." <b@example.test>',
  'Subject: =?UTF-8?Q?nested?=',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: text/plain',
  '',
  'outer text',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'From: inner@example.test',
  'Subject: inner',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'inner plain',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>inner</p>',
  '--inner--',
  '--outer--',
  '',
].join('\r\n');

describe('BODYSTRUCTURE, ENVELOPE and sections', () => {
  const raw = Buffer.from(NESTED);
  const tree = mimeTree(raw);

  it('describes a message/rfc822 part with its envelope, structure and lines', () => {
    const text = join(bodyStructure(raw, tree, false)).toString();
    expect(text).toBe(
      '(("text" "plain" ("CHARSET" "us-ascii") NIL NIL "7bit" 10 1)' +
        '("message" "rfc822" NIL NIL NIL "7bit" 223 ' +
        '(NIL "inner" ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) NIL NIL NIL NIL NIL) ' +
        '(("text" "plain" ("CHARSET" "utf-8") NIL NIL "7bit" 11 1)("text" "html" ("CHARSET" "us-ascii") NIL NIL "7bit" 12 1) "alternative") 13) "mixed")',
    );
  });

  it('keeps encoded words and quoted names for the client to decode', () => {
    const text = join(envelope(tree.headers)).toString();
    expect(text).toContain('"=?UTF-8?Q?nested?="');
    expect(text).toContain('(("=?UTF-8?Q?Caf=C3=A9?=" NIL "cafe" "example.test"))');
    expect(text).toContain('((NIL NIL "a" "example.test")("B, Jr." NIL "b" "example.test"))');
  });

  it('finds parts inside the attached message and cuts the exact bytes', () => {
    expect(partAt(tree, [2, 2])?.subtype).toBe('html');
    expect(partAt(tree, [2, 3])).toBeUndefined();
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    // A store in memory gives the ID at once (only --storage waits for the disk).
    const id = ingest(store, {
      raw,
      envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] },
      session: { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] },
      created: new Date(),
    }) as string;
    const message = store.get(id)!;
    const token = parseArgs([
      '(BODY[2.2] BODY[2.HEADER] BODY[2.1.MIME] BODY[HEADER.FIELDS.NOT (TO FROM CONTENT-TYPE)] BODY[]<5.4>)',
    ])[0];
    const text = join(fetchData({ store, flags: () => '' }, message, parseFetchItems(token))).toString();
    expect(text).toBe(
      'BODY[2.2] {12}\r\n<p>inner</p> ' +
        'BODY[2.HEADER] {99}\r\nFrom: inner@example.test\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary="inner"\r\n\r\n ' +
        'BODY[2.1.MIME] {43}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n ' +
        'BODY[HEADER.FIELDS.NOT (TO FROM CONTENT-TYPE)] {31}\r\nSubject: =?UTF-8?Q?nested?=\r\n\r\n ' +
        'BODY[]<5> {4}\r\n =?U',
    );
  });

  it('compiles SEARCH keys and refuses unknown ones', () => {
    const bounds = { maxSeq: 3, maxUid: 9 };
    expect(() => compileSearch(parseArgs(['FROBNICATE']), bounds)).toThrow('unknown search key FROBNICATE');
    expect(() => compileSearch(parseArgs(['CHARSET KOI8-R ALL']), bounds)).toThrow('BADCHARSET');
    const match = compileSearch(parseArgs(['OR 1 (NOT 2:3) UNDELETED']), bounds);
    const message = { seq: 1, rawLength: 10 } as never;
    expect(match({ message, seq: 2, deleted: false })).toBe(false);
    expect(match({ message, seq: 1, deleted: false })).toBe(true);
    expect(match({ message, seq: 1, deleted: true })).toBe(false);
  });
});

describe('LIST patterns', () => {
  it('match * and % as RFC 3501 says, in time linear in the pattern', async () => {
    const { wildcardMatch } = await import('./mailboxes');
    expect(wildcardMatch('*', 'INBOX')).toBe(true);
    expect(wildcardMatch('in%', 'INBOX')).toBe(true);
    expect(wildcardMatch('%/x', 'INBOX')).toBe(false);
    expect(wildcardMatch('I*B*X', 'INBOX')).toBe(true);
    // A pattern of stars that a backtracking regular expression would take exponential time on.
    expect(wildcardMatch(`${'*'.repeat(5000)}Z`, 'INBOX'.repeat(40))).toBe(false);
  });
});

describe('hostile MIME trees', () => {
  it('bounds BODYSTRUCTURE of a 20,000-part message and of a 1,000-deep one', () => {
    const wide = Buffer.from(
      `Content-Type: multipart/mixed; boundary="b"\r\n\r\n${'--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(20_000)}--b--\r\n`,
    );
    const parts =
      join(bodyStructure(wide, mimeTree(wide), true))
        .toString()
        .match(/"plain"/g) ?? [];
    expect(parts.length).toBeLessThan(1000);
    let deep = 'x\r\n';
    for (let i = 0; i < 1000; i++)
      deep = `Content-Type: multipart/mixed; boundary="d${i}"\r\n\r\n--d${i}\r\n${deep}--d${i}--\r\n`;
    const raw = Buffer.from(deep);
    expect(() => join(bodyStructure(raw, mimeTree(raw), true))).not.toThrow();
  });
});
