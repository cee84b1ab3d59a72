import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, runCli, until, type CliProcess } from './helpers/cli';

const children: CliProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
});

describe('the built CLI with IMAP', () => {
  it('serves IMAP at PIGEONHOLE_IMAP, names it in the banner, and requires PIGEONHOLE_IMAP_AUTH', async () => {
    const [smtp, http, imap] = [await freePort(), await freePort(), await freePort()];
    const cli = runCli([], {
      PIGEONHOLE_SMTP: `127.0.0.1:${smtp}`,
      PIGEONHOLE_LISTEN: `127.0.0.1:${http}`,
      PIGEONHOLE_IMAP: `127.0.0.1:${imap}`,
      PIGEONHOLE_IMAP_AUTH: 'dev:s3cret',
      PIGEONHOLE_LOG_LEVEL: 'silent',
    });
    children.push(cli);
    await until(() => cli.stdout().includes('Web UI'), 25_000);
    expect(cli.stdout()).toContain(`  IMAP    127.0.0.1:${imap}, STARTTLS offered\n`);
    const socket = net.connect(imap, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await once(socket, 'data');
    socket.write('a LOGIN dev wrong\r\nb LOGIN dev s3cret\r\nc LOGOUT\r\n');
    await once(socket, 'close');
    expect(text).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 .*\] Pigeonhole IMAP ready\r\n/);
    expect(text).toContain('a NO [AUTHENTICATIONFAILED]');
    expect(text).toMatch(/b OK \[CAPABILITY [^\]]*\] logged in/);
  });

  it('says in the banner when IMAP is open to any login', async () => {
    const [smtp, http, imap] = [await freePort(), await freePort(), await freePort()];
    const cli = runCli(
      ['--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--imap', `127.0.0.1:${imap}`, '--imap-tls'],
      {
        PIGEONHOLE_LOG_LEVEL: 'silent',
      },
    );
    children.push(cli);
    await until(() => cli.stdout().includes('Web UI'), 25_000);
    expect(cli.stdout()).toContain(`  IMAP    127.0.0.1:${imap} (open: any login reads all mail), implicit TLS\n`);
  });

  it('exits 2 with a clear message for a bad --imap address', async () => {
    const cli = runCli(['--imap', 'nowhere', '--smtp', '127.0.0.1:0', '--listen', '127.0.0.1:0']);
    children.push(cli);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/^pigeonhole: --imap/);
  });
});
