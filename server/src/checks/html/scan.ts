// What a message's HTML uses, with the source line of each use: elements and attributes, comments,
// doctypes, and the CSS of `<style>` elements and `style` attributes (parsed with postcss). The
// HTML check matches caniemail's features against these facts (features.ts).
import { DomUtils, parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import postcss, { type ChildNode as CssNode, type Root } from 'postcss';

export interface ElementFact {
  name: string;
  attributes: Map<string, string>;
  line: number;
}

export interface CssDeclaration {
  property: string;
  value: string;
  important: boolean;
  line: number;
}

export interface CssSelector {
  /** The selector with strings and attribute brackets' insides removed, so `[title="a:hover"]` says nothing. */
  bare: string;
  attributes: boolean;
  line: number;
}

/** Everything the features are matched against. */
export interface MessageFacts {
  elements: ElementFact[];
  comments: number[];
  doctypes: { text: string; line: number }[];
  declarations: CssDeclaration[];
  selectors: CssSelector[];
  atRules: { name: string; params: string; line: number }[];
  cssComments: number[];
  /** Lines of rules nested in rules (CSS nesting). */
  nestedRules: number[];
  /** Lines of rules with more than one selector (`h1, h2 {}`). */
  groupedRules: number[];
  images: { url: string; line: number }[];
  /** Elements counted as Mailpit counts them: all but html, head and meta. */
  nodes: number;
  /**
   * The same facts by element name, attribute name and CSS property: most features name one of
   * these, and a lookup instead of a scan per feature keeps a 2 MB body's check under a second.
   */
  byElement: Map<string, ElementFact[]>;
  byAttribute: Map<string, ElementFact[]>;
  byProperty: Map<string, CssDeclaration[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Only this much HTML is checked; the rest of a larger body is left out. The check runs on the
 * event loop, and measured here (2 shared cores) a body of 500 KB of table markup takes about
 * 0.6 s, 2 MB about 1.5 s; Gmail clips a message past 102 KB anyway, so 512 KB says all a client would show.
 */
export const MAX_CHECKED_HTML = 512 * 1024;

/** Line numbers of character offsets, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** URLs of `url(...)` in a CSS value. */
function cssUrls(value: string): string[] {
  return [...value.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].map((m) => m[2]!.trim());
}

/** `srcset` candidates' URLs. */
function srcsetUrls(value: string): string[] {
  return value
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function bareSelector(selector: string): { bare: string; attributes: boolean } {
  const noStrings = selector.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const bare = noStrings.replace(/\[[^\]]*\]/g, '[]');
  return { bare, attributes: bare.includes('[') };
}

function parseCss(css: string): Root | null {
  try {
    return postcss.parse(css);
  } catch {
    // Broken CSS: a mail client drops it too; nothing of it is counted.
    return null;
  }
}

/** Adds the facts of one stylesheet (or one `style` attribute's declarations) starting at `firstLine`. */
function addCss(facts: MessageFacts, css: string, firstLine: number, inline: boolean): void {
  const root = parseCss(inline ? `a{${css}}` : css);
  if (!root) return;
  const lineOf = (node: CssNode): number => firstLine + Math.max(0, (node.source?.start?.line ?? 1) - 1);
  const walk = (nodes: CssNode[], depth: number): void => {
    for (const node of nodes) {
      const line = lineOf(node);
      if (node.type === 'comment') facts.cssComments.push(line);
      else if (node.type === 'decl') addDeclaration(facts, node, line);
      else if (node.type === 'atrule') {
        facts.atRules.push({ name: node.name.toLowerCase(), params: node.params, line });
        if (node.nodes) walk(node.nodes, depth);
      } else if (node.type === 'rule') {
        if (!inline) {
          if (depth > 0) facts.nestedRules.push(line);
          const list = node.selectors;
          if (list.length > 1) facts.groupedRules.push(line);
          for (const selector of list) facts.selectors.push({ ...bareSelector(selector), line });
        }
        walk(node.nodes, depth + 1);
      }
    }
  };
  walk(root.nodes, 0);
}

/** The facts of a message's HTML, for the HTML check. */
export function scanHtml(source: string): MessageFacts {
  const html = source.length > MAX_CHECKED_HTML ? source.slice(0, MAX_CHECKED_HTML) : source;
  const lineOf = lineIndex(html);
  const facts: MessageFacts = {
    elements: [],
    comments: [],
    doctypes: [],
    declarations: [],
    selectors: [],
    atRules: [],
    cssComments: [],
    nestedRules: [],
    groupedRules: [],
    images: [],
    nodes: 0,
    byElement: new Map(),
    byAttribute: new Map(),
    byProperty: new Map(),
  };
  const document = parseDocument(html, { withStartIndices: true, lowerCaseAttributeNames: true });
  const styles: { css: string; line: number }[] = [];
  const visit = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      const line = lineOf(node.startIndex ?? 0);
      if (node.type === 'comment') facts.comments.push(line);
      else if (node.type === 'directive') facts.doctypes.push({ text: node.data, line });
      else if (DomUtils.isTag(node)) {
        addElement(facts, node, line, lineOf, styles);
        visit(node.children);
      }
    }
  };
  visit(document.children);
  addInlineStyles(facts, styles);
  for (const element of facts.elements) {
    push(facts.byElement, element.name, element);
    for (const name of element.attributes.keys()) push(facts.byAttribute, name, element);
  }
  for (const declaration of facts.declarations) push(facts.byProperty, declaration.property, declaration);
  return facts;
}

/**
 * Parses every `style` attribute in one postcss run: one parse per attribute costs about 0.2 ms of
 * setup each, most of a large body's check. Each becomes a rule of its own on a line of its own,
 * so the rule's line says whose it was. A value with a brace could end its rule and start another,
 * so those are parsed alone; if the batch does not parse (an unclosed string), each is parsed alone.
 */
function addInlineStyles(facts: MessageFacts, styles: { css: string; line: number }[]): void {
  const alone = styles.filter((s) => /[{}]/.test(s.css));
  const batch = styles.filter((s) => !/[{}]/.test(s.css));
  const root = batch.length > 0 ? parseCss(batch.map((s) => `s{${s.css}}`).join('\n')) : null;
  if (!root || root.nodes.length !== batch.length) alone.push(...batch);
  else {
    root.nodes.forEach((rule, i) => {
      if (rule.type !== 'rule') return;
      const line = batch[i]!.line;
      for (const node of rule.nodes) {
        if (node.type === 'comment') facts.cssComments.push(line);
        else if (node.type === 'decl') addDeclaration(facts, node, line);
      }
    });
  }
  for (const s of alone) addCss(facts, s.css, s.line, true);
}

function addDeclaration(
  facts: MessageFacts,
  node: { prop: string; value: string; important?: boolean | undefined },
  line: number,
): void {
  facts.declarations.push({
    property: node.prop.toLowerCase(),
    value: node.value,
    important: node.important ?? false,
    line,
  });
  for (const url of cssUrls(node.value)) facts.images.push({ url, line });
}

function addElement(
  facts: MessageFacts,
  element: Element,
  line: number,
  lineOf: (offset: number) => number,
  styles: { css: string; line: number }[],
): void {
  const name = element.name.toLowerCase();
  const attributes = new Map(Object.entries(element.attribs));
  facts.elements.push({ name, attributes, line });
  if (name !== 'html' && name !== 'head' && name !== 'meta') facts.nodes++;
  const style = attributes.get('style');
  if (style) styles.push({ css: style, line });
  if (name === 'style') {
    const text = DomUtils.textContent(element);
    const first = element.children[0];
    addCss(facts, text, first ? lineOf(first.startIndex ?? 0) : line, false);
  }
  const src = attributes.get('src');
  if (src && (name === 'img' || name === 'source' || name === 'video')) facts.images.push({ url: src.trim(), line });
  const srcset = attributes.get('srcset');
  if (srcset) for (const url of srcsetUrls(srcset)) facts.images.push({ url, line });
  const background = attributes.get('background');
  if (background) facts.images.push({ url: background.trim(), line });
}
