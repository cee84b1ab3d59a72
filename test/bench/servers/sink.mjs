/**
 * The baseline: a bare smtp-server sink that keeps only the bytes of each message (one Buffer per
 * message, in an array). Run as a child process of the bench; it talks to the parent over IPC.
 */
import { createRequire } from 'node:module';
import { serve } from './ipc.mjs';

// smtp-server is the server package's dependency: resolve it from there, as Pigeonhole does.
const require = createRequire(new URL('../../../server/package.json', import.meta.url));
const { SMTPServer } = require('smtp-server');

let kept = [];
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disableReverseLookup: true,
  size: 50 * 1024 * 1024,
  maxClients: 200,
  logger: false,
  onData(stream, _session, callback) {
    const chunks = [];
    let length = 0;
    stream.on('data', (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    stream.on('end', () => {
      const raw = Buffer.concat(chunks, length);
      kept.push(raw);
      bytes += raw.length;
      callback(null, `Ok: kept ${kept.length}`);
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  serve({
    ready: { smtpPort: server.server.address().port },
    count: () => kept.length,
    bytes: () => bytes,
    clear() {
      kept = [];
      bytes = 0;
    },
  });
});
