/**
 * Turns of the event loop shared by all long work that yields (searches, the store's deferred
 * summaries and body index), so that they take turns rather than pile up in one check phase.
 */
const waiting: (() => void)[] = [];
let pumping = false;

function pump(): void {
  pumping = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (pumping) return;
  pumping = true;
  setImmediate(pump);
}

/**
 * Waits for the caller's next turn. One slice of yielding work runs per turn of the event loop,
 * whatever the number of searches (and store passes) at once, in arrival order: with `setImmediate` alone, ten searches
 * that yield together would all run their slices in the same check phase and SMTP would wait ten
 * slices instead of one.
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
