// What in a message counts as using each caniemail feature. Every feature of the data is matched:
// most by rules read from its slug and title (`<table> element`, `align attribute`, `display:flex`,
// `em unit`, `clamp()`, `:hover`), the rest by the table below. `features.test.ts` fails when the
// data gains a feature no rule matches, so a data update cannot silently check less.
import type { CaniemailFeature } from './data';
import type { CssDeclaration, CssSelector, MessageFacts } from './scan';

/** The source lines where a message uses a feature (one entry per use). */
export type Matcher = (facts: MessageFacts) => number[];

/** Features that nothing in a message's HTML can show (BIMI is DNS and headers). */
export const NOT_IN_HTML: ReadonlySet<string> = new Set(['bimi']);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The facts of a map under these keys, each fact once, in source order. */
function under<T extends { line: number }>(map: Map<string, T[]>, names: string[]): T[] {
  const found = new Set<T>();
  for (const name of names) for (const fact of map.get(name) ?? []) found.add(fact);
  return [...found].sort((a, b) => a.line - b.line);
}

function elements(...names: string[]): Matcher {
  return (facts) => under(facts.byElement, names).map((e) => e.line);
}

function elementWith(name: string, attribute: string, value: RegExp): Matcher {
  return (facts) =>
    (facts.byElement.get(name) ?? [])
      .filter((e) => value.test(e.attributes.get(attribute) ?? '\u0000'))
      .map((e) => e.line);
}

function attributes(...names: string[]): Matcher {
  return (facts) => under(facts.byAttribute, names).map((e) => e.line);
}

function declarations(test: (d: CssDeclaration) => boolean): Matcher {
  return (facts) => facts.declarations.filter(test).map((d) => d.line);
}

function properties(...names: string[]): Matcher {
  return (facts) => under(facts.byProperty, names).map((d) => d.line);
}

function propertyPrefix(prefix: string): Matcher {
  return declarations((d) => d.property.startsWith(prefix));
}

/** A value matching `re`, of any property or (faster) of the one named. */
function valueMatches(re: RegExp, property?: string | RegExp): Matcher {
  if (typeof property === 'string')
    return (facts) => (facts.byProperty.get(property) ?? []).filter((d) => re.test(d.value)).map((d) => d.line);
  return declarations((d) => re.test(d.value) && (!property || property.test(d.property)));
}

/** A function in a value: `clamp(`, `rgb(` (not `rgba(`). */
function functions(...names: string[]): Matcher {
  return valueMatches(new RegExp(`(?<![\\w-])(${names.map(escape).join('|')})\\(`, 'i'));
}

function selectors(test: (s: CssSelector) => boolean): Matcher {
  return (facts) => facts.selectors.filter(test).map((s) => s.line);
}

/** A pseudo-class or pseudo-element in a selector, outside strings and attribute brackets. */
function pseudo(name: string, element: boolean): Matcher {
  const colons =
    element && ['after', 'before', 'first-letter', 'first-line'].includes(name) ? '::?' : element ? '::' : '(?<!:):';
  const re = new RegExp(`${colons}${escape(name)}(?![\\w-])`, 'i');
  return selectors((s) => re.test(s.bare));
}

function atRules(name: string, params?: RegExp): Matcher {
  return (facts) =>
    facts.atRules.filter((r) => r.name === name && (!params || params.test(r.params))).map((r) => r.line);
}

function images(re: RegExp): Matcher {
  return (facts) => facts.images.filter((i) => re.test(i.url)).map((i) => i.line);
}

/** A URL path's extension, before any query or fragment. */
const extension = (...names: string[]): RegExp => new RegExp(`^(?!data:)[^?#]*\\.(${names.join('|')})([?#]|$)`, 'i');

/** The compound parts of a selector: `div.a > p` is `div.a`, `p`. */
const compounds = (bare: string): string[] => bare.split(/\s*[>+~]\s*|\s+/).filter(Boolean);

/** Features whose slug and title say too little for the rules; by slug. */
const SPECIAL: Record<string, Matcher> = {
  amp: (facts) =>
    facts.elements
      .filter((e) => e.name === 'html' && (e.attributes.has('⚡4email') || e.attributes.has('amp4email')))
      .map((e) => e.line),
  'html-address': elements('address'),
  'html-anchor-links': elementWith('a', 'href', /^\s*#/),
  'html-base': elements('base'),
  'html-body': elements('body'),
  'html-comments': (facts) => facts.comments,
  'html-doctype': (facts) => facts.doctypes.filter((d) => /^!doctype\s+html\s*$/i.test(d.text)).map((d) => d.line),
  'html-h1-h6': elements('h1', 'h2', 'h3', 'h4', 'h5', 'h6'),
  'html-image-maps': (facts) =>
    facts.elements
      .filter((e) => e.name === 'map' || e.name === 'area' || e.attributes.has('usemap'))
      .map((e) => e.line),
  'html-lists': elements('ul', 'ol', 'dl'),
  'html-mailto-links': elementWith('a', 'href', /^\s*mailto:/i),
  'html-meta-color-scheme': (facts) =>
    facts.elements
      .filter((e) => e.name === 'meta' && /^(supported-)?color-scheme$/i.test(e.attributes.get('name') ?? ''))
      .map((e) => e.line),
  'html-semantics': elements(
    'article',
    'aside',
    'details',
    'figcaption',
    'figure',
    'footer',
    'header',
    'main',
    'mark',
    'nav',
    'section',
    'summary',
    'time',
  ),
  'html-srcset': attributes('srcset', 'sizes'),
  'html-svg': elements('svg'),
  'css-inert-attribute': attributes('inert'),
  'css-comments': (facts) => facts.cssComments,
  'css-important': declarations((d) => d.important),
  'css-variables': declarations((d) => d.property.startsWith('--') || /(?<![\w-])var\(/i.test(d.value)),
  'css-nesting': (facts) => [
    ...facts.nestedRules,
    ...facts.selectors.filter((s) => s.bare.includes('&')).map((s) => s.line),
  ],
  'css-sytem-ui': valueMatches(
    /(?<![\w-])(system-ui|ui-serif|ui-sans-serif|ui-rounded|ui-monospace)(?![\w-])/i,
    /^font(-family)?$/,
  ),
  'css-intrinsic-size': valueMatches(/(?<![\w-])(fit-content|min-content|max-content)(?![\w-])/i),
  'css-modern-color': functions('lch', 'oklch', 'lab', 'oklab'),
  'css-unit-calc': functions('calc'),
  'css-unit-initial': valueMatches(/^\s*initial\s*$/i),
  'css-unit-percent': valueMatches(/(?<![\w#-])\d*\.?\d+%/),
  'css-display-flex': valueMatches(/^\s*(inline-)?flex\b/i, 'display'),
  'css-border-inline-block': properties('border-inline', 'border-block'),
  'css-border-inline-block-longhand': properties(
    ...['inline', 'block'].flatMap((axis) => ['width', 'style', 'color'].map((p) => `border-${axis}-${p}`)),
  ),
  'css-border-inline-block-individual': declarations((d) =>
    /^border-(inline|block)-(start|end)(-(width|style|color))?$/.test(d.property),
  ),
  'css-border-radius-logical': declarations((d) => /^border-(start|end)-(start|end)-radius$/.test(d.property)),
  'css-column-layout-properties': declarations(
    (d) =>
      d.property === 'columns' ||
      (d.property.startsWith('column-') && d.property !== 'column-count' && d.property !== 'column-gap'),
  ),
  'css-grid-template': propertyPrefix('grid-template'),
  'css-scroll-snap': propertyPrefix('scroll-snap'),
  'css-selector-adjacent-sibling': selectors((s) => /[^+\s]\s*\+\s*[^\s]/.test(s.bare)),
  'css-selector-attribute': selectors((s) => s.attributes),
  'css-selector-chaining': selectors((s) =>
    compounds(s.bare).some((c) => (c.match(/(^[a-z*][\w-]*|[.#:][\w-]+|\[)/gi) ?? []).length > 1),
  ),
  'css-selector-child': selectors((s) => s.bare.includes('>')),
  'css-selector-class': selectors((s) => /\.[\w-]/.test(s.bare)),
  'css-selector-descendant': selectors((s) => /[\w\])*]\s+(?![>+~\s])[\w.#:[*]/.test(s.bare.trim())),
  'css-selector-general-sibling': selectors((s) => s.bare.includes('~')),
  'css-selector-grouping': (facts) => facts.groupedRules,
  'css-selector-id': selectors((s) => /#[\w-]/.test(s.bare)),
  'css-selector-type': selectors((s) => compounds(s.bare).some((c) => /^[a-z][\w-]*/i.test(c))),
  'css-selector-universal': selectors((s) => s.bare.includes('*')),
  'css-at-media-device-pixel-ratio': atRules('media', /device-pixel-ratio/i),
  'css-at-media-hover': atRules('media', /\((any-)?hover\b/i),
  'css-at-media-orientation': atRules('media', /\borientation\b/i),
  'css-at-media-prefers-color-scheme': atRules('media', /prefers-color-scheme/i),
  'css-at-media-prefers-reduced-motion': atRules('media', /prefers-reduced-motion/i),
  'image-base64': images(/^data:image\/[\w.+-]+;base64,/i),
  'image-jpg': images(extension('jpe?g')),
  'image-heif': images(extension('heif', 'heic')),
  'image-tiff': images(extension('tiff?')),
  'image-svg': images(extension('svg')),
  'image-mp4': images(extension('mp4')),
};

/** The matcher a feature's slug and title imply, or null when they imply none. */
function derived(feature: CaniemailFeature): Matcher | null {
  const { slug, title } = feature;
  const text = title.trim();
  if (slug.startsWith('css-pseudo-class-')) return pseudo(slug.slice('css-pseudo-class-'.length), false);
  if (slug.startsWith('css-pseudo-element-')) return pseudo(slug.slice('css-pseudo-element-'.length), true);
  if (slug.startsWith('image-')) return images(extension(slug.slice('image-'.length)));
  let m = /^<([a-z][a-z0-9]*)> element$/i.exec(text) ?? /^<([a-z][a-z0-9]*)>$/i.exec(text);
  if (m) return elements(m[1]!.toLowerCase());
  m = /^<([a-z]+) type="([a-z]+)"> element$/i.exec(text);
  if (m) return elementWith(m[1]!.toLowerCase(), 'type', new RegExp(`^\\s*${m[2]}\\s*$`, 'i'));
  m = /^([a-z-]+) attribute$/i.exec(text);
  if (m) return attributes(m[1]!.toLowerCase());
  if (slug.startsWith('css-at-')) {
    const name = slug.slice('css-at-'.length);
    return atRules(name);
  }
  const unit = /^css-unit-([a-z]+)$/.exec(slug);
  if (unit) return valueMatches(new RegExp(`(?<![\\w#-])[-+]?\\d*\\.?\\d+${unit[1]}(?![\\w%-])`, 'i'));
  const calls = [...text.matchAll(/([a-z-]+)\(\)/gi)].map((c) => c[1]!.toLowerCase());
  if (calls.length > 0) return functions(...calls);
  m = /^([a-z-]+)\s*:\s*([a-z-]+)$/i.exec(text);
  if (m) {
    const value = new RegExp(`(?<![\\w-])${escape(m[2]!)}(?![\\w-])`, 'i');
    return valueMatches(value, m[1]!.toLowerCase());
  }
  // `height property`, `color-scheme CSS property`, `font shorthand`, `gap, column-gap, row-gap`,
  // `block-size & inline-size`.
  const names = text
    .replace(/\s+(CSS property|property|shorthand)$/i, '')
    .split(/\s*(?:,|&)\s*/)
    .map((n) => n.trim().toLowerCase());
  if (slug.startsWith('css-') && names.every((n) => /^[a-z-]+$/.test(n))) return properties(...names);
  return null;
}

/** The matcher of a feature, or null when the message HTML can never use it (see NOT_IN_HTML). */
export function matcherOf(feature: CaniemailFeature): Matcher | null {
  if (NOT_IN_HTML.has(feature.slug)) return null;
  return SPECIAL[feature.slug] ?? derived(feature);
}
