import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A folder with a test CA and a signer it issued (`signer.pem`, `signer.key`, `ca.pem`), made by OpenSSL. */
export interface SmimeKit {
  dir: string;
  /** Runs `openssl` in {@link dir} and returns its standard output. */
  openssl(...args: string[]): Promise<string>;
  /** `openssl smime -sign` of `body` (a MIME entity, LF line ends) by the signer, the CA included. */
  sign(body: string, subject: string): Promise<string>;
  /** Removes the folder. */
  cleanup(): Promise<void>;
}

/**
 * Makes a throwaway CA ("Test CA") and a signer ("Signer", signer@example.test in its
 * subjectAltName) issued by it, in a temporary folder. Keys are made per run, never committed.
 */
export async function smimeKit(): Promise<SmimeKit> {
  const dir = await mkdtemp(join(tmpdir(), 'pigeonhole-smime-'));
  const openssl = async (...args: string[]) => (await run('openssl', args, { cwd: dir, maxBuffer: 8 << 20 })).stdout;
  await writeFile(join(dir, 'leaf.ext'), 'subjectAltName=email:signer@example.test\n');
  const key = ['-newkey', 'rsa:2048', '-nodes', '-days', '2'];
  await openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA');
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'signer.key',
    '-out',
    'signer.csr',
    '-subj',
    '/CN=Signer',
  );
  await openssl(
    ...['x509', '-req', '-in', 'signer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
    ...['-out', 'signer.pem', '-days', '2', '-extfile', 'leaf.ext'],
  );
  let n = 0;
  return {
    dir,
    openssl,
    async sign(body, subject) {
      const file = `body-${n++}.txt`;
      await writeFile(join(dir, file), body);
      return openssl(
        ...['smime', '-sign', '-in', file, '-signer', 'signer.pem', '-inkey', 'signer.key', '-certfile', 'ca.pem'],
        ...['-from', 'signer@example.test', '-to', 'alice@example.test', '-subject', subject],
      );
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** OpenSSL writes LF; SMTP carries CRLF (and the signature was made over the CRLF form). */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
