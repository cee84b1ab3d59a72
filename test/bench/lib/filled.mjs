import { startChild } from './child.mjs';
import { fill } from '../sections/memory.mjs';

/**
 * The Pigeonhole child holding 100,000 messages of 4 KiB (10,000 with --quick) that the API and UI
 * sections measure: the one the memory section filled, or a new one filled here.
 */
export async function filledPigeonhole(ctx) {
  if (ctx.pigeonhole100k) return ctx.pigeonhole100k;
  const count = ctx.quick ? 10000 : 100000;
  const child = await startChild('pigeonhole');
  ctx.log(`filling Pigeonhole with ${count} messages`);
  await fill(child, 0, count);
  ctx.pigeonhole100k = child;
  return child;
}
