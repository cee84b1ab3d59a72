import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has } from './helpers/smtp';

const run = promisify(execFile);

/** Other SMTP clients than nodemailer: Python's smtplib, swaks and curl, where installed. */
describe('SMTP capture with other real clients', () => {
  it.runIf(has('python3'))('takes SMTPUTF8 addresses and an 8-bit body from Python smtplib', async () => {
    const p = await start();
    const script = `
import smtplib, sys
raw = ("From: Jürgen <jürgen@exämple.test>\\r\\nTo: Zoë <zoë@exämple.test>\\r\\n"
       "Subject: Grüße\\r\\nContent-Type: text/plain; charset=utf-8\\r\\nContent-Transfer-Encoding: 8bit\\r\\n\\r\\n"
       "Größe und Weiß\\r\\n").encode("utf-8")
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    s.ehlo("python.test")
    s.sendmail("jürgen@exämple.test", ["zoë@exämple.test"], raw, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
`;
    await run('python3', ['-c', script, String(p.smtpPort)]);
    const [m] = (await p.client.messages()).messages;
    expect(m!.From).toEqual({ Name: 'Jürgen', Address: 'jürgen@exämple.test' });
    expect(m!.To).toEqual([{ Name: 'Zoë', Address: 'zoë@exämple.test' }]);
    expect(m!.Subject).toBe('Grüße');
    expect(m!.Snippet).toBe('Größe und Weiß');
    expect(p.store.get(m!.ID)!.envelope).toEqual({ mailFrom: 'jürgen@exämple.test', rcptTo: ['zoë@exämple.test'] });
    expect(Buffer.from(await p.client.raw(m!.ID)).toString('utf8')).toContain('Größe und Weiß\r\n');
  });

  it.runIf(has('python3'))('authenticates Python smtplib over STARTTLS', async () => {
    const p = await start({ smtpAuth: 'py:secret' });
    const script = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    s.starttls(context=ctx)
    s.login("py", "secret")
    s.sendmail("a@example.test", ["b@example.test"], b"Subject: tls+auth\\r\\n\\r\\nhi\\r\\n")
`;
    await run('python3', ['-c', script, String(p.smtpPort)]);
    const stored = p.store.latest()!;
    expect(stored.summary).toMatchObject({ Subject: 'tls+auth', Username: 'py' });
    expect(stored.session.secure).toBe(true);
  });

  it.runIf(has('swaks'))('takes mail from swaks with STARTTLS and AUTH LOGIN', async () => {
    const p = await start();
    const { stdout } = await run('swaks', [
      '--server',
      `127.0.0.1:${p.smtpPort}`,
      '--tls',
      '--auth',
      'LOGIN',
      '--auth-user',
      'swaks-user',
      '--auth-password',
      'pw',
      '--from',
      'swaks@example.test',
      '--to',
      'dest@example.test',
      '--header',
      'Subject: from swaks',
      '--body',
      'swaks body',
    ]);
    expect(stdout).toMatch(/250 .*queued as/);
    const stored = p.store.latest()!;
    expect(stored.summary).toMatchObject({ Subject: 'from swaks', Username: 'swaks-user', Snippet: 'swaks body' });
    expect(stored.session.secure).toBe(true);
  });

  it.runIf(has('curl'))('takes mail from curl', async () => {
    const p = await start();
    const file = `From: curl@example.test\r\nTo: dest@example.test\r\nSubject: from curl\r\n\r\ncurl body\r\n`;
    const child = execFile('curl', [
      '-sS',
      '--url',
      `smtp://127.0.0.1:${p.smtpPort}`,
      '--mail-from',
      'curl@example.test',
      '--mail-rcpt',
      'dest@example.test',
      '--mail-rcpt',
      'hidden@example.test',
      '-T',
      '-',
    ]);
    child.stdin!.end(file);
    await new Promise((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`curl exited ${code}`)))),
    );
    const stored = p.store.latest()!;
    expect(stored.summary.Subject).toBe('from curl');
    expect(stored.summary.Bcc).toEqual([{ Name: '', Address: 'hidden@example.test' }]);
    expect(stored.keepRaw().toString()).toBe(file);
  });
});
