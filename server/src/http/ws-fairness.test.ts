import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_FRAMES, pickEvictee, spend, type Slot } from './ws-fairness';

let order = 0;
const slot = (key: string, pingedAt = 0): Slot => ({
  key,
  order: order++,
  pingedAt,
  windowStart: 0,
  frames: 0,
  bytes: 0,
});

describe('WebSocket slot fairness', () => {
  it('frees the oldest slot of the holder with the most, never the lone tab', () => {
    const tab = slot('127.0.0.1 http://localhost:8025');
    const slots = new Map<string, Slot>([['tab', tab]]);
    for (let i = 0; i < 5; i++) slots.set(`flood${i}`, slot('127.0.0.1 -'));
    slots.set('other', slot('10.0.0.2 -'));
    expect(pickEvictee(slots, 10_000)).toBe('flood0');
  });

  it('frees a slot whose ping went unanswered for seconds first, whoever holds it', () => {
    const slots = new Map<string, Slot>();
    for (let i = 0; i < 5; i++) slots.set(`flood${i}`, slot('127.0.0.1 -'));
    slots.set('gone', slot('10.0.0.2 -', 1_000));
    slots.set('just pinged', slot('10.0.0.3 -', 9_999));
    expect(pickEvictee(slots, 10_000)).toBe('gone');
  });

  it('allows a few frames a window and refuses a flood, counting afresh each window', () => {
    const s = slot('k');
    for (let i = 0; i < MAX_CLIENT_FRAMES; i++) expect(spend(s, 1, 5)).toBe(true);
    expect(spend(s, 1, 5)).toBe(false);
    expect(spend(s, 1, 20_000)).toBe(true);
    expect(spend(s, 2 * 1024 * 1024, 20_001)).toBe(false);
  });
});
