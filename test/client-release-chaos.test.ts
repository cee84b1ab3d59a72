import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/*
 * The typed client's named methods for release and chaos, the ones the web UI calls, against a real
 * Pigeonhole: answers decoded, failures thrown as PigeonholeHttpError with the server's status and text.
 */

const mail = { from: 'app@example.test', to: 'user@example.test', subject: 'Hand it on', text: 'hello' };

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<PigeonholeHttpError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(PigeonholeHttpError);
  return outcome as PigeonholeHttpError;
}

describe('client.releaseMessage', () => {
  it('relays a stored message to the given recipients through the configured relay', async () => {
    const target = await start();
    const source = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: target.smtpPort });
    await transport(source).sendMail(mail);
    const [original] = (await source.client.messages()).messages;

    await source.client.releaseMessage(original!.ID, { To: ['Real Person <real@elsewhere.test>'] });

    const relayed = await target.client.waitForMessage({ subject: 'Hand it on', timeout: 5000 });
    expect(relayed.MessageID).toBe((await source.client.get(original!.ID)).MessageID);
    expect((await target.client.session(relayed.ID)).RcptTo).toEqual(['real@elsewhere.test']);
  });

  it('throws the 400 naming the missing relay, and 404 for an unknown ID', async () => {
    const p = await start();
    await transport(p).sendMail(mail);
    const [message] = (await p.client.messages()).messages;
    const noRelay = await rejection(p.client.releaseMessage(message!.ID, { To: ['x@example.test'] }));
    expect(noRelay.status).toBe(400);
    expect(noRelay.body).toMatch(/--smtp-relay-host/);
    const relayed = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: p.smtpPort });
    expect((await rejection(relayed.client.releaseMessage('nope', { To: ['x@example.test'] }))).status).toBe(404);
  });
});

describe('client.getChaos and client.setChaos', () => {
  it('throw the 400 "Chaos is not enabled" without --enable-chaos', async () => {
    const p = await start();
    const get = await rejection(p.client.getChaos());
    expect(get.status).toBe(400);
    expect(get.body).toMatch(/Chaos is not enabled/);
    expect((await rejection(p.client.setChaos({}))).status).toBe(400);
  });

  it('read and set the triggers, and the SMTP side answers with the code set', async () => {
    const p = await start({ enableChaos: true });
    expect(await p.client.getChaos()).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 451, Probability: 0 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
    const set = await p.client.setChaos({
      Recipient: { ErrorCode: 452, Probability: 100 },
      Delay: { Milliseconds: 5 },
    });
    expect(set).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 452, Probability: 100 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
    expect(await p.client.getChaos()).toEqual(set);
    await expect(transport(p).sendMail(mail)).rejects.toMatchObject({ responseCode: 452 });

    const bad = await rejection(p.client.setChaos({ Sender: { ErrorCode: 250, Probability: 100 } }));
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('Sender: error code must be between 400 and 599, got 250');
  });
});
