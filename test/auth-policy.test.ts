// SPF, DMARC and ARC over real SMTP, with the records published through PUT /api/v1/dns and the
// system resolver off: a From aligned with a passing signature passes DMARC, a misaligned one fails
// with the reason; SPF for 127.0.0.1 against `ip4:127.0.0.1 -all` and `-all`; an ARC set by arcsign.
import type { Pigeonhole } from 'pigeonhole';
import { beforeAll, describe, expect, it } from 'vitest';
import { arcsign, dkimsign, plainMessage, rsaKey, sendRaw, type TestKey } from './helpers/dkim';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

let key: TestKey;
beforeAll(() => {
  key = rsaKey();
});

async function started(records: Record<string, string[]>): Promise<Pigeonhole> {
  const p = await start({ dnsOffline: true });
  await p.client.setDns(records);
  return p;
}

async function sendSigned(p: Pigeonhole, o: { from: string; mailFrom: string; domain: string }) {
  await transport(p).sendMail({
    from: o.from,
    to: 'alice@example.net',
    envelope: { from: o.mailFrom, to: 'alice@example.net' },
    subject: 'Welcome',
    text: 'Hello',
    dkim: { domainName: o.domain, keySelector: 'sel', privateKey: key.privatePem },
  });
  return (await p.client.waitForMessage({ subject: 'Welcome' })).ID;
}

describe('DMARC', () => {
  it('passes when From aligns with a passing DKIM signature, naming the aligned domain and the policy', async () => {
    const p = await started({
      'sel._domainkey.example.test': [key.record],
      '_dmarc.example.test': ['v=DMARC1; p=reject'],
    });
    const id = await sendSigned(p, { from: 'app@example.test', mailFrom: 'app@example.test', domain: 'example.test' });
    const check = await p.client.authCheck(id);
    expect(check.DMARC).toMatchObject({
      Result: 'pass',
      FromDomain: 'example.test',
      Policy: 'reject',
      AlignedDkim: 'example.test',
      Record: { Name: '_dmarc.example.test', Value: 'v=DMARC1; p=reject', Source: 'api' },
    });
    expect(check.AuthenticationResults).toMatch(/dmarc=pass/);
  });

  it('fails when the passing signature and SPF domain are another domain than From, and says why', async () => {
    const p = await started({
      'sel._domainkey.mailer.test': [key.record],
      'mailer.test': ['v=spf1 ip4:127.0.0.1 -all'],
      '_dmarc.example.test': ['v=DMARC1; p=reject'],
    });
    const id = await sendSigned(p, { from: 'app@example.test', mailFrom: 'bounce@mailer.test', domain: 'mailer.test' });
    const check = await p.client.authCheck(id);
    expect(check.DKIM[0]).toMatchObject({ Domain: 'mailer.test', Result: 'pass', AlignedWithFrom: false });
    expect(check.SPF).toMatchObject({ Result: 'pass', Domain: 'mailer.test' });
    expect(check.DMARC).toMatchObject({ Result: 'fail', AlignedDkim: '', AlignedSpf: '' });
    expect(check.DMARC.Reason).toMatch(
      /^neither a passing DKIM signature nor the SPF domain aligns with the From domain example\.test: sign with d=example\.test/,
    );
  });

  it('is none without a DMARC record, saying what to publish', async () => {
    const p = await started({ 'sel._domainkey.example.test': [key.record] });
    const id = await sendSigned(p, { from: 'app@example.test', mailFrom: 'app@example.test', domain: 'example.test' });
    const { DMARC } = await p.client.authCheck(id);
    expect(DMARC.Result).toBe('none');
    expect(DMARC.Reason).toMatch(/^no DMARC record at _dmarc\.example\.test/);
  });
});

describe('SPF for 127.0.0.1', () => {
  it('passes against "v=spf1 ip4:127.0.0.1 -all" and fails against "v=spf1 -all" with the reason', async () => {
    const p = await started({
      'allowed.test': ['v=spf1 ip4:127.0.0.1 -all'],
      'strict.test': ['v=spf1 -all'],
    });
    await sendRaw(p.smtpPort, plainMessage('app@allowed.test'), 'app@allowed.test', 'alice@example.net');
    const allowed = await p.client.authCheck('latest');
    expect(allowed.SPF).toMatchObject({
      Result: 'pass',
      Domain: 'allowed.test',
      ClientAddress: '127.0.0.1',
      MailFrom: 'app@allowed.test',
      Helo: 'client.example.test',
      Record: { Name: 'allowed.test', Value: 'v=spf1 ip4:127.0.0.1 -all', Source: 'api' },
    });
    expect(allowed.AuthenticationResults).toMatch(/spf=pass/);

    await sendRaw(p.smtpPort, plainMessage('app@strict.test'), 'app@strict.test', 'alice@example.net');
    const strict = await p.client.authCheck('latest');
    expect(strict.SPF.Result).toBe('fail');
    expect(strict.SPF.Reason).toBe(
      '127.0.0.1 is not allowed by "v=spf1 -all" at strict.test (-all): receivers reject it',
    );
    expect(strict.AuthenticationResults).toMatch(/spf=fail/);
  });
});

describe('cached checks follow the records', () => {
  it('a check made before the key was published is made again after PUT /api/v1/dns', async () => {
    const p = await started({});
    const id = await sendSigned(p, { from: 'app@example.test', mailFrom: 'app@example.test', domain: 'example.test' });
    expect((await p.client.authCheck(id)).DKIM[0]!.Reason).toMatch(/^no key at sel\._domainkey\.example\.test/);
    await p.client.setDns({ 'sel._domainkey.example.test': [key.record] });
    expect((await p.client.authCheck(id)).DKIM[0]!.Result).toBe('pass');
    await p.client.clearDns();
    expect((await p.client.authCheck(id)).DKIM[0]!.Result).toBe('neutral');
  });
});

describe.skipIf(!has('python3-dkim'))('ARC sealed by arcsign', () => {
  it('passes with the sealer named, and fails once the message changed after sealing', async () => {
    const arcKey = rsaKey();
    const p = await started({
      'sel._domainkey.example.test': [key.record],
      'arc._domainkey.forwarder.test': [arcKey.record],
    });
    const signed = dkimsign(plainMessage('app@example.test'), key, {
      selector: 'sel',
      domain: 'example.test',
      hcanon: 'relaxed',
      bcanon: 'relaxed',
    });
    const received = Buffer.concat([
      Buffer.from('Authentication-Results: forwarder.test; dkim=pass header.d=example.test\r\n'),
      signed,
    ]);
    const sealed = arcsign(received, arcKey, { selector: 'arc', domain: 'forwarder.test', srvId: 'forwarder.test' });
    await sendRaw(p.smtpPort, sealed, 'list@forwarder.test', 'alice@example.net');
    const check = await p.client.authCheck('latest');
    expect(check.ARC).toMatchObject({
      Result: 'pass',
      Instance: 1,
      Chain: [{ Instance: 1, Domain: 'forwarder.test', Selector: 'arc' }],
    });
    expect(check.AuthenticationResults).toMatch(/arc=pass/);

    const altered = Buffer.from(sealed.toString('latin1').replace('Hello,', 'Hullo,'), 'latin1');
    await sendRaw(p.smtpPort, altered, 'list@forwarder.test', 'alice@example.net');
    const broken = await p.client.authCheck('latest');
    expect(broken.ARC.Result).toBe('fail');
    expect(broken.ARC.Reason).toMatch(/does not verify/);
  });
});
