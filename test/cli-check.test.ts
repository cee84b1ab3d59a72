// `pigeonhole check --auth`, the built CLI against a real Pigeonhole: exit 0 only when DMARC passes,
// for a CI step after the app under test sent its mail.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

async function signedBy(domain: string) {
  const p = await start({ dnsOffline: true });
  await p.client.setDns({ 'sel._domainkey.example.test': [KEY], '_dmarc.example.test': ['v=DMARC1; p=reject'] });
  await transport(p).sendMail({
    from: 'app@example.test',
    to: 'alice@example.net',
    subject: 'Welcome',
    text: 'Hello',
    dkim: { domainName: domain, keySelector: 'sel', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) },
  });
  await p.client.waitForMessage({ subject: 'Welcome' });
  return p;
}

describe('pigeonhole check --auth', () => {
  it('exits 0 and prints one line per mechanism when DMARC passes', async () => {
    const p = await signedBy('example.test');
    const cli = runCli(['check', '--auth', 'latest', '--url', p.httpUrl]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(
      /^DKIM {2}pass {6}d=example\.test s=sel rsa-sha256 relaxed\/relaxed \(aligned with From\)$/m,
    );
    expect(cli.stdout()).toMatch(/^DMARC pass {6}example\.test p=reject$/m);
  });

  it('exits 1 with the reason when DMARC fails (signed by another domain), and 2 for a message that is not there', async () => {
    const p = await signedBy('other.test');
    const cli = runCli(['check', '--auth', 'latest', '--url', p.httpUrl]);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toMatch(/^DKIM {2}neutral {3}d=other\.test .*: no key at sel\._domainkey\.other\.test/m);
    expect(cli.stderr()).toMatch(
      /^pigeonhole check: DMARC fail: neither a passing DKIM signature nor the SPF domain aligns/m,
    );

    const missing = runCli(['check', '--auth', 'nosuchid', '--url', p.httpUrl]);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr()).toMatch(/404 .*Message not found/);
  });
});
