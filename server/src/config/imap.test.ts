import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../config';

describe('IMAP options', () => {
  it('is off by default, and parses --imap, --imap-tls and --imap-auth', () => {
    const off = resolveConfig({});
    expect([off.imap, off.imapTls, off.imapAuth]).toEqual([null, false, null]);
    const on = resolveConfig({ imap: '127.0.0.1:1143', imapTls: true, imapAuth: 'dev:s3cret' });
    expect(on.imap).toEqual({ host: '127.0.0.1', port: 1143 });
    expect(on.imapTls).toBe(true);
    expect(on.imapAuth?.map((c) => c.username)).toEqual(['dev']);
  });

  it('refuses a bad address or credential list with the flag named', () => {
    expect(() => resolveConfig({ imap: 'nowhere' })).toThrow(ConfigError);
    expect(() => resolveConfig({ imap: 'nowhere' })).toThrow(/--imap/);
    expect(() => resolveConfig({ imapAuth: 'no-colon' })).toThrow(/--imap-auth/);
  });
});
