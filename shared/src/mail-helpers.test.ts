import { describe, expect, it } from 'vitest';
import { code, links } from './mail-helpers';

const html = `<html><head><style>.x { color: red }</style><title>Ticket 111111</title></head><body>
<p>Order 654321 is confirmed.</p>
<table><tr><td>Your code:</td><td><b>123456</b></td></tr></table>
<a href="https://app.example.test/confirm?token=999999&amp;u=1">Confirm</a>
<a href="#top">top</a> <a href="/relative">relative</a> <a href="javascript:alert(1)">js</a>
<a href="mailto:help@example.test">help</a> <area href="https://app.example.test/map">
<p>Or paste https://app.example.test/confirm?token=999999&amp;u=1 into your browser.</p>
</body></html>`;
const text = 'Open https://app.example.test/text-only. Or https://app.example.test/confirm?token=999999&u=1\n';

describe('links', () => {
  it('finds every absolute link in HTML and text once, in order, entities decoded', () => {
    expect(links({ HTML: html, Text: text })).toEqual([
      'https://app.example.test/confirm?token=999999&u=1',
      'mailto:help@example.test',
      'https://app.example.test/map',
      'https://app.example.test/text-only',
    ]);
  });

  it('finds nothing in a message without links', () => {
    expect(links({ Text: 'no links, just example.com in prose', HTML: '' })).toEqual([]);
  });
});

describe('code', () => {
  it('prefers the number after a word like "code" over an order number and ignores links and titles', () => {
    expect(code({ HTML: html })).toBe('123456');
  });

  it('reads the plain text first, glued or spaced', () => {
    expect(code({ Text: 'Code:482913', HTML: '<p>000000</p>' })).toBe('482913');
    expect(code({ Text: 'Your PIN is 4821. Sent 2026-11-23.' }, { digits: 4 })).toBe('4821');
  });

  it('does not take part of a longer number, a date or a decimal', () => {
    expect(() => code({ Text: 'call 0123456789 or pay 1.234567 on 2026-123456' })).toThrow(/6-digit code/);
  });

  it('takes a pattern of its own', () => {
    expect(code({ Text: 'Use ABC-123 to log in' }, { pattern: /([A-Z]{3}-\d{3})/ })).toBe('ABC-123');
  });

  it('names the message and shows its text when there is no code', () => {
    expect(() => code({ ID: 'abc', Subject: 'Welcome', Text: 'Hello there, 12345' })).toThrow(
      'no 6-digit code in message "Welcome" (abc); its text reads: "Hello there, 12345"',
    );
  });
});
