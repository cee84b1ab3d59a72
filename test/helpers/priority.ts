import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The niceness the test's own helper processes get: well below the server's share of a core. */
const HELPER_NICENESS = 10;

/** Parent pid of every process we may read, from /proc (Linux). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  return map;
}

/**
 * Lowers the CPU priority of this test process's descendants (a browser and its renderers, a
 * flooder) except `keep` (the Pigeonhole child) and its own descendants. On two shared cores a
 * browser that paints takes the core the server needs, and the server's reply then waits for the
 * browser, not for its own work; a niced helper still gets every idle cycle. Raising niceness needs
 * no privilege. Processes forked later by a niced one (Chromium's zygote makes the renderers)
 * inherit it. Does nothing where /proc is missing.
 */
export function deprioritiseHelpers(keep: number[]): number {
  if (process.platform !== 'linux') return 0;
  const ppid = parents();
  const kept = new Set(keep);
  const isHelper = (pid: number): boolean => {
    for (let p = ppid.get(pid); p !== undefined && p > 1; p = ppid.get(p)) {
      if (kept.has(p)) return false;
      if (p === process.pid) return true;
    }
    return false;
  };
  let niced = 0;
  for (const pid of ppid.keys()) {
    if (kept.has(pid) || !isHelper(pid)) continue;
    try {
      if (os.getPriority(pid) < HELPER_NICENESS) os.setPriority(pid, HELPER_NICENESS);
      niced++;
    } catch {
      // Exited meanwhile, or not ours.
    }
  }
  return niced;
}
