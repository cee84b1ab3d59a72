// Real spam filters for the spam-check tests: SpamAssassin's spamd and rspamd, each a child process
// of the test on a free loopback port, with Debian's rules, network tests off, killed after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './cli';

/** A daemon the test started. */
export interface Daemon {
  port: number;
  /** Kills the daemon (its whole process group) and removes its files. */
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on the port, or rejects after `ms` or when `child` exits. */
async function listening(port: number, child: ChildProcess, ms: number, log: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`daemon exited (${child.exitCode}): ${log().slice(-2000)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`daemon not listening on ${port} after ${ms} ms: ${log().slice(-2000)}`);
}

function started(command: string, args: string[], port: number, dir: string): Promise<Daemon> {
  // Its own process group, so that stop() reaches the children spamd and rspamd fork.
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Rules are compiled at start: a few seconds on a busy machine.
  return listening(port, child, 60_000, () => output).then(
    () => ({ port, stop }),
    async (err: unknown) => {
      await stop();
      throw err;
    },
  );
}

/** spamd with Debian's rules, local tests only (`-L`: no DNS, no Razor/Pyzor), one child. */
export async function startSpamd(): Promise<Daemon> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-spamd-'));
  const args = ['-L', '-x', '-i', '127.0.0.1', '-A', '127.0.0.1', '-p', String(port), '-m', '1', '-s', 'stderr'];
  args.push('--pidfile', join(dir, 'spamd.pid'));
  // As root spamd would run its children as root's own user; nobody is what Debian's service uses.
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  return started('spamd', args, port, dir);
}

/**
 * rspamd with Debian's configuration and a local override directory: only the normal worker, on a
 * free loopback port; no controller, proxy or fuzzy worker; DNS pointed at a closed loopback port
 * (so no query leaves the machine and none waits: remote maps stay unfetched, checked with strace);
 * network modules and monitoring off; no hyperscan compile, and a public-suffix list of a few TLDs
 * instead of Debian's 9,600 (compiling that takes 40 s on two shared cores, hyperscan minutes); no
 * redis, so the modules that need it switch themselves off. Up in about 3 s.
 */
export async function startRspamd(): Promise<Daemon> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-rspamd-'));
  for (const sub of ['local.d', 'override.d', 'db', 'run']) mkdirSync(join(dir, sub));
  const write = (file: string, text: string): void => writeFileSync(join(dir, file), text);
  write('override.d/worker-normal.inc', `bind_socket = "127.0.0.1:${port}";\ncount = 1;\n`);
  for (const worker of ['controller', 'proxy', 'fuzzy']) write(`override.d/worker-${worker}.inc`, 'enabled = false;\n');
  write('tld.dat', ['com', 'org', 'net', 'test', 'example', 'de', 'uk', 'co.uk'].join('\n') + '\n');
  write(
    'override.d/options.inc',
    `pidfile = "${join(dir, 'run', 'rspamd.pid')}";\ndisable_hyperscan = true;\ndisable_monitoring = true;\n` +
      `url_tld = "${join(dir, 'tld.dat')}";\n` +
      'dns { nameserver = ["127.0.0.1:9"]; timeout = 0.2s; retransmits = 0; }\n',
  );
  write('override.d/logging.inc', 'type = "console";\nlevel = "error";\n');
  const network = ['rbl', 'spf', 'dkim', 'dmarc', 'asn', 'fuzzy_check', 'phishing', 'dcc', 'emails', 'mx_check'];
  for (const module of [...network, 'greylist', 'ratelimit', 'replies', 'neural', 'url_reputation']) {
    write(`local.d/${module}.conf`, 'enabled = false;\n');
  }
  const args = ['-f', '-c', '/etc/rspamd/rspamd.conf', `--var=LOCAL_CONFDIR=${dir}`, `--var=DBDIR=${join(dir, 'db')}`];
  args.push(`--var=RUNDIR=${join(dir, 'run')}`, `--var=LOGDIR=${dir}`);
  if (process.getuid?.() === 0) args.push('-u', 'root', '-g', 'root', '--insecure');
  return started('rspamd', args, port, dir);
}
