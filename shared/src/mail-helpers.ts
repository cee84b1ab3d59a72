import { Parser } from 'htmlparser2';
import LinkifyIt from 'linkify-it';

/** What the helpers read from a message: Mailpit's full `Message` (or anything with its fields). */
export interface MailContent {
  ID?: string;
  Subject?: string;
  HTML?: string;
  Text?: string;
}

let linkifier: LinkifyIt | undefined;

/**
 * Made on first use: constructing LinkifyIt compiles regular expressions of about 40 KB of source
 * each, and every process that imports the package (a Pigeonhole started in-process by a test) paid
 * for them at startup, used or not.
 */
function linkify(): LinkifyIt {
  // Only links written with a scheme (https://, mailto:); bare words like "example.com" in prose
  // are not links a test wants to follow.
  return (linkifier ??= new LinkifyIt({}, { fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false }));
}

function linksInText(text: string): string[] {
  return (linkify().match(text) ?? []).map((m) => m.url);
}

/** Elements whose text is not shown to the reader. */
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template']);

/** Walks HTML once: `href`s of links and areas, and the visible text. */
function readHtml(html: string): { hrefs: string[]; text: string } {
  const hrefs: string[] = [];
  const text: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (HIDDEN.has(name)) hidden++;
        if ((name === 'a' || name === 'area') && attributes.href) hrefs.push(attributes.href.trim());
        // Block elements separate words, so "Code:</td><td>123456" does not glue into one token.
        text.push(' ');
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        text.push(' ');
      },
      ontext(data) {
        if (hidden === 0) text.push(data);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { hrefs, text: text.join('') };
}

/** An absolute URL (a scheme and something after it); relative links and `#` anchors are left out. */
function isAbsolute(href: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href) || /^javascript:/i.test(href)) return false;
  try {
    new URL(href);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every link in a message, deduplicated, in the order they appear: the `href` of each `<a>` and
 * `<area>` in the HTML, URLs written in the HTML's text, then URLs in the plain text. Entities are
 * decoded (`&amp;` becomes `&`); relative links, `#` anchors and `javascript:` are left out.
 *
 *     const [confirm] = links(message).filter((l) => l.includes('/confirm'));
 */
export function links(message: MailContent): string[] {
  const found: string[] = [];
  if (message.HTML) {
    const { hrefs, text } = readHtml(message.HTML);
    found.push(...hrefs.filter(isAbsolute), ...linksInText(text));
  }
  if (message.Text) found.push(...linksInText(message.Text));
  return [...new Set(found)];
}

/** Options of {@link code}. */
export interface CodeOptions {
  /** How many digits the code has. Default 6. */
  digits?: number;
  /** A pattern of your own instead; its first capture group (or the whole match) is the code. */
  pattern?: RegExp;
}

// A code is usually introduced by one of these words; when several numbers fit, the one closest
// after such a word wins (a 6-digit order number before the code must not be taken for it).
const KEYWORD = /code|otp|pin|passcode|password|verif|token|one[- ]time|security|confirm|login|sign[- ]in/gi;

function candidates(text: string, options: CodeOptions): { value: string; index: number }[] {
  const digits = options.digits ?? 6;
  const pattern = options.pattern
    ? new RegExp(
        options.pattern.source,
        options.pattern.flags.includes('g') ? options.pattern.flags : `${options.pattern.flags}g`,
      )
    : // Not part of a word or a longer number, nor of 1.234567 or 2026-123456 style figures.
      new RegExp(`(?<![\\p{L}\\p{N}_])(?<!\\d[-.,/:])(\\d{${digits}})(?![\\p{L}\\p{N}_])(?![-.,/:]\\d)`, 'gu');
  return [...text.matchAll(pattern)].map((m) => ({ value: m[1] ?? m[0], index: m.index }));
}

function bestIn(text: string, options: CodeOptions): string | undefined {
  // Numbers inside links (tracking IDs, tokens) are not the code the reader is asked to type.
  let cleaned = text;
  for (const m of linkify().match(text) ?? []) cleaned = cleaned.replace(m.raw, ' '.repeat(m.raw.length));
  const found = candidates(cleaned, options);
  if (found.length <= 1) return found[0]?.value;
  const keywords = [...cleaned.matchAll(KEYWORD)].map((k) => k.index + k[0].length);
  let best = found[0];
  let bestDistance = Infinity;
  for (const c of found) {
    const before = keywords.filter((k) => k <= c.index);
    const distance = before.length ? c.index - Math.max(...before) : Infinity;
    if (distance < bestDistance) [best, bestDistance] = [c, distance];
  }
  return best?.value;
}

/**
 * The one-time code in a message: a number of `digits` digits (default 6) that stands alone (not
 * part of a longer number, a word, a date, or a link), looked for in the plain text, then in the
 * HTML's visible text. When several fit, the one closest after a word like "code", "PIN" or
 * "verification" wins. Throws, naming the message, when there is none, so a test says why.
 *
 *     expect(code(message)).toMatch(/^\d{6}$/);
 *     code(message, { digits: 4 });
 */
export function code(message: MailContent, options: CodeOptions = {}): string {
  const sources = [message.Text ?? '', message.HTML ? readHtml(message.HTML).text : ''];
  for (const text of sources) {
    const found = text ? bestIn(text, options) : undefined;
    if (found !== undefined) return found;
  }
  const what = options.pattern ? `code matching ${String(options.pattern)}` : `${options.digits ?? 6}-digit code`;
  const name = `${JSON.stringify(message.Subject ?? '')}${message.ID ? ` (${message.ID})` : ''}`;
  const text = (message.Text || (message.HTML ? readHtml(message.HTML).text : '')).replace(/\s+/g, ' ').trim();
  throw new Error(`no ${what} in message ${name}; its text reads: ${JSON.stringify(text.slice(0, 300))}`);
}

/**
 * The text a reader of this HTML sees: tags gone, entities decoded, `<script>`, `<style>` and
 * `<head>` left out, whitespace collapsed. For agents and logs that want HTML mail as prose.
 */
export function htmlText(html: string): string {
  return readHtml(html)
    .text.replace(/[ \t\r\f\v]*\n[ \t\r\n\f\v]*/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .trim();
}
