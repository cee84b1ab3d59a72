import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { ChaosTriggers, ChaosTriggersBody } from '@pigeonhole/shared/schemas/chaos';
import type { ReleaseBody } from '@pigeonhole/shared/schemas/relay';

/*
 * Thin fetch wrappers for the routes the typed client does not cover yet (release and chaos, whose
 * server side is issue 6). They use the shared schemas' types and fail like the client does, with
 * PigeonholeHttpError, so that switching to client methods later changes nothing for callers.
 */

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method, headers: {} };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) throw new PigeonholeHttpError(res.status, await res.text(), path);
  return res;
}

/** `POST /api/v1/message/{ID}/release`: sends the message on through the configured relay. */
export async function releaseMessage(id: string, body: ReleaseBody): Promise<void> {
  await call('POST', `/api/v1/message/${encodeURIComponent(id)}/release`, body);
}

/** `GET /api/v1/chaos`: the fault triggers in force (404 when chaos is not enabled). */
export async function getChaos(): Promise<ChaosTriggers> {
  return (await (await call('GET', '/api/v1/chaos')).json()) as ChaosTriggers;
}

/** `PUT /api/v1/chaos`: sets the triggers; an omitted one is reset, as in Mailpit. */
export async function setChaos(body: ChaosTriggersBody): Promise<ChaosTriggers> {
  return (await (await call('PUT', '/api/v1/chaos', body)).json()) as ChaosTriggers;
}
