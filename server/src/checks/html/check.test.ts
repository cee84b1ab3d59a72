import { describe, expect, it } from 'vitest';
import { htmlCheck } from './check';
import { caniemailData, type CaniemailFeature } from './data';
import { matcherOf, NOT_IN_HTML } from './features';

/** What caniemail's data says of a feature, counted as the check counts it (unknown left out). */
function expectedScore(feature: CaniemailFeature): { yes: number; no: number; partial: number } {
  const marks = Object.values(feature.stats).flatMap((platforms) =>
    Object.values(platforms).flatMap((versions) => Object.values(versions).map(String)),
  );
  const kinds = marks.map((m) => m.trim().split(/\s+/)[0]).filter((k) => k !== 'u');
  const total = kinds.length;
  const share = (k: string): number => (kinds.filter((x) => x === k).length / total) * 100;
  return { yes: share('y'), no: share('n'), partial: 100 - share('y') - share('n') };
}

const KNOWN = `<!DOCTYPE html>
<html>
<head>
<style>
.row { display: flex; }
.card { border-radius: 8px; }
</style>
</head>
<body>
<div class="row" style="background-image: url('https://example.test/bg.png')">
  <p style="position: absolute; top: 0">Hello</p>
</div>
<svg width="10" height="10"></svg>
</body>
</html>`;

describe('the HTML check (caniemail data)', () => {
  it('has a rule for every feature the data knows, except those no HTML can show', async () => {
    const data = await caniemailData();
    const unmatched = data.data.filter((f) => !NOT_IN_HTML.has(f.slug) && matcherOf(f) === null).map((f) => f.slug);
    expect(unmatched).toEqual([]);
    expect(data.data.length).toBeGreaterThan(250);
  });

  it('finds <style> in head, flexbox, background-image, border-radius, <svg> and position, on their lines, scored as the data says', async () => {
    const data = await caniemailData();
    const check = await htmlCheck(KNOWN);
    const bySlug = new Map(check.Warnings.map((w) => [w.Slug, w]));
    const lines: Record<string, number[]> = {
      'html-style': [4],
      'css-display-flex': [5],
      'css-border-radius': [6],
      'css-background-image': [10],
      'css-position': [11],
      'html-svg': [13],
    };
    for (const [slug, at] of Object.entries(lines)) {
      const warning = bySlug.get(slug);
      expect(warning, slug).toBeDefined();
      expect(warning!.Lines, slug).toEqual(at);
      const feature = data.data.find((f) => f.slug === slug)!;
      const want = expectedScore(feature);
      expect(warning!.Score.Supported, slug).toBeCloseTo(want.yes, 5);
      expect(warning!.Score.Unsupported, slug).toBeCloseTo(want.no, 5);
      expect(warning!.Score.Partial, slug).toBeCloseTo(want.partial, 5);
      expect(warning!.URL).toBe(feature.url);
      // Every tested client is listed, e.g. Outlook on Windows for flexbox.
      expect(warning!.Results.length).toBeGreaterThan(10);
    }
    // Outlook for Windows does not support flexbox, per caniemail.
    const flex = bySlug.get('css-display-flex')!;
    expect(flex.Results.some((r) => r.Family === 'outlook' && r.Platform === 'windows' && r.Support === 'no')).toBe(
      true,
    );
    // Things the message does not use are not warned about.
    expect(bySlug.has('css-display-grid')).toBe(false);
    expect(bySlug.has('html-table')).toBe(false);
    // style, body, div, p, svg: Mailpit counts every element but html, head and meta.
    expect(check.Total.Nodes).toBe(5);
    expect(check.Total.Tests).toBe(data.data.length - NOT_IN_HTML.size);
    expect(check.Total.Supported + check.Total.Partial + check.Total.Unsupported).toBeCloseTo(100, 5);
    expect(check.Data.Source).toMatch(/^caniemail@\d+\.\d+\.\d+$/);
    expect(Object.keys(check.Platforms)).toEqual(expect.arrayContaining(['windows', 'ios', 'android']));
  });

  it('does not see features inside strings or attribute selectors, and survives broken CSS', async () => {
    const check = await htmlCheck('<style>[title=":hover"] { color: red } .x { color: </style><p>x</p>');
    const slugs = check.Warnings.map((w) => w.Slug);
    expect(slugs).not.toContain('css-pseudo-class-hover');
    expect(slugs).toContain('html-style');
  });
});
