import { createPublicKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';

/** A PEM certificate and its key. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/** How long the certificate is valid from when it is made (a day back, against clock skew). */
const VALID_DAYS = 365;

let selfSigned: Promise<TlsMaterial> | undefined;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, made once per process: an EC P-256
 * key (a few milliseconds, where RSA 2048 takes hundreds), shared by every in-process instance.
 *
 * node:crypto makes the key and the signature; the certificate around them is one fixed shape, so
 * it is written here in DER (below) rather than by a general X.509 library. selfsigned, used before,
 * brought 700 KB of ASN.1 code: loaded in the main thread it stayed for good (2.6 MB of heap), and
 * in a worker thread the thread's malloc arena stayed resident after it exited (1 to 2.7 MiB at idle,
 * measured), while loading it cost about 0.3 s of every start.
 */
export function selfSignedCertificate(): Promise<TlsMaterial> {
  selfSigned ??= new Promise<KeyObject>((resolve, reject) => {
    generateKeyPair('ec', { namedCurve: 'P-256' }, (err, _publicKey, privateKey) =>
      err ? reject(err) : resolve(privateKey),
    );
  }).then((privateKey) => makeCertificate(privateKey, new Date()));
  return selfSigned;
}

/** A certificate for `privateKey`, signed with it, valid from a day before `now`. */
export function makeCertificate(privateKey: KeyObject, now: Date): TlsMaterial {
  // The public half, as SubjectPublicKeyInfo.
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const day = 24 * 60 * 60 * 1000;
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('localhost'))))); // CN=localhost
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serialNumber()),
    ECDSA_WITH_SHA256,
    name,
    seq(time(new Date(now.getTime() - day)), time(new Date(now.getTime() + VALID_DAYS * day))),
    name,
    spki,
    tlv(
      0xa3,
      seq(
        extension('2.5.29.19', seq()), // basicConstraints: not a CA
        extension('2.5.29.15', tlv(0x03, Buffer.from([0x07, 0x80])), true), // keyUsage: digitalSignature
        extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
        extension(
          '2.5.29.17', // subjectAltName
          seq(
            tlv(0x82, Buffer.from('localhost')),
            tlv(0x87, Buffer.from([127, 0, 0, 1])),
            tlv(0x87, Buffer.from([...Array<number>(15).fill(0), 1])),
          ),
        ),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

// --- DER, as much of it as one certificate needs ---

/** A tag, a length and a value. */
function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), value]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** A non-negative INTEGER from big-endian bytes. */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime (years before 2050, as RFC 5280 asks), to the second. */
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, Buffer.from(`${text}Z`));
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/**
 * 16 random bytes, the first between 0x40 and 0x7f: with the top bit set the INTEGER would need a
 * zero byte in front, and a zero first byte is padding DER forbids (OpenSSL refused 1 in 128 keys).
 */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes;
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
