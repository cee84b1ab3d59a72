import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageCollector } from './collect';

/** Feeds `bytes` in 64 KiB chunks, as a socket would. */
function feed(collector: MessageCollector, bytes: Buffer): Buffer {
  for (let at = 0; at < bytes.length; at += 65536) collector.push(bytes.subarray(at, at + 65536));
  return collector.finish();
}

describe('MessageCollector', () => {
  it('fills one buffer of the announced size once past 1 MiB', () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    const raw = feed(new MessageCollector(bytes.length), bytes);
    expect(raw.equals(bytes)).toBe(true);
    // The buffer itself, not a view into something larger.
    expect(raw.buffer.byteLength).toBe(bytes.length);
  });

  it('keeps every byte when the client announced too few or too many', () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    expect(feed(new MessageCollector(bytes.length - 100_000), bytes).equals(bytes)).toBe(true);
    const fewer = feed(new MessageCollector(bytes.length + 100_000), bytes);
    expect(fewer.equals(bytes)).toBe(true);
    expect(fewer.buffer.byteLength).toBe(bytes.length);
  });

  it('joins the chunks of a small or unannounced message', () => {
    const bytes = randomBytes(300_000);
    expect(feed(new MessageCollector(0), bytes).equals(bytes)).toBe(true);
    expect(feed(new MessageCollector(bytes.length), bytes).equals(bytes)).toBe(true);
  });
});
