import type { PackedTranscript, TranscriptLine } from './types';

function packLines(lines: TranscriptLine[], base: number): string {
  // join() builds one flat string; concatenation would leave a tree of pieces.
  return lines.map((l) => `${l.at - base} ${l.direction === 'client' ? 'C' : 'S'}${l.line}`).join('\n');
}

/**
 * Packs a transcript given as line objects (the SMTP recorder packs as it records; this serves
 * other callers and tests); {@link unpackTranscript} gives back equal lines.
 */
export function packTranscript(lines: TranscriptLine[]): PackedTranscript {
  if (lines.length === 0) return { base: 0, prefix: '', own: '' };
  if (lines.some((l) => l.line.includes('\n'))) return { lines };
  const base = lines[0]!.at;
  const split = Math.max(
    0,
    lines.findIndex((l) => l.direction === 'client' && /^MAIL\b/i.test(l.line)),
  );
  return { base, prefix: packLines(lines.slice(0, split), base), own: packLines(lines.slice(split), base) };
}

/** The lines of a packed transcript. */
export function unpackTranscript(packed: PackedTranscript): TranscriptLine[] {
  if ('lines' in packed) return packed.lines;
  const out: TranscriptLine[] = [];
  for (const part of [packed.prefix, packed.own]) {
    if (!part) continue;
    for (const text of part.split('\n')) {
      const space = text.indexOf(' ');
      out.push({
        at: packed.base + Number(text.slice(0, space)),
        direction: text[space + 1] === 'C' ? 'client' : 'server',
        line: text.slice(space + 2),
      });
    }
  }
  return out;
}
