/**
 * An open inbox for the ingest bench: a WebSocket client of /api/events in a process of its own, as
 * a browser tab is, counting `new` events. Parsing 16,000 events in the bench's own process took
 * event-loop time from the load generator, which the sink's rounds (no events) did not pay.
 */
import WebSocket from 'ws';

const [url, origin] = process.argv.slice(2);
const ws = new WebSocket(url, { origin });
let seen = 0;
ws.on('message', (data) => {
  if (JSON.parse(data.toString()).Type === 'new') seen++;
});
ws.once('open', () => process.send({ type: 'ready' }));
ws.once('error', (err) => {
  process.send({ type: 'error', message: err.message });
  process.exit(1);
});
process.on('message', async (request) => {
  if (request.type !== 'close') return;
  // The last events may still be in flight.
  await new Promise((resolve) => setTimeout(resolve, 200));
  ws.close();
  process.send({ type: 'seen', seen });
  process.disconnect();
});
