// DKIM verified for messages signed by two independent signers (nodemailer's dkim option and Debian's
// python3-dkim), keys published through PUT /api/v1/dns, mail sent over real SMTP, and every verdict
// compared with python3-dkim's own verifier.
import type { AuthCheck } from '@pigeonhole/shared/schemas/auth';
import type { Pigeonhole } from 'pigeonhole';
import { beforeAll, describe, expect, it } from 'vitest';
import { dkimsign, ed25519Key, plainMessage, pythonDkimVerify, rsaKey, sendRaw, type TestKey } from './helpers/dkim';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const python = has('python3-dkim');
const FROM = 'app@example.test';

let rsa: TestKey;
let ed: TestKey;
const records = (): Record<string, string[]> => ({
  'rsa._domainkey.example.test': [rsa.record],
  'ed._domainkey.example.test': [ed.record],
  'example.test': ['v=spf1 ip4:127.0.0.1 -all'],
  '_dmarc.example.test': ['v=DMARC1; p=reject'],
});

beforeAll(() => {
  rsa = rsaKey();
  ed = ed25519Key();
});

async function started(): Promise<Pigeonhole> {
  const p = await start({ dnsOffline: true });
  await p.client.setDns(records());
  return p;
}

/** Sends the bytes, checks them, and has python3-dkim verify the very bytes stored. */
async function sendAndCheck(p: Pigeonhole, bytes: Buffer): Promise<{ check: AuthCheck; python: boolean[] }> {
  await sendRaw(p.smtpPort, bytes, FROM, 'alice@example.net');
  const { ID } = await p.client.waitForMessage({ subject: 'Welcome' });
  const stored = Buffer.from(await p.client.raw(ID));
  const check = await p.client.authCheck(ID);
  await p.client.clear();
  return { check, python: python ? pythonDkimVerify(stored, records()) : [] };
}

/** A signed header changed in transit: the Subject, after the signer saw it. */
function alterSubject(signed: Buffer): Buffer {
  return Buffer.from(signed.toString('latin1').replace('Subject: Welcome', 'Subject: Welcome!'), 'latin1');
}

/** A body line changed in transit. */
function alterBody(signed: Buffer): Buffer {
  return Buffer.from(signed.toString('latin1').replace('424242', '999999'), 'latin1');
}

describe('DKIM signed by nodemailer (rsa-sha256, relaxed/relaxed)', () => {
  it('passes, aligned with From, and python3-dkim agrees', async () => {
    const p = await started();
    await transport(p).sendMail({
      from: FROM,
      to: 'alice@example.net',
      subject: 'Welcome',
      text: 'Hello, your code is 424242.',
      dkim: { domainName: 'example.test', keySelector: 'rsa', privateKey: rsa.privatePem },
    });
    const { ID } = await p.client.waitForMessage({ subject: 'Welcome' });
    const check = await p.client.authCheck(ID);
    expect(check.DKIM).toHaveLength(1);
    expect(check.DKIM[0]).toMatchObject({
      Domain: 'example.test',
      Selector: 'rsa',
      Algorithm: 'rsa-sha256',
      Canonicalization: 'relaxed/relaxed',
      Result: 'pass',
      Reason: '',
      AlignedWithFrom: true,
      KeyBits: 2048,
      Key: { Name: 'rsa._domainkey.example.test', Source: 'api' },
    });
    expect(check.DKIM[0]!.SignedHeaders).toContain('subject');
    expect(check.DKIM[0]!.BodyHashComputed).toBe(check.DKIM[0]!.BodyHashClaimed);
    expect(check.AuthenticationResults).toMatch(/dkim=pass/);
    if (python) expect(pythonDkimVerify(Buffer.from(await p.client.raw(ID)), records())).toEqual([true]);
  });
});

describe.skipIf(!python)('DKIM signed by python3-dkim', () => {
  const cases = [
    { key: () => rsa, selector: 'rsa', hcanon: 'simple', bcanon: 'simple' },
    { key: () => rsa, selector: 'rsa', hcanon: 'relaxed', bcanon: 'relaxed' },
    { key: () => ed, selector: 'ed', hcanon: 'relaxed', bcanon: 'simple' },
    { key: () => ed, selector: 'ed', hcanon: 'simple', bcanon: 'relaxed' },
  ] as const;

  for (const c of cases) {
    const name = `${c.selector === 'ed' ? 'ed25519-sha256' : 'rsa-sha256'} ${c.hcanon}/${c.bcanon}`;
    it(`${name}: passes as sent, fails with the reason once a header or a body line changed, as python3-dkim says`, async () => {
      const p = await started();
      const signed = dkimsign(plainMessage(FROM), c.key(), { ...c, domain: 'example.test' });

      const intact = await sendAndCheck(p, signed);
      expect(intact.check.DKIM[0]).toMatchObject({
        Algorithm: c.key().algorithm,
        Canonicalization: `${c.hcanon}/${c.bcanon}`,
        Result: 'pass',
        AlignedWithFrom: true,
      });
      expect(intact.python).toEqual([true]);

      const header = await sendAndCheck(p, alterSubject(signed));
      expect(header.check.DKIM[0]!.Result).toBe('fail');
      expect(header.check.DKIM[0]!.Reason).toMatch(
        /^signature does not verify: a signed header \(.*subject.*\) changed/,
      );
      expect(header.python).toEqual([false]);

      const body = await sendAndCheck(p, alterBody(signed));
      const sig = body.check.DKIM[0]!;
      expect(sig.Result).toBe('fail');
      expect(sig.Reason).toContain(`body changed after signing: computed hash ${sig.BodyHashComputed} differs`);
      expect(sig.BodyHashComputed).not.toBe(sig.BodyHashClaimed);
      expect(body.check.AuthenticationResults).toMatch(/dkim=fail \(body hash did not verify\)/);
      expect(body.python).toEqual([false]);
    });
  }

  it('a missing key with --dns-offline is "no key", at once, and python3-dkim fails it too', async () => {
    const p = await start({ dnsOffline: true });
    const signed = dkimsign(plainMessage(FROM), rsa, {
      selector: 'gone',
      domain: 'example.test',
      hcanon: 'relaxed',
      bcanon: 'relaxed',
    });
    await sendRaw(p.smtpPort, signed, FROM, 'alice@example.net');
    const { ID } = await p.client.waitForMessage({ subject: 'Welcome' });
    const began = Date.now();
    const check = await p.client.authCheck(ID);
    // "Quickly": no lookup leaves the process offline; a generous bound for a loaded machine.
    expect(Date.now() - began).toBeLessThan(5000);
    expect(check.DKIM[0]).toMatchObject({ Result: 'neutral', Key: null });
    expect(check.DKIM[0]!.Reason).toMatch(/^no key at gone\._domainkey\.example\.test \(DNS is offline/);
    expect(check.Lookups).toContainEqual(
      expect.objectContaining({ Name: 'gone._domainkey.example.test', Type: 'TXT', Source: 'none' }),
    );
    expect(pythonDkimVerify(Buffer.from(await p.client.raw(ID)), {})).toEqual([false]);
  });
});

describe('DKIM warnings', () => {
  it('a signature that leaves Subject out of h= passes with the warning "header Subject not signed"', async () => {
    const p = await started();
    await transport(p).sendMail({
      from: FROM,
      to: 'alice@example.net',
      subject: 'Welcome',
      text: 'Hello',
      dkim: { domainName: 'example.test', keySelector: 'rsa', privateKey: rsa.privatePem, headerFieldNames: 'from:to' },
    });
    const { ID } = await p.client.waitForMessage({ subject: 'Welcome' });
    const [sig] = (await p.client.authCheck(ID)).DKIM;
    expect(sig!.Result).toBe('pass');
    expect(sig!.SignedHeaders).toEqual(['from', 'to']);
    expect(sig!.Warnings).toContain(
      'header Subject not signed: it can be changed in transit without breaking the signature',
    );
  });
});
