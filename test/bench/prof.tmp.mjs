import { startChild } from './lib/child.mjs';
import { makeMessage } from './lib/messages.mjs';
import { sendLoad } from './lib/smtp-load.mjs';
import { fork } from 'node:child_process';
const watched = process.argv[2] === 'watched';
const child = await startChild('pigeonhole', { execArgv: ['--expose-gc', '--cpu-prof', '--cpu-prof-dir=/tmp/prof'] });
const msgs = Array.from({ length: 512 }, (_, i) => makeMessage(i, 4096));
let w = null;
if (watched) {
  w = fork(new URL('./servers/watcher.mjs', import.meta.url), [`${child.httpUrl.replace(/^http/, 'ws')}/api/events`, child.httpUrl]);
  await new Promise((r) => w.once('message', r));
}
for (let r = 0; r < 3; r++) {
  const res = await sendLoad({ port: child.smtpPort, connections: 16, count: 16000, message: (i) => msgs[i % 512] });
  console.log('rate', Math.round(res.rate));
  await child.settle();
  await child.clear();
}
if (w) { w.send({ type: 'close' }); await new Promise((r) => w.once('message', r)); }
await child.stop();
