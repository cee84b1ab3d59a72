// The IMAP listener (docs/imap.md): its address, implicit TLS and credentials.
import type { Config, PigeonholeOptions } from './types';
import { parseCredentials, parseHostPort } from './values';

/** `--imap`, `--imap-tls` and `--imap-auth`: IMAP is off without `--imap`. */
export function parseImap(options: PigeonholeOptions): Pick<Config, 'imap' | 'imapTls' | 'imapAuth'> {
  return {
    imap: options.imap ? parseHostPort(options.imap, 'imap') : null,
    imapTls: options.imapTls ?? false,
    imapAuth: options.imapAuth ? parseCredentials(options.imapAuth, 'imap-auth') : null,
  };
}
