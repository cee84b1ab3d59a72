/**
 * Deterministic test mail for the benchmark: realistic transactional messages (multipart/alternative,
 * text and HTML from a vocabulary of made-up words), so that compression, search and parsing see
 * text of a normal entropy rather than a repeated byte.
 */

/** A small seeded PRNG (mulberry32), so every run sends the same mail. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES =
  'ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'.split(
    ' ',
  );

/** `size` distinct made-up words of one to `maxSyllables` syllables. */
function vocabulary(size = 3000, seed = 7, maxSyllables = 3.2) {
  const rand = prng(seed);
  const words = new Set();
  while (words.size < size) {
    const n = 1 + Math.floor(rand() * maxSyllables);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}
const WORDS = vocabulary();
/** 8,000 words for realistic text. */
const REAL_WORDS = vocabulary(8000, 11, 4);

/**
 * The kinds of body text: `filler`, the bench's first kind (3,000 words, heavily skewed, so that a
 * 4 KiB body repeats a few hundred of them), and `realistic`: 8,000 words, a different draw in every
 * message, so that a body index and compression cost what they cost on real mail. The draw is
 * uniform, the hardest case: natural text follows Zipf's law, repeats its common words more, and
 * costs less of both.
 */
export const TEXT_KINDS = ['realistic', 'filler'];

function pickWord(rand, kind) {
  if (kind === 'filler') return WORDS[Math.floor(WORDS.length * rand() ** 2.5)];
  return REAL_WORDS[Math.floor(REAL_WORDS.length * rand())];
}

function sentence(rand, kind = 'filler') {
  const n = 6 + Math.floor(rand() * 10);
  const out = [];
  for (let i = 0; i < n; i++) out.push(pickWord(rand, kind));
  const s = out.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

/** The words a search for a body word looks for: one in every 1,000 messages carries it. */
export const RARE_WORD = 'quokkaberry';
/** Recipients cycle over this many addresses. */
export const RECIPIENTS = 500;

/**
 * One message of about `size` bytes (CRLF line ends, already dot-safe: no line starts with a dot),
 * numbered `n`, with body text of `kind` (see {@link TEXT_KINDS}). Recipient
 * `user{n % 500}@example.test`, subject `Order {n} ...`.
 */
export function makeMessage(n, size, kind = 'filler') {
  const rand = prng(n + 1);
  const boundary = `=_bench_${n.toString(36)}`;
  const to = `user${n % RECIPIENTS}@example.test`;
  const subject = `Order ${n} confirmation: ${sentence(rand).slice(0, 40)}`;
  const head = [
    `From: "Shop Robot" <robot@shop.example.test>`,
    `To: "User ${n % RECIPIENTS}" <${to}>`,
    `Subject: ${subject}`,
    `Date: ${new Date(Date.UTC(2026, 0, 1) + n * 1000).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench.${n}@shop.example.test>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
  ].join('\r\n');
  // Split the remaining budget about 40/60 between text and HTML, as real alternatives are.
  const budget = Math.max(200, size - head.length - 200);
  const text = [];
  let textLen = 0;
  while (textLen < budget * 0.4) {
    const line = sentence(rand, kind);
    text.push(line);
    textLen += line.length + 2;
  }
  // At the end of the text, out of the snippet: a search must read the body to find it.
  if (n % 1000 === 0) text.push(`Your ${RARE_WORD} is ready.`);
  const html = [];
  let htmlLen = 0;
  const htmlHead = '<html><body><table width="100%"><tr><td>';
  const htmlTail = '</td></tr></table></body></html>';
  while (htmlLen < size - head.length - textLen - 200) {
    const line = `<p style="margin:0 0 8px 0">${sentence(rand, kind)}</p>`;
    html.push(line);
    htmlLen += line.length + 2;
  }
  const body = [
    ...text,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    htmlHead,
    ...html,
    htmlTail,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { to, subject, raw: Buffer.from(`${head}\r\n${body}`) };
}

/**
 * One large message of about `size` bytes: a short text part and one base64 attachment, the usual
 * shape of a big mail (a PDF or an image).
 */
export function makeLargeMessage(size) {
  const rand = prng(99);
  const attachmentBytes = Math.floor((size - 2000) * 0.74);
  const bin = Buffer.alloc(attachmentBytes);
  for (let i = 0; i < bin.length; i += 4) bin.writeUInt32LE((rand() * 0x100000000) >>> 0, Math.min(i, bin.length - 4));
  const b64 = bin.toString('base64').replace(/.{76}/g, '$&\r\n');
  const boundary = '=_bench_large';
  const raw = [
    'From: "Shop Robot" <robot@shop.example.test>',
    'To: <big@example.test>',
    'Subject: Your 10 MB report',
    'Message-ID: <bench.large@shop.example.test>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The report is attached.',
    `--${boundary}`,
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Disposition: attachment; filename="report.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { to: 'big@example.test', subject: 'Your 10 MB report', raw: Buffer.from(raw) };
}
