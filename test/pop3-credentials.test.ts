import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/**
 * One credential rule for every way in that reads mail: with `--ui-auth` (here the htpasswd fixture:
 * alice and carol with bcrypt hashes, bob with a plain password) POP3 requires those credentials,
 * checked as HTTP checks them, unless `--pop3-auth` gives POP3 its own. Any login used to read all.
 */
const LOGIN = `
import poplib, sys, json
def attempt(kind, user, secret):
    p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
    try:
        if kind == "apop":
            p.apop(user, secret)
        else:
            p.user(user); p.pass_(secret)
        return p.stat()[0]
    except poplib.error_proto as e:
        return e.args[0].decode()
    finally:
        p.quit()
print(json.dumps([attempt(*a) for a in json.loads(sys.argv[2])]))
`;

async function logins(port: number | null, attempts: [string, string, string][]): Promise<(number | string)[]> {
  const { stdout } = await run('python3', ['-c', LOGIN, String(port), JSON.stringify(attempts)]);
  return JSON.parse(stdout) as (number | string)[];
}

describe.runIf(has('python3'))('POP3 under --ui-auth', () => {
  it('refuses wrong credentials (USER/PASS and APOP) and accepts the right ones', async () => {
    const p = await start({ pop3: '127.0.0.1:0', uiAuthFile: fixture('ui-auth.htpasswd') });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'secret', text: 'x' });
    const results = await logins(p.pop3Port, [
      ['user', 'anyone', 'anything'],
      ['user', 'bob', 'wrong'],
      ['user', 'alice', 'plain-secret'],
      ['apop', 'bob', 'wrong'],
      ['apop', 'mallory', 'plain-secret'],
      // bcrypt users: USER/PASS with the password the hash was made from; APOP cannot work for them.
      ['user', 'alice', 'wrong'],
      ['apop', 'alice', 'bcrypt-secret'],
      // The right ones.
      ['user', 'bob', 'plain-secret'],
      ['apop', 'bob', 'plain-secret'],
      ['user', 'alice', 'bcrypt-secret'],
    ]);
    const refused = results.slice(0, 7);
    for (const r of refused) expect(r).toMatch(/^-ERR \[AUTH\]/);
    expect(results.slice(7)).toEqual([1, 1, 1]);
  });

  it('uses --pop3-auth instead when given, and stays open with neither', async () => {
    const own = await start({ pop3: '127.0.0.1:0', uiAuth: 'web:web-pass', pop3Auth: 'mail:mail-pass' });
    expect(
      await logins(own.pop3Port, [
        ['user', 'web', 'web-pass'],
        ['user', 'mail', 'mail-pass'],
      ]),
    ).toEqual([expect.stringMatching(/^-ERR \[AUTH\]/), 0]);
    const open = await start({ pop3: '127.0.0.1:0' });
    expect(await logins(open.pop3Port, [['user', 'anyone', 'anything']])).toEqual([0]);
  });
});

describe('HTTP basic auth under --ui-auth with bcrypt hashes', () => {
  it('answers an unknown user name no faster than a known one with a wrong password', async () => {
    const p = await start({ uiAuthFile: fixture('ui-auth.htpasswd') });
    const attempt = (user: string) =>
      fetch(`${p.httpUrl}/api/v1/messages`, {
        headers: { authorization: `Basic ${Buffer.from(`${user}:wrong`).toString('base64')}` },
      }).then((r) => r.status);
    expect(await attempt('mallory')).toBe(401);
    const median = async (user: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        expect(await attempt(user)).toBe(401);
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[3]!;
    };
    const known = await median('alice');
    const unknown = await median('mallory');
    // Measured before the dummy hash: 126 ms against 1.3 ms at cost 10 (1 %).
    expect(unknown / known).toBeGreaterThan(0.3);
  });
});
