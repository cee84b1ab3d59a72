// The text `pigeonhole check` prints for the HTML, link and spam checks: one summary line each,
// then what is wrong, worst first.
import type { HtmlCheck, LinkCheck, SpamCheck } from '@pigeonhole/shared/schemas/checks';

const pct = (n: number): string => `${n.toFixed(1)}%`;

/** Client families (by caniemail name) that do not, or only partly, support a warning's feature. */
function families(check: HtmlCheck['Warnings'][number], support: 'no' | 'partial'): string[] {
  const names = check.Results.filter((r) => r.Support === support).map((r) => r.Name.replace(/ \([^)]*\)$/, ''));
  return [...new Set(names)];
}

/** The HTML check: the score, then each feature some client lacks, with lines and clients. */
export function describeHtmlCheck(check: HtmlCheck): string[] {
  const { Total } = check;
  const lines = [
    `HTML   ${pct(Total.Supported)} supported, ${pct(Total.Partial)} partial, ${pct(Total.Unsupported)} not ` +
      `(${Total.Nodes} elements, ${Total.Tests} features, ${check.Data.Source})`,
  ];
  for (const w of check.Warnings) {
    if (w.Score.Unsupported === 0 && w.Score.Partial === 0) continue;
    const where =
      w.Lines.length > 0 ? ` line ${w.Lines.slice(0, 5).join(', ')}${w.Lines.length > 5 ? ', ...' : ''}` : '';
    lines.push(
      `  ${w.Title} (${w.Slug}, ${w.Score.Found}x${where}): ${pct(w.Score.Unsupported)} of clients not, ${pct(w.Score.Partial)} partly`,
    );
    const no = families(w, 'no');
    if (no.length > 0)
      lines.push(`      not: ${no.slice(0, 8).join(', ')}${no.length > 8 ? `, +${no.length - 8}` : ''}`);
    lines.push(`      ${w.URL}`);
  }
  return lines;
}

/** The link check: a count, then the broken links first. */
export function describeLinkCheck(check: LinkCheck): string[] {
  const lines = [`Links  ${check.Links.length} checked, ${check.Errors} broken`];
  const broken = (l: LinkCheck['Links'][number]): boolean => l.StatusCode === 0 || l.StatusCode >= 400;
  const sorted = [...check.Links].sort((a, b) => Number(broken(b)) - Number(broken(a)));
  for (const l of sorted) lines.push(`  ${String(l.StatusCode).padStart(3)} ${l.Status.padEnd(20)} ${l.URL}`);
  return lines;
}

/** The spam check: verdict, score and filter, then the rules by score. */
export function describeSpamCheck(check: SpamCheck): string[] {
  if (check.Error) return [`Spam   no result (${check.Filter || 'no filter'}): ${check.Error}`];
  const lines = [`Spam   ${check.IsSpam ? 'SPAM' : 'not spam'}, score ${check.Score} (${check.Filter})`];
  for (const r of [...check.Rules].sort((a, b) => b.Score - a.Score)) {
    lines.push(`  ${r.Score.toFixed(1).padStart(6)} ${r.Name.padEnd(24)} ${r.Description}`);
  }
  return lines;
}
