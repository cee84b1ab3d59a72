import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A PEM certificate and its key. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/** What the worker is asked to make: a certificate for localhost, 127.0.0.1 and ::1. */
const REQUEST = {
  attributes: [{ name: 'commonName', value: 'localhost' }],
  options: {
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
  },
};

/** Runs in the worker: loads selfsigned, makes the certificate, posts the PEMs back. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.module)
  .generate(workerData.attributes, workerData.options)
  .then((pems) => parentPort.postMessage({ cert: pems.cert, key: pems.private }));
`;

let selfSigned: Promise<TlsMaterial> | undefined;

/**
 * A self-signed certificate for localhost, made once per process: an EC P-256 key takes a few
 * milliseconds where RSA 2048 takes hundreds, and every in-process instance can share it.
 *
 * Made in a worker thread: selfsigned brings an X.509 and ASN.1 stack (about 700 KB of JavaScript)
 * that is needed for this one call, and loaded in the main thread it stayed there for good (2.6 MB of
 * heap, 5 MB resident). The worker's memory goes when it exits.
 */
export function selfSignedCertificate(): Promise<TlsMaterial> {
  selfSigned ??= new Promise<TlsMaterial>((resolve, reject) => {
    const module = createRequire(import.meta.url).resolve('selfsigned');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, ...REQUEST } });
    worker.once('message', (pems: TlsMaterial) => {
      resolve(pems);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`certificate worker exited with code ${code}`)));
  });
  return selfSigned;
}
