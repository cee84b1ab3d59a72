// Mailpit's HTML compatibility check (`/api/v1/message/{ID}/html-check`) over caniemail's data: the
// features the message uses, each with every tested client's support, and a total score weighted
// the way Mailpit weighs it.
import type { HtmlCheck, HtmlCheckResult, HtmlCheckWarning } from '@pigeonhole/shared/schemas/checks';
import { caniemailData, DATA_SOURCE, type CaniemailData, type CaniemailFeature } from './data';
import { matcherOf, type Matcher } from './features';
import { scanHtml } from './scan';

/** Lines kept per warning: enough to find each use, bounded for a mail that uses a feature 10,000 times. */
const MAX_LINES = 50;

interface Prepared {
  data: CaniemailData;
  features: { feature: CaniemailFeature; match: Matcher }[];
  platforms: Record<string, string[]>;
}

let prepared: Promise<Prepared> | null = null;

/** Mailpit's `Platforms`: each platform key to the sorted names of the families tested on it. */
function platformsOf(data: CaniemailData): Record<string, string[]> {
  const byPlatform = new Map<string, Set<string>>();
  for (const feature of data.data) {
    for (const [family, platforms] of Object.entries(feature.stats)) {
      for (const platform of Object.keys(platforms)) {
        const set = byPlatform.get(platform) ?? new Set<string>();
        set.add(data.nicenames.family[family] ?? family);
        byPlatform.set(platform, set);
      }
    }
  }
  return Object.fromEntries([...byPlatform].map(([platform, families]) => [platform, [...families].sort()]));
}

function prepare(): Promise<Prepared> {
  prepared ??= caniemailData().then((data) => ({
    data,
    platforms: platformsOf(data),
    features: data.data.flatMap((feature) => {
      const match = matcherOf(feature);
      return match ? [{ feature, match }] : [];
    }),
  }));
  return prepared;
}

/**
 * One client's support from caniemail's mark: `y` yes, `n` no, `a` (and Mailpit's catch-all) partial,
 * with the note number of `a #2`. Unknown (`u`) is no result at all: nothing was tested.
 */
function resultOf(
  data: CaniemailData,
  family: string,
  platform: string,
  version: string,
  mark: string,
): HtmlCheckResult | null {
  const [kind] = mark.trim().split(/\s+/);
  if (kind === 'u') return null;
  const support = kind === 'y' ? 'yes' : kind === 'n' ? 'no' : 'partial';
  const note = / #(\d+)/.exec(mark);
  return {
    Name: `${data.nicenames.family[family] ?? family} ${data.nicenames.platform[platform] ?? platform} (${version})`,
    Family: family,
    Platform: platform,
    Version: version,
    Support: support,
    NoteNumber: support === 'partial' && note ? note[1]! : '',
  };
}

function warningOf(data: CaniemailData, feature: CaniemailFeature, lines: number[]): HtmlCheckWarning {
  const results: HtmlCheckResult[] = [];
  for (const [family, platforms] of Object.entries(feature.stats)) {
    for (const [platform, versions] of Object.entries(platforms)) {
      for (const [version, mark] of Object.entries(versions)) {
        const result = resultOf(data, family, platform, version, String(mark));
        if (result) results.push(result);
      }
    }
  }
  const count = (support: string): number => results.filter((r) => r.Support === support).length;
  const total = results.length || 1;
  return {
    Slug: feature.slug,
    Title: feature.title,
    Category: feature.category,
    Keywords: feature.keywords ?? '',
    Description: feature.description ?? '',
    Tags: feature.tags,
    URL: feature.url,
    NotesByNumber: feature.notes_by_num ?? {},
    Score: {
      Found: lines.length,
      Supported: (count('yes') / total) * 100,
      Partial: (count('partial') / total) * 100,
      Unsupported: (count('no') / total) * 100,
    },
    Results: results,
    Lines: [...new Set(lines)].sort((a, b) => a - b).slice(0, MAX_LINES),
  };
}

/**
 * How much of a message a warning weighs, as Mailpit weighs it: its share of clients times the share
 * of the message's elements that use it (capped at all of them, which Mailpit does not do).
 */
function weight(share: number, found: number, nodes: number): number {
  return share * Math.min(1, found / Math.max(1, nodes));
}

/** The HTML check of one HTML body. */
export async function htmlCheck(html: string): Promise<HtmlCheck> {
  const { data, features, platforms } = await prepare();
  const facts = scanHtml(html);
  const warnings: HtmlCheckWarning[] = [];
  for (const { feature, match } of features) {
    const lines = match(facts);
    if (lines.length > 0) warnings.push(warningOf(data, feature, lines));
  }
  const nodes = facts.nodes;
  // The total is the worst single warning, not a sum: Mailpit's rule, so that one feature used
  // everywhere counts more than many used once.
  let partial = 0;
  let unsupported = 0;
  for (const w of warnings) {
    partial = Math.max(partial, weight(w.Score.Partial, w.Score.Found, nodes));
    unsupported = Math.max(unsupported, weight(w.Score.Unsupported, w.Score.Found, nodes));
  }
  const badness = (w: HtmlCheckWarning): number => weight(w.Score.Unsupported + w.Score.Partial, w.Score.Found, nodes);
  warnings.sort((a, b) => badness(b) - badness(a) || a.Slug.localeCompare(b.Slug));
  return {
    Platforms: platforms,
    Total: {
      Nodes: nodes,
      Tests: features.length,
      Supported: Math.max(0, 100 - partial - unsupported),
      Partial: partial,
      Unsupported: unsupported,
    },
    Warnings: warnings,
    Data: {
      Source: DATA_SOURCE,
      APIVersion: data.api_version,
      Updated: data.last_update_date,
      Families: data.nicenames.family,
    },
  };
}
