import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { start } from '../helpers/pigeonhole';
import { has } from '../helpers/smtp';

const script = fileURLToPath(new URL('../../docs/examples/python/signup_mail.py', import.meta.url));

describe.skipIf(!has('python3'))('the Python recipe (docs/python-php.md)', () => {
  it('sends with smtplib and finds the mail through /api/v1/wait', async () => {
    const p = await start();
    const child = spawn('python3', [script], {
      env: { ...process.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(p.smtpPort), PIGEONHOLE_URL: p.httpUrl },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);
    const list = await p.client.messages();
    expect(output.trim()).toBe(`ok ${list.messages[0]!.ID}`);
    expect(list.messages[0]!.Subject).toBe('Willkommen, Jürgen');
  });
});
