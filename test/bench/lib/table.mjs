/** The bench result as one plain-text (and Markdown) table, with the machine and the notes. */
export function formatTable({ date, machine, rows, notes, quick }) {
  const header = ['what', 'Pigeonhole', 'baseline', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.metric,
    String(r.pigeonhole),
    r.baseline === null || r.baseline === undefined ? '' : String(r.baseline),
    r.ratio === null || r.ratio === undefined ? '' : String(r.ratio),
    r.target ?? '',
    r.met === null || r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [
    `Pigeonhole bench, ${date}${quick ? ' (quick: reduced counts)' : ''}`,
    `Machine: ${machine.cpus} x ${machine.model}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ];
  if (notes.length > 0) out.push('', ...notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}
