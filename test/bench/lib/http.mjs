import http from 'node:http';
import { performance } from 'node:perf_hooks';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** GET over a keep-alive agent; resolves with status, body bytes and the time taken in ms. */
export function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: performance.now() - started }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** GET a JSON document; rejects on a status other than 200. */
export async function getJson(url) {
  const res = await get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body.toString().slice(0, 200)}`);
  return JSON.parse(res.body.toString());
}

/** GET bytes; rejects on a status other than 200. */
export async function getBytes(url) {
  const res = await get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return res.body;
}
