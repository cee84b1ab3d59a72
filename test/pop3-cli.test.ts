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

describe('the built CLI with the beyond-capture flags from the environment', () => {
  it('serves POP3 at PIGEONHOLE_POP3 and the chaos API with PIGEONHOLE_ENABLE_CHAOS', async () => {
    const [smtp, http, pop3] = [await freePort(), await freePort(), await freePort()];
    const cli = runCli([], {
      PIGEONHOLE_SMTP: `127.0.0.1:${smtp}`,
      PIGEONHOLE_LISTEN: `127.0.0.1:${http}`,
      PIGEONHOLE_POP3: `127.0.0.1:${pop3}`,
      PIGEONHOLE_ENABLE_CHAOS: 'true',
      PIGEONHOLE_LOG_LEVEL: 'silent',
    });
    children.push(cli);
    await until(() => cli.stdout().includes('Web UI'), 25_000);
    const socket = net.connect(pop3, '127.0.0.1');
    const [greeting] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(greeting.toString()).toMatch(/^\+OK Pigeonhole POP3 ready </);
    const chaos = await fetch(`http://127.0.0.1:${http}/api/v1/chaos`);
    expect(chaos.status).toBe(200);
  });

  it('exits 2 with a clear message for a relay flag without --smtp-relay-host', async () => {
    const cli = runCli(['--smtp-relay-all', '--smtp', '127.0.0.1:0', '--listen', '127.0.0.1:0']);
    children.push(cli);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toBe('pigeonhole: --smtp-relay-all needs --smtp-relay-host\n');
  });
});
