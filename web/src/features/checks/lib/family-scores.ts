import type { HtmlCheck, HtmlCheckWarning } from '@pigeonhole/shared/schemas/checks';

/** One client family's score: the check's own formula, over that family's results alone. */
export interface FamilyScore {
  family: string;
  name: string;
  supported: number;
  partial: number;
  unsupported: number;
}

/** The families shown first, in this order (the clients most mail is read in); the rest follow by name. */
const FIRST = ['gmail', 'outlook', 'apple-mail', 'yahoo', 'samsung-email', 'thunderbird'];

/**
 * Per family, as the server scores the whole message (Mailpit's rule): the worst single warning's
 * share of unsupported and of partial results, weighted by how much of the message uses it.
 */
export function familyScores(check: HtmlCheck): FamilyScore[] {
  const nodes = Math.max(1, check.Total.Nodes);
  const weight = (w: HtmlCheckWarning): number => Math.min(1, w.Score.Found / nodes);
  const families = new Set(check.Warnings.flatMap((w) => w.Results.map((r) => r.Family)));
  for (const family of FIRST) if (check.Data.Families[family]) families.add(family);
  const scores = [...families].map((family) => {
    let partial = 0;
    let unsupported = 0;
    for (const w of check.Warnings) {
      const mine = w.Results.filter((r) => r.Family === family);
      if (mine.length === 0) continue;
      const share = (support: string): number => (mine.filter((r) => r.Support === support).length / mine.length) * 100;
      partial = Math.max(partial, share('partial') * weight(w));
      unsupported = Math.max(unsupported, share('no') * weight(w));
    }
    const name = check.Data.Families[family] ?? family;
    return { family, name, partial, unsupported, supported: Math.max(0, 100 - partial - unsupported) };
  });
  const rank = (f: string): number => (FIRST.includes(f) ? FIRST.indexOf(f) : FIRST.length);
  return scores.sort((a, b) => rank(a.family) - rank(b.family) || a.name.localeCompare(b.name));
}

/** The client names (family and platform, versions folded) that do not, or only partly, support a feature. */
export function clientsWith(w: HtmlCheckWarning, support: 'no' | 'partial'): string[] {
  return [...new Set(w.Results.filter((r) => r.Support === support).map((r) => r.Name.replace(/ \([^)]*\)$/, '')))];
}
