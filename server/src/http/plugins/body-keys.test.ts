import { SendBodySchema } from '@pigeonhole/shared/schemas/send';
import { describe, expect, it } from 'vitest';
import { matchKeyCase } from './body-keys';

describe('matchKeyCase (Go-style case-insensitive JSON keys)', () => {
  it('renames keys at every level to the schema spelling and leaves unknown keys alone', () => {
    const body = {
      from: { email: 'a@example.test' },
      TO: [{ EMAIL: 'b@example.test', name: 'B' }],
      attachments: [{ filename: 'x.txt', content: 'eA==', contentid: 'c1' }],
      headers: { 'x-custom': 'kept as is' },
      extra: 1,
    };
    expect(matchKeyCase(body, SendBodySchema)).toEqual({
      From: { Email: 'a@example.test' },
      To: [{ Email: 'b@example.test', Name: 'B' }],
      Attachments: [{ Filename: 'x.txt', Content: 'eA==', ContentID: 'c1' }],
      Headers: { 'x-custom': 'kept as is' },
      extra: 1,
    });
  });

  it('prefers the exact key when both spellings are present', () => {
    expect(matchKeyCase({ Subject: 'exact', subject: 'variant' }, SendBodySchema)).toEqual({ Subject: 'exact' });
  });
});
