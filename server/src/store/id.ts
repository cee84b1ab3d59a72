import { randomBytes } from 'node:crypto';

const POOL_IDS = 512;
const ID_BYTES = 12;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A short, URL-safe, unique message ID: 12 random bytes as 16 base64url characters. Random bytes are
 * drawn in batches because one `randomBytes` call per message costs more than the rest of the ID.
 */
export function newId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
