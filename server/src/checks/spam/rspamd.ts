// rspamd's HTTP protocol (`POST /checkv2`, the message as the body), answered in Mailpit's shape.
import type { SpamCheck } from '@pigeonhole/shared/schemas/checks';
import { round1 } from './spamd';

/** The part of rspamd's `/checkv2` answer used here. */
interface RspamdAnswer {
  score?: number;
  required_score?: number;
  action?: string;
  symbols?: Record<string, { name?: string; score?: number; description?: string; options?: string[] }>;
}

/**
 * rspamd's actions that mean spam. `no action` and `greylist` do not; `add header`, `rewrite
 * subject`, `soft reject` and `reject` do (GTUBE is `reject`).
 */
const HAM_ACTIONS = new Set(['no action', 'greylist']);

/** Turns rspamd's answer into Mailpit's shape, rules by score, highest first. */
export function fromRspamd(answer: RspamdAnswer): Omit<SpamCheck, 'Filter' | 'Error'> {
  if (typeof answer.score !== 'number' || typeof answer.action !== 'string') {
    throw new Error('rspamd: unexpected answer (no score or action)');
  }
  const rules = Object.entries(answer.symbols ?? {})
    .map(([name, s]) => ({
      Name: s.name ?? name,
      Score: round1(s.score ?? 0),
      Description: s.description ?? (s.options ?? []).join(', '),
    }))
    .sort((a, b) => b.Score - a.Score || a.Name.localeCompare(b.Name));
  return { IsSpam: !HAM_ACTIONS.has(answer.action), Score: round1(answer.score), Rules: rules };
}

/** Asks rspamd at `base` to check `raw`; rejects on a network error, a non-200 answer or the timeout. */
export async function rspamdCheck(
  base: URL,
  raw: Buffer,
  timeoutMs: number,
): Promise<Omit<SpamCheck, 'Filter' | 'Error'>> {
  const url = new URL('checkv2', base.href.endsWith('/') ? base : new URL(`${base.href}/`));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(raw),
      headers: { 'content-type': 'message/rfc822' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: NodeJS.ErrnoException };
    if (e.name === 'TimeoutError') throw new Error(`rspamd at ${base.origin} did not answer within ${timeoutMs} ms`);
    const code = e.cause?.code;
    throw new Error(
      `rspamd at ${base.origin}: ${code === 'ECONNREFUSED' ? 'connection refused' : (e.cause?.message ?? e.message)}`,
    );
  }
  const body = await res.text();
  if (!res.ok) throw new Error(`rspamd at ${base.origin} answered ${res.status}: ${body.slice(0, 200)}`);
  return fromRspamd(JSON.parse(body) as RspamdAnswer);
}
