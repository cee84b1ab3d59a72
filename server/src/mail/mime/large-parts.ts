import { createHash } from 'node:crypto';

/**
 * Large attachments are decoded on demand, never held. Parsing a 10 MB message with a 7.5 MB
 * attachment through mailparser's stream decoders grew V8's heap by 22 MB, and the parse cache then
 * held the decoded copy: opening such a message cost 4 x its size. Now a large base64 body is decoded
 * straight from the raw bytes in small steps: once for its size and checksums, and again whenever the
 * part itself is asked for.
 */

/** Base64 bodies at least this long are measured at parse and decoded only on request. */
export const LARGE_PART_BYTES = 256 * 1024;
/** Base64 text decoded per step: small enough that its strings stay in the young generation. */
const STEP = 48 * 1024;

/** Whether a byte is a base64 digit (A-Z, a-z, 0-9, +, /). */
const DIGIT = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') DIGIT[c.charCodeAt(0)] = 1;

/**
 * Calls `each` with the decoded bytes of a base64 body, a step at a time. The digits of each step are
 * gathered into one scratch buffer (line ends, padding and junk skipped) and decoded from a single
 * string: string work per step had grown V8's young generation by 20 MB for a 10 MB message.
 */
function decodeSteps(encoded: Buffer, each: (bytes: Buffer) => void): void {
  const scratch = Buffer.allocUnsafe(STEP + 4);
  let filled = 0;
  for (let at = 0; at < encoded.length;) {
    const stop = Math.min(at + STEP - filled, encoded.length);
    for (; at < stop; at++) {
      const byte = encoded[at]!;
      if (DIGIT[byte]) scratch[filled++] = byte;
    }
    const whole = filled - (filled % 4);
    if (whole > 0 && (filled >= STEP - 4 || at >= encoded.length)) {
      each(Buffer.from(scratch.toString('latin1', 0, whole), 'base64'));
      scratch.copyWithin(0, whole, filled);
      filled -= whole;
    }
  }
  // An unpadded tail is real data.
  if (filled > 0) each(Buffer.from(scratch.toString('latin1', 0, filled), 'base64'));
}

/** The decoded bytes of a base64 body. */
export function decodeLargePart(encoded: Buffer): Buffer {
  const chunks: Buffer[] = [];
  decodeSteps(encoded, (bytes) => chunks.push(bytes));
  return Buffer.concat(chunks);
}

/** Size and checksums of a base64 body's decoded bytes, without holding them. */
export function measureLargePart(encoded: Buffer): { size: number; md5: string; sha1: string; sha256: string } {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  decodeSteps(encoded, (bytes) => {
    size += bytes.length;
    md5.update(bytes);
    sha1.update(bytes);
    sha256.update(bytes);
  });
  return { size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}
