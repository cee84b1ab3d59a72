import type { ChaosTriggers, ChaosTriggersBody } from '@pigeonhole/shared/schemas/chaos';
import type { ReleaseBody } from '@pigeonhole/shared/schemas/relay';
import { client } from './client';

/*
 * The typed client has routes but no named methods yet for release and chaos (their server side is
 * issue 6). These thin wrappers call the client's generic `request`/`json` with the route names and
 * the shared schemas' types, so they fail the same way (PigeonholeHttpError), and switching to named
 * client methods later changes nothing for callers.
 */

/** `POST /api/v1/message/{ID}/release`: sends the message on through the configured relay. */
export async function releaseMessage(id: string, body: ReleaseBody): Promise<void> {
  await client.request('POST', 'messageRelease', { id }, undefined, body);
}

/** `GET /api/v1/chaos`: the fault triggers in force (an error status when chaos is off). */
export function getChaos(): Promise<ChaosTriggers> {
  return client.json('GET', 'chaos');
}

/** `PUT /api/v1/chaos`: sets the triggers; an omitted one is reset, as in Mailpit. */
export function setChaos(body: ChaosTriggersBody): Promise<ChaosTriggers> {
  return client.json('PUT', 'chaos', undefined, undefined, body);
}
