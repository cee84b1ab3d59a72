import { client } from '../../../lib/client';

/** The URL of a decoded MIME part (`/api/v1/message/{ID}/part/{PartID}`). */
export function partUrl(id: string, partId: string): string {
  return client.url('messagePart', { id, partId });
}

/** The URL of an image part's thumbnail. */
export function thumbUrl(id: string, partId: string): string {
  return client.url('messagePartThumb', { id, partId });
}

/** The bytes of a part, to open a PDF in the browser's viewer whatever the server's disposition. */
export async function getPart(id: string, partId: string): Promise<Uint8Array> {
  return client.attachment(id, partId);
}
