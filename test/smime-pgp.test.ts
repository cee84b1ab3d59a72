import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pigeonhole } from 'pigeonhole';
import { start } from './helpers/pigeonhole';
import { crlf, smimeKit, type SmimeKit } from './helpers/smime';
import { has, transport } from './helpers/smtp';

/**
 * S/MIME signed with OpenSSL (a CA and a signer it issued, made here), sent over SMTP, verified by
 * Pigeonhole; the same message altered after signing is not. Encrypted S/MIME, PGP/MIME and
 * inline PGP are recognised and labelled (PGP is recognised only, never verified).
 */
const withOpenssl = has('openssl');
let kit: SmimeKit;
const openssl = (...args: string[]) => kit.openssl(...args);

async function send(p: Pigeonhole, raw: string): Promise<string> {
  await transport(p).sendMail({
    envelope: { from: 'signer@example.test', to: ['alice@example.test'] },
    raw: crlf(raw),
  });
  return (await p.client.messages()).messages[0]!.ID;
}

const BODY = 'Content-Type: text/plain; charset=utf-8\n\nThe invoice total is 100 EUR.\n';

beforeAll(async () => {
  if (!withOpenssl) return;
  kit = await smimeKit();
  // The encrypt and opaque-sign cases read the body from this file.
  await writeFile(join(kit.dir, 'body.txt'), BODY);
});

afterAll(async () => {
  await kit?.cleanup();
});

const signed = () => kit.sign(BODY, 'signed invoice');

describe.runIf(withOpenssl)('S/MIME', () => {
  it('verifies a detached signature made by openssl smime, with its chain up to the CA', async () => {
    const p = await start();
    const id = await send(p, await signed());
    expect((await p.client.messages()).messages[0]!.Security).toBe('smime-signed');
    const message = await p.client.get(id);
    expect(message.Security).toMatchObject({
      Kind: 'smime-signed',
      Protocol: 'S/MIME',
      Signed: true,
      Encrypted: false,
      Form: 'multipart/signed',
    });
    const signature = message.Security!.Signature!;
    expect(signature).toMatchObject({
      Verified: true,
      Reason: '',
      SignerEmail: 'signer@example.test',
      ChainComplete: true,
      Trusted: false,
    });
    expect(signature.Chain.map((c) => [c.Subject, c.SelfSigned, c.SignedByNext])).toEqual([
      ['CN=Signer', false, true],
      ['CN=Test CA', true, true],
    ]);
  });

  it('does not verify the same message with its content altered after signing, and says so', async () => {
    const p = await start();
    const altered = (await signed()).replace('total is 100 EUR', 'total is 900 EUR');
    expect(altered).toContain('900 EUR');
    const message = await p.client.get(await send(p, altered));
    const signature = message.Security!.Signature!;
    expect(signature.Verified).toBe(false);
    expect(signature.Reason).toContain('changed after signing');
    // Who signed is still known, and the chain; the content is what does not match.
    expect(signature).toMatchObject({ SignerEmail: 'signer@example.test', ChainComplete: true });
  });

  it('does not verify a signature whose bytes were tampered with, nor one that is not CMS at all', async () => {
    const p = await start();
    const lines = (await signed()).split('\n');
    // The signature value is the end of the CMS: flip a character of the last full base64 line.
    const closing = lines.findLastIndex((l) => l.startsWith('------'));
    const last = lines[closing - 3]!;
    const flipped = last[10] === 'A' ? 'B' : 'A';
    lines[closing - 3] = `${last.slice(0, 10)}${flipped}${last.slice(11)}`;
    const tampered = (await p.client.get(await send(p, lines.join('\n')))).Security!.Signature!;
    expect(tampered.Verified).toBe(false);

    const garbage = (await signed()).replace(/(filename="smime.p7s"\n\n)[\s\S]*?(\n------)/, '$1AAAAAAAA$2');
    const notCms = (await p.client.get(await send(p, garbage))).Security!.Signature!;
    expect(notCms).toMatchObject({ Verified: false, Chain: [] });
    expect(notCms.Reason).toMatch(/CMS|certificate/);
  });

  it('verifies opaque signed-data (openssl cms -sign -nodetach)', async () => {
    const p = await start();
    const opaque = await openssl(
      'cms',
      '-sign',
      '-nodetach',
      '-in',
      'body.txt',
      '-signer',
      'signer.pem',
      '-inkey',
      'signer.key',
      '-from',
      'signer@example.test',
      '-to',
      'alice@example.test',
      '-subject',
      'opaque',
    );
    const message = await p.client.get(await send(p, opaque));
    expect(message.Security).toMatchObject({ Kind: 'smime-signed', Form: 'application/pkcs7-mime signed-data' });
    expect(message.Security!.Signature).toMatchObject({ Verified: true, ChainComplete: false });
  });

  it('labels enveloped-data as encrypted, without a signature check', async () => {
    const p = await start();
    const encrypted = await openssl(
      'smime',
      '-encrypt',
      '-aes256',
      '-in',
      'body.txt',
      '-from',
      'signer@example.test',
      '-to',
      'alice@example.test',
      '-subject',
      'secret',
      'signer.pem',
    );
    const id = await send(p, encrypted);
    expect((await p.client.messages()).messages[0]!.Security).toBe('smime-encrypted');
    const message = await p.client.get(id);
    expect(message.Security).toMatchObject({
      Kind: 'smime-encrypted',
      Encrypted: true,
      Signed: false,
      Signature: null,
    });
    expect(message.Security!.Note).toContain('cannot be shown');
    expect(message.Text).not.toContain('100 EUR');
  });
});

const PGP_SIGNED = `From: a@example.test
To: b@example.test
Subject: pgp signed
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="b1"

--b1
Content-Type: text/plain

Signed text.
--b1
Content-Type: application/pgp-signature; name="signature.asc"

-----BEGIN PGP SIGNATURE-----

iQEzBAEBCAAdFiEE
-----END PGP SIGNATURE-----
--b1--
`;

const PGP_ENCRYPTED = `From: a@example.test
To: b@example.test
Subject: pgp encrypted
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b2"

--b2
Content-Type: application/pgp-encrypted

Version: 1
--b2
Content-Type: application/octet-stream; name="encrypted.asc"

-----BEGIN PGP MESSAGE-----

hQEMA1b2c3d4e5f6ARAAk
-----END PGP MESSAGE-----
--b2--
`;

const inline = (armor: string, subject: string) =>
  `From: a@example.test\nTo: b@example.test\nSubject: ${subject}\n\n${armor}\nHello\n-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n`;

describe('hostile S/MIME', () => {
  it('answers a signature of 200,000 nested indefinite-length BER sequences, and goes on serving', async () => {
    const p = await start();
    // 0x30 0x80: a SEQUENCE of indefinite length, nested; a recursive parser runs out of stack.
    const der = Buffer.alloc(400_000);
    for (let i = 0; i < der.length; i += 2) der.set([0x30, 0x80], i);
    const raw = [
      'From: a@example.test',
      'To: b@example.test',
      'Subject: nested',
      'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'hi',
      '--b',
      'Content-Type: application/pkcs7-signature',
      'Content-Transfer-Encoding: base64',
      '',
      der.toString('base64').replace(/.{76}/g, '$&\n'),
      '--b--',
      '',
    ].join('\n');
    const message = await p.client.get(await send(p, raw));
    expect(message.Security!.Signature).toMatchObject({ Verified: false });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'after', text: 'x' });
    expect((await p.client.get('latest')).Subject).toBe('after');
  });
});

describe('PGP, recognised only', () => {
  it.each([
    ['PGP/MIME signed', PGP_SIGNED, 'pgp-signed', 'multipart/signed'],
    ['PGP/MIME encrypted', PGP_ENCRYPTED, 'pgp-encrypted', 'multipart/encrypted'],
    [
      'inline clear-signed',
      inline('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n', 'inline signed'),
      'pgp-signed',
      'inline',
    ],
    ['inline encrypted', inline('-----BEGIN PGP MESSAGE-----\n', 'inline encrypted'), 'pgp-encrypted', 'inline'],
  ])('labels %s in the list and the message', async (_name, raw, kind, form) => {
    const p = await start();
    const id = await send(p, raw);
    expect((await p.client.messages()).messages[0]!.Security).toBe(kind);
    const message = await p.client.get(id);
    expect(message.Security).toMatchObject({ Kind: kind, Protocol: 'PGP', Form: form, Signature: null });
    expect(message.Security!.Note).toMatch(/not verified|cannot be shown/);
  });

  it('leaves plain mail without a Security field in the list and the message', async () => {
    const p = await start();
    const id = await send(
      p,
      'From: a@example.test\nTo: b@example.test\nSubject: plain\n\nBEGIN PGP is just words here\n',
    );
    expect('Security' in (await p.client.messages()).messages[0]!).toBe(false);
    expect('Security' in (await p.client.get(id))).toBe(false);
  });
});
