import { describe, expect, it } from 'vitest';
import { TextGroups } from './text-groups';

describe('TextGroups', () => {
  it('gives back every text, in open and deflated groups, whatever the order of reads', () => {
    const texts = new TextGroups();
    const words = Array.from({ length: 1000 }, (_, i) => `snippet ${i} ${'é€😀'.repeat(i % 5)} "quoted" \u0000 end`);
    const handles = words.map((w) => texts.add(w));
    expect(texts.bytes).toBeGreaterThan(0);
    for (let i = words.length - 1; i >= 0; i -= 7) expect(texts.get(handles[i]!)).toBe(words[i]);
    for (let i = 0; i < words.length; i += 3) expect(texts.get(handles[i]!)).toBe(words[i]);
  });

  it('frees a group with its last text, never hands a freed handle another text, and clears', () => {
    const texts = new TextGroups();
    const handles = Array.from({ length: 300 }, (_, i) => texts.add(`t${i}`));
    const full = texts.bytes;
    for (const h of handles.slice(0, 128)) texts.free(h);
    expect(texts.bytes).toBeLessThan(full);
    expect(texts.get(handles[0]!)).toBe('');
    expect(texts.get(handles[128]!)).toBe('t128');
    const later = texts.add('new');
    expect(texts.get(later)).toBe('new');
    expect(texts.get(handles[299]!)).toBe('t299');
    texts.clear();
    expect(texts.bytes).toBe(0);
    expect(texts.get(handles[200]!)).toBe('');
    expect(texts.get(texts.add('after'))).toBe('after');
  });
});
