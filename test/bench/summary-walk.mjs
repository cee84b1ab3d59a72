/**
 * The summary walk on its own: `summarize()` (server/src/mail/summary.ts, the ingest path's MIME
 * work) over 20,000 varied messages in-process, as CPU nanoseconds per message, the median of 5 runs.
 * Loads the TypeScript source through Vite, so it measures the working tree without a build:
 * `node test/bench/summary-walk.mjs`. A speed claim lives here, never in a test.
 */
import { createServer } from 'vite';
import { makeMessage } from './lib/messages.mjs';

const COUNT = 20_000;
const RUNS = 5;

/** Shapes beside the bench's own multipart/alternative mail: attachments, related, signed, 8-bit. */
function variant(n) {
  const crlf = (lines) => Buffer.from(lines.join('\r\n'), 'latin1');
  switch (n % 5) {
    case 0:
    case 1:
      return makeMessage(n, 4096, n % 2 ? 'realistic' : 'filler').raw;
    case 2:
      return crlf([
        `From: Shop ${n} <shop@example.test>`,
        `To: user${n}@example.test`,
        `Subject: Invoice ${n}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: multipart/related; boundary="r"',
        '',
        '--r',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>Invoice <img src="cid:logo"> number ${n}</p>`,
        '--r',
        'Content-Type: image/png; name="logo.png"',
        'Content-ID: <logo>',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--r--',
        '--b',
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK'.repeat(60),
        '--b--',
        '',
      ]);
    case 3:
      return crlf([
        `From: Signer <s${n}@example.test>`,
        'To: reader@example.test',
        `Subject: Signed ${n}`,
        'Content-Type: multipart/signed; boundary="s"; protocol="application/pgp-signature"',
        '',
        '--s',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Signed body ${n}.`,
        '--s',
        'Content-Type: application/pgp-signature',
        '',
        '-----BEGIN PGP SIGNATURE-----',
        '-----END PGP SIGNATURE-----',
        '--s--',
        '',
      ]);
    default:
      return crlf([
        'From: =?iso-8859-1?Q?J=FCrgen?= <j@example.test>',
        `To: a${n}@example.test, (note), b@example.test`,
        `Subject: =?iso-8859-1?Q?Gr\xfc\xdfe_${n}?=`,
        'Content-Type: text/plain; charset=iso-8859-1',
        '',
        `Gr\xfc\xdfe aus K\xf6ln, Nachricht ${n}.`,
        '',
      ]);
  }
}

const vite = await createServer({
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true },
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
});
try {
  const { summarize } = await vite.ssrLoadModule('/server/src/mail/summary.ts');
  const messages = Array.from({ length: COUNT }, (_, n) => variant(n));
  const envelope = { mailFrom: 'bounce@example.test', rcptTo: ['to@example.test'] };
  // Warm-up: JIT and the lazily loaded libmime.
  for (const raw of messages.slice(0, 2000)) summarize(raw, envelope, '');
  // CPU time of this process, not wall time: the machine is shared, and another process taking the
  // core would otherwise count as our cost. The best run is given beside the median for the same reason.
  const results = [];
  for (let run = 0; run < RUNS; run++) {
    const before = process.cpuUsage();
    for (const raw of messages) summarize(raw, envelope, '');
    const used = process.cpuUsage(before);
    results.push(((used.user + used.system) * 1000) / COUNT);
  }
  results.sort((a, b) => a - b);
  console.log(
    `summarize: ${Math.round(results[RUNS >> 1])} ns/message CPU (median of ${RUNS} runs of ${COUNT}; best ${Math.round(results[0])}; runs ${results.map(Math.round).join(', ')})`,
  );
} finally {
  await vite.close();
}
