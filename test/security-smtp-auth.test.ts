import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RawSmtp } from './fixtures/raw-smtp';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const run = promisify(execFile);

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const BODY = 'Subject: unauthenticated\r\n\r\nshould not be stored\r\n';

/**
 * `--smtp-auth` is enforced: without a successful AUTH, MAIL gets 530 (after a 535 too), and the
 * credentials it requires never cross the wire in the clear unless `--smtp-auth-allow-insecure`.
 * Without `--smtp-auth` anything goes, as before: an app configured with or without auth just works.
 */
describe('--smtp-auth enforced', () => {
  it('answers MAIL without AUTH with 530 5.7.0 and stores nothing', async () => {
    const p = await start({ smtpAuth: 'alice:right-pass' });
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    expect((await smtp.command('EHLO attacker.example.test')).code).toBe(250);
    const mail = await smtp.command('MAIL FROM:<attacker@example.test>');
    expect(mail).toEqual({ code: 530, text: '5.7.0 Authentication required' });
    expect((await smtp.command('RCPT TO:<victim@example.test>')).code).toBe(530);
    expect((await smtp.command('DATA')).code).toBe(530);
    // Over TLS it is no different.
    expect((await smtp.startTls()).code).toBe(220);
    expect((await smtp.command('EHLO attacker.example.test')).code).toBe(250);
    expect((await smtp.sendMail('attacker@example.test', ['victim@example.test'], BODY)).code).toBe(530);
    await smtp.quit();
    // nodemailer without auth is refused the same way.
    await expect(
      transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 530 });
    expect(p.store.count).toBe(0);
  });

  it('still answers 530 after a failed AUTH (535), and 250 after a good one', async () => {
    const p = await start({ smtpAuth: 'alice:right-pass' });
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO attacker.example.test');
    expect((await smtp.startTls()).code).toBe(220);
    await smtp.command('EHLO attacker.example.test');
    expect((await smtp.command(`AUTH PLAIN ${plain('alice', 'guess')}`)).code).toBe(535);
    expect((await smtp.command(`AUTH PLAIN ${plain('mallory', 'right-pass')}`)).code).toBe(535);
    expect((await smtp.sendMail('attacker@example.test', ['victim@example.test'], BODY)).code).toBe(530);
    expect(p.store.count).toBe(0);
    expect((await smtp.command(`AUTH PLAIN ${plain('alice', 'right-pass')}`)).code).toBe(235);
    const reply = await smtp.sendMail('alice@example.test', ['b@example.test'], 'Subject: ok\r\n\r\nok\r\n');
    expect(reply.code).toBe(250);
    await smtp.quit();
    expect(p.store.latest()!.session.username).toBe('alice');
  });

  it('refuses cleartext AUTH PLAIN, LOGIN and CRAM-MD5 before STARTTLS with 538, before any secret is sent', async () => {
    const p = await start({ smtpAuth: 'alice:right-pass' });
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO app.example.test');
    for (const command of ['AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', `AUTH PLAIN ${plain('alice', 'right-pass')}`]) {
      const reply = await smtp.command(command);
      expect(reply.code, command).toBe(538);
      expect(reply.text).toMatch(/STARTTLS/);
    }
    // Refused even with the right password: the session is still unauthenticated.
    expect((await smtp.sendMail('a@example.test', ['b@example.test'], BODY)).code).toBe(530);
    await smtp.quit();
    for (const authMethod of ['PLAIN', 'LOGIN', 'CRAM-MD5']) {
      const cleartext = transport(p, { auth: { user: 'alice', pass: 'right-pass' }, authMethod });
      await expect(
        cleartext.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'x' }),
      ).rejects.toMatchObject({ responseCode: 538 });
    }
    expect(p.store.count).toBe(0);
  });

  it('accepts cleartext AUTH with --smtp-auth-allow-insecure, and by default without --smtp-auth', async () => {
    const insecure = await start({ smtpAuth: 'alice:right-pass', smtpAuthAllowInsecure: true });
    const open = await start();
    for (const [p, user, pass] of [
      [insecure, 'alice', 'right-pass'],
      [open, 'any-user', 'any-pass'],
    ] as const) {
      const { smtp } = await RawSmtp.connect(p.smtpPort);
      await smtp.command('EHLO app.example.test');
      expect((await smtp.command('AUTH LOGIN')).code).toBe(334);
      expect((await smtp.command(b64(user))).code).toBe(334);
      expect((await smtp.command(b64(pass))).code).toBe(235);
      expect((await smtp.sendMail('a@example.test', ['b@example.test'], 'Subject: in clear\r\n\r\nx\r\n')).code).toBe(
        250,
      );
      await smtp.quit();
      expect(p.store.latest()!.session.username).toBe(user);
    }
    // Without --smtp-auth no AUTH is needed at all.
    await transport(open).sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'no auth' });
    expect(open.store.count).toBe(2);
  });

  it('serves nodemailer over STARTTLS with AUTH PLAIN, LOGIN and CRAM-MD5, and over implicit TLS', async () => {
    const p = await start({ smtpAuth: 'alice:right-pass' });
    for (const authMethod of ['PLAIN', 'LOGIN', 'CRAM-MD5']) {
      const tls = transport(p, {
        ignoreTLS: false,
        requireTLS: true,
        auth: { user: 'alice', pass: 'right-pass' },
        authMethod,
      });
      expect((await tls.sendMail({ from: 'a@example.test', to: 'b@example.test', text: authMethod })).response).toMatch(
        /^250 /,
      );
    }
    const implicit = await start({ smtpAuth: 'alice:right-pass', smtpRequireTls: true });
    const smtps = transport(implicit, { secure: true, auth: { user: 'alice', pass: 'right-pass' } });
    await smtps.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'smtps' });
    expect(p.store.count).toBe(3);
    expect(implicit.store.latest()!.session.username).toBe('alice');
  });

  it.runIf(has('swaks'))('serves swaks with STARTTLS and AUTH LOGIN, and refuses it without AUTH', async () => {
    const p = await start({ smtpAuth: 'swaks-user:pw' });
    const base = ['--server', `127.0.0.1:${p.smtpPort}`, '--from', 'swaks@example.test', '--to', 'dest@example.test'];
    const { stdout } = await run('swaks', [
      ...base,
      '--tls',
      '--auth',
      'LOGIN',
      '--auth-user',
      'swaks-user',
      '--auth-password',
      'pw',
    ]);
    expect(stdout).toMatch(/250 .*queued as/);
    const refused = await run('swaks', [...base, '--tls']).catch((err: { stdout: string }) => err);
    expect(refused.stdout).toMatch(/530 5\.7\.0 Authentication required/);
    expect(p.store.count).toBe(1);
  });

  it('refuses a configuration that would refuse every AUTH: --smtp-auth with STARTTLS off and no TLS', async () => {
    await expect(start({ smtpAuth: 'a:b', smtpDisableStarttls: true })).rejects.toThrow(/--smtp-auth-allow-insecure/);
    const ok = await start({ smtpAuth: 'a:b', smtpDisableStarttls: true, smtpAuthAllowInsecure: true });
    expect(ok.config.smtpAuthAllowInsecure).toBe(true);
  });
});
