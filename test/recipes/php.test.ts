import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { start } from '../helpers/pigeonhole';
import { has } from '../helpers/smtp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ini = readFileSync(new URL('../../docs/examples/php/php.ini', import.meta.url), 'utf8');
const sendmailPath = /^sendmail_path = "(.+)"$/m.exec(ini)![1]!;

function run(command: string, args: string[], env: Record<string, string>, input?: string) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  if (input !== undefined) child.stdin.end(input);
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
}

describe('the PHP recipe (docs/python-php.md): mail() through sendmail_path', () => {
  // PHP is not on these machines: this runs the documented sendmail_path exactly as PHP's mail()
  // does (sh -c, the extra -f appended, To and Subject first in the headers).
  it('delivers what mail() writes to the documented sendmail_path', async () => {
    const p = await start();
    const input =
      'To: alice@example.test\nSubject: Welcome\nFrom: App <no-reply@app.example.test>\n' +
      'Content-Type: text/plain; charset=UTF-8\n\nYour code is 482913.\n';
    const r = await run(
      'sh',
      ['-c', `${sendmailPath} -f bounces@app.example.test`],
      {
        PIGEONHOLE_SMTP: `127.0.0.1:${p.smtpPort}`,
      },
      input,
    );
    expect(r.code, r.output).toBe(0);
    const message = await p.client.waitForMessage({ to: 'alice@example.test' });
    expect(message.Subject).toBe('Welcome');
    expect(message.Text).toContain('482913');
    expect((await p.client.session(message.ID)).MailFrom).toBe('bounces@app.example.test');
  });

  it.skipIf(!has('php'))('runs welcome.php under real PHP', async () => {
    const p = await start();
    const script = fileURLToPath(new URL('../../docs/examples/php/welcome.php', import.meta.url));
    const r = await run('php', ['-d', `sendmail_path=${sendmailPath}`, script], {
      PIGEONHOLE_SMTP: `127.0.0.1:${p.smtpPort}`,
    });
    expect(r.code, r.output).toBe(0);
    expect((await p.client.waitForMessage({ to: 'alice@example.test' })).Subject).toBe('Welcome');
  });
});
