import { startChild } from './child.mjs';
import { fill, numbered } from '../sections/memory.mjs';

/**
 * The Pigeonhole child holding 100,000 messages of 4 KiB (10,000 with --quick) with body text of
 * `kind` that the API and UI sections measure: the one the memory section filled, or a new one
 * filled here (then without the sink's RSS to compare with).
 */
export async function filledPigeonhole(ctx, kind = ctx.texts[0]) {
  const known = ctx.filled.get(kind);
  if (known) return known;
  const count = ctx.memorySizes?.[1] ?? (ctx.quick ? 10000 : 100000);
  const child = await startChild('pigeonhole');
  ctx.log(`filling Pigeonhole with ${count} messages of ${kind} text`);
  await fill(child, 0, count, numbered(4096, kind));
  const filled = { child, sinkRss: null, count };
  ctx.filled.set(kind, filled);
  return filled;
}
