import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../store/types';
import { receivedHeader, rfc5322Date } from './received';
import { parseAddress } from './relay';

function message(helo: string, secure: boolean, username: string): StoredMessage {
  return {
    id: 'abc123',
    summary: { Created: '2026-11-03T09:04:05.000Z' },
    session: { helo, clientAddress: '::1', secure, username },
  } as unknown as StoredMessage;
}

describe('Received header', () => {
  it('names the sender, the protocol (RFC 3848), the ID and the date, folded with CRLF', () => {
    expect(receivedHeader(message('app.local', true, 'u'), 'pigeonhole.local', 'release', '0a1b2c3d')).toBe(
      'Received: from app.local (::1)\r\n' +
        '\tby pigeonhole.local (Pigeonhole release, instance 0a1b2c3d) with ESMTPSA id abc123;\r\n' +
        '\tTue, 3 Nov 2026 09:04:05 +0000\r\n',
    );
  });

  it('cannot be broken out of by a hostile HELO name', () => {
    const header = receivedHeader(message('evil\r\nBcc: x@y (a)', false, ''), 'h', 'auto-relay', 'i');
    expect(header.split('\r\n')[0]).toBe('Received: from evilBcc:x@ya (::1)');
    expect(header).toContain(' with ESMTP id ');
  });

  it('formats RFC 5322 dates in UTC', () => {
    expect(rfc5322Date(new Date(Date.UTC(2026, 0, 31, 23, 59, 9)))).toBe('Sat, 31 Jan 2026 23:59:09 +0000');
  });
});

describe('parseAddress', () => {
  it('takes bare addresses and Name <address>, nothing else', () => {
    expect(parseAddress(' a@b.test ')).toBe('a@b.test');
    expect(parseAddress('"Real, Person" <r@b.test>')).toBe('r@b.test');
    expect(parseAddress('a@b.test, c@d.test')).toBeNull();
    expect(parseAddress('no-at-sign')).toBeNull();
    expect(parseAddress('<a@b.test')).toBeNull();
  });
});
