const { startPigeonhole } = await import('./dist/index.js');
const p = await startPigeonhole({ logLevel: 'warn', max: 0, maxBytes: 0 });
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise(r => setTimeout(r, 50)); }
const u = process.memoryUsage();
console.log(process.argv[2] ?? '', 'rss', (u.rss/1048576).toFixed(1), 'heapUsed', (u.heapUsed/1048576).toFixed(1));
await p.stop();
