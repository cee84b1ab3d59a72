import { describe, expect, it } from 'vitest';
import { top, toWire, wireSize } from './wire';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('POP3 wire form', () => {
  it('passes CRLF mail without leading dots through as the same buffer', () => {
    const raw = b('Subject: x\r\n\r\nbody\r\n');
    expect(toWire(raw)).toBe(raw);
    expect(wireSize(raw)).toBe(raw.length);
  });

  it('byte-stuffs lines that start with a dot, the first line included', () => {
    expect(toWire(b('.a\r\nb\r\n..c\r\n.\r\n')).toString('latin1')).toBe('..a\r\nb\r\n...c\r\n..\r\n');
  });

  it('turns bare LF into CRLF and ends the last line, and counts that in the size', () => {
    const raw = b('a\nb\r\n.c\nlast');
    expect(toWire(raw).toString('latin1')).toBe('a\r\nb\r\n..c\r\nlast\r\n');
    expect(wireSize(raw)).toBe('a\r\nb\r\n.c\r\nlast\r\n'.length);
  });

  it('keeps a bare CR inside a line', () => {
    expect(toWire(b('a\rb\r\n')).toString('latin1')).toBe('a\rb\r\n');
  });

  it('cuts TOP after the header block and n body lines', () => {
    const wire = toWire(b('A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n'));
    expect(top(wire, 0).toString('latin1')).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(top(wire, 2).toString('latin1')).toBe('A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n');
    expect(top(wire, 99).toString('latin1')).toBe(wire.toString('latin1'));
    expect(top(b('A: 1\r\n'), 5).toString('latin1')).toBe('A: 1\r\n');
  });
});
