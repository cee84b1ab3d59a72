import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MailpitClient } from 'mailpit-api';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { converse, has, transport } from './helpers/smtp';

const run = promisify(execFile);

async function setChaos(p: Pigeonhole, body: unknown): Promise<Response> {
  return fetch(`${p.httpUrl}/api/v1/chaos`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The error nodemailer rejects with, with its SMTP fields. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; responseCode?: number; response?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; responseCode?: number; response?: string };
  }
  throw new Error('expected the send to fail');
}

const mail = { from: 'app@example.test', to: 'user@example.test', subject: 'chaos', text: 'hello' };

describe('chaos API, as the mailpit-api client uses it', () => {
  it('answers 400 "Chaos is not enabled" without --enable-chaos', async () => {
    const p = await start();
    const mailpit = new MailpitClient(p.httpUrl);
    await expect(mailpit.getChaosTriggers()).rejects.toThrow(/400 .*Chaos is not enabled/);
    await expect(mailpit.setChaosTriggers({})).rejects.toThrow(/Chaos is not enabled/);
  });

  it('gets and sets triggers exactly as Mailpit does, omitted triggers reset to 0 %', async () => {
    const p = await start({ enableChaos: true });
    const mailpit = new MailpitClient(p.httpUrl);
    expect(await mailpit.getChaosTriggers()).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 451, Probability: 0 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
    const triggers = {
      Authentication: { ErrorCode: 451, Probability: 5 },
      Recipient: { ErrorCode: 452, Probability: 10 },
      Sender: { ErrorCode: 453, Probability: 15 },
    };
    expect(await mailpit.setChaosTriggers(triggers)).toEqual(triggers);
    expect(await mailpit.getChaosTriggers()).toEqual(triggers);
    expect(await mailpit.setChaosTriggers({ Recipient: { ErrorCode: 550, Probability: 100 } })).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 550, Probability: 100 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
    expect(await mailpit.setChaosTriggers()).toMatchObject({ Recipient: { Probability: 0 } });
  });

  it('matches keys case-insensitively (Go decoder) and refuses codes outside 400-599', async () => {
    const p = await start({ enableChaos: true });
    const ok = await setChaos(p, { sender: { errorcode: 450, probability: 100 }, DATA: { Probability: 30 } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      Sender: { ErrorCode: 450, Probability: 100 },
      Data: { ErrorCode: 451, Probability: 30 },
    });
    const bad = await setChaos(p, { Sender: { ErrorCode: 250, Probability: 100 } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Sender: error code must be between 400 and 599, got 250');
    expect((await setChaos(p, { Sender: { ErrorCode: 451, Probability: 101 } })).status).toBe(400);
    // curl -d sends a form Content-Type. Mailpit (Go) reads the JSON anyway; Pigeonhole does not, since
    // a form body is what a cross-site page can send without a preflight (security-csrf.test.ts).
    const form = await fetch(`${p.httpUrl}/api/v1/chaos`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"Recipient":{"Probability":7}}',
    });
    expect(form.status).toBe(415);
    expect(await form.text()).toMatch(/application\/json/);
    expect(p.app.pigeonhole.chaos?.triggers.Recipient.Probability).not.toBe(7);
  });
});

describe('chaos codes seen by nodemailer', () => {
  it('fails RCPT TO with the Recipient code', async () => {
    const p = await start({ enableChaos: true });
    await setChaos(p, { Recipient: { ErrorCode: 452, Probability: 100 } });
    const err = await failure(transport(p).sendMail(mail));
    expect(err.code).toBe('EENVELOPE');
    expect(err.responseCode).toBe(452);
    // smtp-server adds the enhanced status code (RFC 3463) after the code.
    expect(err.response).toMatch(/^452 4\.\d\.\d+ Chaos recipient error$/);
    expect(p.store.count).toBe(0);
  });

  it('fails the end of DATA with the Data code and stores nothing', async () => {
    const p = await start({ enableChaos: true });
    await setChaos(p, { Data: { ErrorCode: 554, Probability: 100 } });
    const err = await failure(transport(p).sendMail(mail));
    expect(err.responseCode).toBe(554);
    expect(err.response).toMatch(/^554 5\.\d\.\d+ Chaos data error$/);
    expect(p.store.count).toBe(0);
  });

  it('drops the connection at the chosen stage without a reply', async () => {
    const p = await start({ enableChaos: true });
    await setChaos(p, { Disconnect: { Stage: 'data', Probability: 100 } });
    const err = await failure(transport(p).sendMail(mail));
    expect(err.code).toMatch(/^(ECONNECTION|ESOCKET|ETIMEDOUT)$/);
    expect(err.responseCode).toBeUndefined();
    expect(p.store.count).toBe(0);
    const replies = await converse(p.smtpPort, ['EHLO x', 'MAIL FROM:<a@example.test>']).catch(() => null);
    expect(replies?.[2]).toMatch(/^250 /); // the disconnect is at DATA, not MAIL
  });

  it('answers slowly with the delay trigger: a client with a short timeout gives up, a patient one succeeds', async () => {
    const p = await start({ enableChaos: true });
    await setChaos(p, { Delay: { Milliseconds: 600, Probability: 100 } });
    const impatient = await failure(transport(p, { socketTimeout: 100 }).sendMail(mail));
    expect(impatient.code).toMatch(/^(ETIMEDOUT|ESOCKET|ECONNECTION)$/);
    await transport(p).sendMail(mail);
    expect(p.store.count).toBe(1);
  });

  it('fails fail-NNN@ recipients always, and only them', async () => {
    const p = await start({ enableChaos: true });
    const info = await transport(p).sendMail({ ...mail, to: ['ok@example.test', 'fail-550@example.test'] });
    expect(info.accepted).toEqual(['ok@example.test']);
    expect(info.rejected).toEqual(['fail-550@example.test']);
    expect(p.store.latest()!.envelope.rcptTo).toEqual(['ok@example.test']);
    const err = await failure(transport(p).sendMail({ ...mail, to: 'fail-421+signup@example.test' }));
    expect(err.responseCode).toBe(421);
  });

  it('leaves fail-NNN@ addresses alone without --enable-chaos', async () => {
    const p = await start();
    await transport(p).sendMail({ ...mail, to: 'fail-451@example.test' });
    expect(p.store.count).toBe(1);
  });
});

describe.runIf(has('python3'))('chaos codes seen by Python smtplib', () => {
  it('raises the Sender, Authentication and DATA codes', async () => {
    const p = await start({ enableChaos: true });
    await setChaos(p, {
      Sender: { ErrorCode: 451, Probability: 100 },
      Authentication: { ErrorCode: 454, Probability: 100 },
    });
    const script = `
import smtplib, sys, json
out = {}
port = int(sys.argv[1])
with smtplib.SMTP("127.0.0.1", port) as s:
    try:
        s.login("u", "p")
    except smtplib.SMTPAuthenticationError as e:
        out["auth"] = [e.smtp_code, e.smtp_error.decode()]
    try:
        s.sendmail("app@example.test", ["user@example.test"], b"Subject: x\\r\\n\\r\\nx\\r\\n")
    except smtplib.SMTPSenderRefused as e:
        out["sender"] = [e.smtp_code, e.smtp_error.decode()]
with smtplib.SMTP("127.0.0.1", port) as s:
    try:
        s.sendmail("ok@example.test", ["fail-data-552@example.test"], b"Subject: x\\r\\n\\r\\nx\\r\\n")
    except smtplib.SMTPSenderRefused as e:
        out["stillsender"] = e.smtp_code
    except smtplib.SMTPDataError as e:
        out["data"] = [e.smtp_code, e.smtp_error.decode()]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script, String(p.smtpPort)]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.auth).toEqual([454, expect.stringMatching(/^4\.\d\.\d+ Chaos authentication error$/)]);
    expect(out.sender).toEqual([451, expect.stringMatching(/^4\.\d\.\d+ Chaos sender error$/)]);
    // Sender still fails at 100 %: the per-address DATA rule is never reached.
    expect(out.stillsender).toBe(451);
    await setChaos(p, {});
    const { stdout: again } = await run('python3', ['-c', script, String(p.smtpPort)]);
    const out2 = JSON.parse(again) as Record<string, unknown>;
    expect(out2.auth).toBeUndefined();
    expect(out2.data).toEqual([552, expect.stringMatching(/Chaos rule: fail-data-552@example.test always fails$/)]);
    expect(p.store.count).toBe(1);
  });
});
