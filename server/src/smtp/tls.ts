import { generate } from 'selfsigned';

/** A PEM certificate and its key. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

let selfSigned: Promise<TlsMaterial> | undefined;

/**
 * A self-signed certificate for localhost, made once per process: an EC P-256 key takes a few
 * milliseconds where RSA 2048 takes hundreds, and every in-process instance can share it.
 */
export function selfSignedCertificate(): Promise<TlsMaterial> {
  selfSigned ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return selfSigned;
}
