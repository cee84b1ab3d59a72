import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { converse } from './smtp';

/** A signing key made in the test, with what goes in DNS and the file python3-dkim signs with. */
export interface TestKey {
  algorithm: 'rsa-sha256' | 'ed25519-sha256';
  /** PEM (RSA) for nodemailer; python3-dkim reads `keyFile`. */
  privatePem: string;
  keyFile: string;
  /** The TXT record: `v=DKIM1; k=rsa; p=...`. */
  record: string;
}

const work = mkdtempSync(join(tmpdir(), 'pigeonhole-dkim-'));
let files = 0;

function tempFile(content: string | Buffer): string {
  const path = join(work, `f${files++}`);
  writeFileSync(path, content);
  return path;
}

/** A fresh RSA key (node:crypto). */
export function rsaKey(bits = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { algorithm: 'rsa-sha256', privatePem, keyFile: tempFile(privatePem), record: `v=DKIM1; k=rsa; p=${p}` };
}

/** A fresh Ed25519 key (RFC 8463): DNS holds the raw 32-byte public key, python3-dkim the base64 seed. */
export function ed25519Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url').toString('base64');
  const p = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  return {
    algorithm: 'ed25519-sha256',
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyFile: tempFile(seed),
    record: `v=DKIM1; k=ed25519; p=${p}`,
  };
}

/** Bare LF to CRLF, as on the SMTP wire (python3-dkim writes the headers it adds with LF). */
export function crlf(bytes: Buffer | string): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function run(command: string, args: string[], input: Buffer): Buffer {
  const out = spawnSync(command, args, { input, timeout: 30_000 });
  if (out.status !== 0) throw new Error(`${command} failed: ${out.stderr.toString()}`);
  return out.stdout;
}

/** Signs with Debian's `dkimsign` (python3-dkim). */
export function dkimsign(
  message: Buffer,
  key: TestKey,
  o: { selector: string; domain: string; hcanon: 'simple' | 'relaxed'; bcanon: 'simple' | 'relaxed' },
): Buffer {
  const args = ['--hcanon', o.hcanon, '--bcanon', o.bcanon, '--signalg', key.algorithm];
  return crlf(run('dkimsign', [...args, o.selector, o.domain, key.keyFile], message));
}

/** Adds an ARC set with Debian's `arcsign` (python3-dkim): the message needs an Authentication-Results of `srvId`. */
export function arcsign(message: Buffer, key: TestKey, o: { selector: string; domain: string; srvId: string }): Buffer {
  return crlf(run('arcsign', [o.selector, o.domain, key.keyFile, o.srvId], message));
}

/**
 * python3-dkim's verdict on every DKIM signature of a message, with the records given here rather
 * than DNS: `dkimverify` reads DNS only, so this calls `dkim.DKIM(msg).verify(idx, dnsfunc=...)`,
 * the very function `dkimverify` calls. Debian's python3, as the probe checks.
 */
export function pythonDkimVerify(message: Buffer, records: Record<string, string[]>): boolean[] {
  const script = [
    'import sys, json, dkim',
    'msg = open(sys.argv[1], "rb").read()',
    'records = json.load(open(sys.argv[2]))',
    'def dnsfunc(name, timeout=5):',
    '    n = (name.decode() if isinstance(name, bytes) else name).rstrip(".").lower()',
    '    v = records.get(n)',
    '    return v[0].encode() if v else None',
    'd = dkim.DKIM(msg)',
    'def ok(i):',
    '    try:',
    '        return bool(d.verify(idx=i, dnsfunc=dnsfunc))',
    '    except dkim.DKIMException:',
    '        return False',
    'count = len([h for h in d.headers if h[0].lower() == b"dkim-signature"])',
    'print(json.dumps([ok(i) for i in range(count)]))',
  ].join('\n');
  const out = run(
    '/usr/bin/python3',
    ['-c', script, tempFile(message), tempFile(JSON.stringify(records))],
    Buffer.alloc(0),
  );
  return JSON.parse(out.toString()) as boolean[];
}

/** Sends exact bytes over SMTP (dot-stuffed), as a raw client: the bytes signed are the bytes stored. */
export async function sendRaw(port: number, message: Buffer, from: string, to: string, helo = 'client.example.test') {
  const body = Buffer.from(message.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');
  const replies = await converse(port, [
    `EHLO ${helo}`,
    `MAIL FROM:<${from}>`,
    `RCPT TO:<${to}>`,
    'DATA',
    Buffer.concat([body, Buffer.from(body.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n')]),
    'QUIT',
  ]);
  const data = replies[5] ?? '';
  if (!data.startsWith('250')) throw new Error(`message refused: ${replies.join(' | ')}`);
}

/** A small message from `from`, CRLF line endings. */
export function plainMessage(from: string, subject = 'Welcome', body = 'Hello,\r\nyour code is 424242.\r\n'): Buffer {
  return Buffer.from(
    [
      `From: App <${from}>`,
      'To: Alice <alice@example.net>',
      `Subject: ${subject}`,
      'Date: Mon, 01 Jan 2024 10:00:00 +0000',
      `Message-ID: <${Math.random().toString(36).slice(2)}@example.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}
