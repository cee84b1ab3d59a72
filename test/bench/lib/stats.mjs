/** Percentile by nearest rank of an unsorted list of numbers; NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The median of a list of numbers. */
export function median(values) {
  return percentile(values, 50);
}

/** Rounds to `digits` decimals (for tables and JSON). */
export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Megabytes (10^6 would flatter; these are MiB) with one decimal. */
export function mib(bytes) {
  return round(bytes / 1024 / 1024, 1);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
