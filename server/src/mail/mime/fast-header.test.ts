import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { plainWords, simpleAddress, simpleHeaderValue } from './fast-header';

const ADDRESSES = [
  '"Shop Robot" <robot@shop.example.test>',
  'User 5 <user5@example.test>',
  'user5@example.test',
  ' <a.b+tag@example.test> ',
  "O'Brien <ob@example.test>",
  '"Doe, John" <john@example.test>',
  '"" <empty@example.test>',
  '  spaced   name   <s@example.test>',
  'a@b',
  'x-y_z <x@sub-domain.example.test>',
  // General path only: these must come back undefined or agree with addressparser.
  'Bob (comment) <bob@example.test>',
  'group: a@example.test, b@example.test;',
  'a@example.test, b@example.test',
  '"Esc \\" aped" <e@example.test>',
  'bob@xn--mnchen-3ya.de',
  '<@route:bob@example.test>',
  'Jürgen <j@example.test>',
  'bob@example.test (Bob)',
];

const VALUES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/plain; charset="utf-8"; format=flowed',
  'multipart/alternative; boundary="=_bench_5"',
  'multipart/mixed;\tboundary=b1',
  'Multipart/Mixed; BOUNDARY="x"; boundary="y"',
  'attachment; filename="report.pdf"',
  'inline',
  'text/plain;',
  'application/pdf; name="a b.pdf"',
  'text/plain; charset=utf-8 (comment)',
  "attachment; filename*=UTF-8''na%C3%AFve.txt",
  'multipart/mixed; boundary="a\\"b"',
  'multipart/mixed; boundary=----=_Part_1',
  'text/html; charset=us-ascii; name==?UTF-8?B?w6Q=?=',
  '',
  'multipart/mixed; boundary="a;b (c)*d"',
  'text/plain ; charset = "utf-8" ;',
  'text/plain; charset=utf-8; charset=latin1',
  'text/plain; charset',
  'text/plain; =x',
  '/plain',
  'text/',
  'text/plain; name="unclosed',
];

describe('fast header paths agree with the general parsers', () => {
  it('addresses', () => {
    for (const value of ADDRESSES) {
      const fast = simpleAddress(value);
      if (!fast) continue;
      const general = addressparser(value, { flatten: true });
      expect(general, value).toHaveLength(1);
      expect({ name: fast.name, address: fast.address }, value).toEqual({
        name: general[0]!.name.trim(),
        address: general[0]!.address,
      });
    }
    expect(simpleAddress('"Shop Robot" <robot@shop.example.test>')).toBeDefined();
    expect(simpleAddress('Bob (comment) <bob@example.test>')).toBeUndefined();
    expect(simpleAddress('a@example.test, b@example.test')).toBeUndefined();
  });

  it('header values with parameters', () => {
    for (const value of VALUES) {
      const fast = simpleHeaderValue(value);
      if (!fast) continue;
      const general = libmime.parseHeaderValue(value);
      expect(fast, value).toEqual({ value: general.value, params: { ...general.params } });
    }
    expect(simpleHeaderValue('multipart/alternative; boundary="=_bench_5"')?.params.boundary).toBe('=_bench_5');
    expect(simpleHeaderValue("attachment; filename*=UTF-8''x")).toBeUndefined();
    expect(simpleHeaderValue('text/plain; charset=utf-8; charset=latin1')?.params.charset).toBe('utf-8');
  });

  it('words without encoded words', () => {
    expect(plainWords('  Order 5   confirmation\t ok ')).toBe('Order 5 confirmation ok');
    expect(plainWords('=?UTF-8?Q?x?=')).toBeUndefined();
    for (const value of ['a  b', ' x ', 'Hello world']) {
      expect(plainWords(value)).toBe(libmime.decodeWords(value).replace(/\s+/g, ' ').trim());
    }
  });
});
