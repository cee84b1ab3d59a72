import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { converse, has, transport } from './helpers/smtp';

const run = promisify(execFile);

/**
 * Delivery tracking: what an app asks of delivery status notifications (RFC 3461: RET, ENVID on
 * MAIL FROM; NOTIFY, ORCPT on RCPT TO) is recorded with the envelope and shown in the session and
 * message JSON, and a Disposition-Notification-To header (a read receipt, RFC 8098) beside it.
 */
describe('delivery status notification requests', () => {
  it.runIf(has('python3'))('records RET, ENVID, NOTIFY and ORCPT sent by Python smtplib', async () => {
    const p = await start();
    const script = `
import smtplib, sys
raw = (b"From: app@example.test\\r\\nTo: alice@example.test\\r\\nSubject: tracked\\r\\n"
       b"Disposition-Notification-To: App Receipts <receipts@example.test>\\r\\n\\r\\nhello\\r\\n")
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    s.ehlo("python.test")
    print("dsn" if s.has_extn("dsn") else "no dsn", flush=True)
    s.sendmail("app@example.test", ["alice@example.test", "bob@example.test"], raw,
               mail_options=["RET=HDRS", "ENVID=QQ314159"],
               rcpt_options=["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;alice+2Bapp@example.test"])
`;
    const { stdout } = await run('python3', ['-c', script, String(p.smtpPort)]);
    expect(stdout.trim()).toBe('dsn');

    const session = await p.client.session('latest');
    expect(session.DSN).toEqual({
      Ret: 'HDRS',
      Envid: 'QQ314159',
      Recipients: [
        { Address: 'alice@example.test', Notify: ['SUCCESS', 'FAILURE'], Orcpt: 'rfc822;alice+app@example.test' },
        { Address: 'bob@example.test', Notify: ['SUCCESS', 'FAILURE'], Orcpt: 'rfc822;alice+app@example.test' },
      ],
    });
    // The transcript line says what RET=HDRS means, in place.
    // smtplib says `mail FROM:`; the explainer reads verbs in any case.
    const mail = session.Transcript.find((l) => l.Line.toUpperCase().startsWith('MAIL FROM'))!;
    expect(mail.Explain.find((n) => n.Term === 'RET=HDRS')?.RFC).toBe('RFC 3461 §4.3');

    const message = await p.client.get('latest');
    expect(message.Delivery).toEqual({ DSN: session.DSN, ReadReceiptTo: 'App Receipts <receipts@example.test>' });
  });

  it('records the dsn option of nodemailer, which sends it only when the server offers DSN', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'carol@example.test',
      subject: 'nodemailer dsn',
      text: 'x',
      dsn: { id: 'order-42', return: 'full', notify: ['failure', 'delay'], recipient: 'app@example.test' },
    });
    const session = await p.client.session('latest');
    expect(session.DSN).toMatchObject({
      Ret: 'FULL',
      Envid: 'order-42',
      Recipients: [{ Address: 'carol@example.test', Notify: ['FAILURE', 'DELAY'], Orcpt: 'rfc822;app@example.test' }],
    });
    // No read receipt asked: Delivery still tells the DSN request.
    expect((await p.client.get('latest')).Delivery?.ReadReceiptTo).toBe('');
  });

  it('keeps plain mail in Mailpit shape: no Delivery field, DSN null', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'plain', text: 'x' });
    expect('Delivery' in (await p.client.get('latest'))).toBe(false);
    expect((await p.client.session('latest')).DSN).toBeNull();
  });

  it('refuses bad DSN values with 501 and goes on with the session', async () => {
    const p = await start();
    const replies = await converse(p.smtpPort, [
      'EHLO raw.test',
      'MAIL FROM:<a@example.test> ENVID=has+1Bescape',
      `MAIL FROM:<a@example.test> ENVID=${'x'.repeat(101)}`,
      'MAIL FROM:<a@example.test> ENVID=bidi\u202Eevil',
      'MAIL FROM:<a@example.test> RET=MAYBE',
      'MAIL FROM:<a@example.test> RET=FULL ENVID=ok+2Bfine',
      'RCPT TO:<b@example.test> NOTIFY=SOMETIMES',
      'RCPT TO:<b@example.test> NOTIFY=NEVER,SUCCESS',
      'RCPT TO:<b@example.test> ORCPT=no-type-here',
      'RCPT TO:<b@example.test> NOTIFY=NEVER',
      'DATA',
      'Subject: after refusals\r\n\r\nbody\r\n.',
    ]);
    expect(replies[1]).toMatch(/250-DSN\r\n/);
    // smtp-server refuses the escape (decoded from xtext) and RET=MAYBE; Pigeonhole the length and U+202E.
    expect(replies.slice(2, 6).map((r) => r.slice(0, 3))).toEqual(['501', '501', '501', '501']);
    expect(replies[3]).toContain('ENVID must be at most 100 printable ASCII characters');
    expect(replies[4]).toContain('ENVID must be at most 100 printable ASCII characters');
    expect(replies[6]).toMatch(/^250 /);
    expect(replies.slice(7, 10).map((r) => r.slice(0, 3))).toEqual(['501', '501', '501']);
    expect(replies[10]).toMatch(/^250 /);
    expect(replies[12]).toMatch(/^250 /);
    const session = await p.client.session('latest');
    expect(session.DSN).toEqual({
      Ret: 'FULL',
      Envid: 'ok+fine',
      Recipients: [{ Address: 'b@example.test', Notify: ['NEVER'], Orcpt: '' }],
    });
  });
});
