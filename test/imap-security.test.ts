import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/** IMAP credentials (--imap-auth, --ui-auth) and TLS (STARTTLS, --imap-tls), attacked over raw sockets. */

let p: Pigeonhole | undefined;
afterEach(async () => {
  await p?.stop();
  p = undefined;
});

/** Collects what a socket receives; `until` waits for a pattern. */
function reader(socket: net.Socket): { text: () => string; until: (re: RegExp) => Promise<string> } {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return {
    text: () => text,
    until: async (re) => {
      while (!re.test(text)) {
        const closed = await Promise.race([
          once(socket, 'data').then(() => false),
          once(socket, 'close').then(() => true),
        ]);
        if (closed && !re.test(text)) throw new Error(`closed before ${re}: ${text}`);
      }
      return text;
    },
  };
}

async function talk(port: number, commands: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  const r = reader(socket);
  await r.until(/^\* OK/);
  socket.write(`${commands}z LOGOUT\r\n`);
  await once(socket, 'close');
  return r.text();
}

const plain = (user: string, pass: string): string => Buffer.from(`\0${user}\0${pass}`).toString('base64');

describe('IMAP credentials', () => {
  it('with --imap-auth, refuses a wrong password (LOGIN and AUTHENTICATE PLAIN) and takes the right one', async () => {
    p = await start({ imap: '127.0.0.1:0', imapAuth: 'dev:s3cret' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'secret mail', text: 'x' });
    const wrong = await talk(
      p.imapPort!,
      `a LOGIN dev wrong\r\nb AUTHENTICATE PLAIN ${plain('dev', 'wrong')}\r\nc LOGIN nobody s3cret\r\nd SELECT INBOX\r\n`,
    );
    expect(wrong).toContain('a NO [AUTHENTICATIONFAILED] invalid user name or password\r\n');
    expect(wrong).toContain('b NO [AUTHENTICATIONFAILED] invalid user name or password\r\n');
    expect(wrong).toContain('c NO [AUTHENTICATIONFAILED] invalid user name or password\r\n');
    expect(wrong).toContain('d NO log in first');
    expect(wrong).not.toContain('EXISTS');

    const right = await talk(p.imapPort!, `a AUTHENTICATE PLAIN ${plain('dev', 's3cret')}\r\nb SELECT INBOX\r\n`);
    expect(right).toMatch(/a OK \[CAPABILITY [^\]]*\] logged in\r\n/);
    expect(right).toContain('* 1 EXISTS\r\n');
  });

  it('takes the --ui-auth users when there is no --imap-auth, so the web credentials guard IMAP too', async () => {
    p = await start({ imap: '127.0.0.1:0', uiAuth: 'web:pw' });
    const text = await talk(p.imapPort!, 'a LOGIN anyone anything\r\nb LOGIN web pw\r\n');
    expect(text).toContain('a NO [AUTHENTICATIONFAILED]');
    expect(text).toMatch(/b OK \[CAPABILITY [^\]]*\] logged in/);
  });

  it('AUTHENTICATE PLAIN with a continuation, and a cancelled one', async () => {
    p = await start({ imap: '127.0.0.1:0', imapAuth: 'dev:s3cret' });
    const text = await talk(
      p.imapPort!,
      `a AUTHENTICATE PLAIN\r\n*\r\nb AUTHENTICATE PLAIN\r\n${plain('dev', 's3cret')}\r\n`,
    );
    expect(text).toContain('+ \r\na BAD AUTHENTICATE cancelled\r\n');
    expect(text).toMatch(/b OK \[CAPABILITY [^\]]*\] logged in/);
  });
});

describe('IMAP TLS', () => {
  it('drops commands pipelined in the clear after STARTTLS instead of running them inside TLS', async () => {
    p = await start({ imap: '127.0.0.1:0', imapAuth: 'dev:s3cret' });
    const socket = net.connect(p.imapPort!, '127.0.0.1');
    const clear = reader(socket);
    await clear.until(/^\* OK/);
    // A man in the middle appends a command to the client's STARTTLS (as in CVE-2011-0411).
    socket.write('a STARTTLS\r\nb LOGIN dev s3cret\r\nc SELECT INBOX\r\n');
    await clear.until(/a OK Begin TLS negotiation now\r\n/);
    socket.removeAllListeners('data');
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    await once(secure, 'secureConnect');
    const inside = reader(secure);
    secure.write('d CAPABILITY\r\n');
    await inside.until(/d OK/);
    expect(inside.text()).not.toMatch(/^[bc] /m);
    expect(inside.text()).not.toContain('STARTTLS');
    secure.write('e SELECT INBOX\r\n');
    await inside.until(/e (OK|NO|BAD)/);
    expect(inside.text()).toContain('e NO log in first');
    secure.destroy();
  });

  it('with --imap-tls, speaks TLS from the first byte and offers no STARTTLS', async () => {
    p = await start({ imap: '127.0.0.1:0', imapTls: true });
    const secure = tls.connect({ port: p.imapPort!, host: '127.0.0.1', rejectUnauthorized: false });
    const r = reader(secure);
    await r.until(/^\* OK/);
    expect(secure.encrypted).toBe(true);
    expect(r.text()).not.toContain('STARTTLS');
    secure.write('a LOGIN dev x\r\nb LOGOUT\r\n');
    await r.until(/b OK LOGOUT/);
    secure.destroy();
    // A client in the clear gets no greeting: its bytes are a failed handshake.
    const clearSocket = net.connect(p.imapPort!, '127.0.0.1');
    const clear = reader(clearSocket);
    clearSocket.write('a CAPABILITY\r\n');
    await once(clearSocket, 'close');
    expect(clear.text()).not.toContain('* OK');
  });
});
