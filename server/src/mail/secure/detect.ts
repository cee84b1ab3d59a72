import type { SecurityKind } from '@pigeonhole/shared/schemas/security';

/**
 * Signed and encrypted mail recognised from a part's Content-Type, with no parse: the one place
 * that knows the media types of S/MIME (RFC 8551) and PGP/MIME (RFC 3156). The summary asks it of
 * each leaf its walk visits (a look-up per part); the message view's analysis (analyze.ts) too.
 */

/** S/MIME's types, with the `x-` forms older clients and OpenSSL still write. */
const SMIME_SIGNATURE = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const SMIME_MIME = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/** Whether `mime` is an S/MIME detached signature part. */
export function isSmimeSignature(mime: string): boolean {
  return SMIME_SIGNATURE.has(mime);
}

/** Whether `mime` is an S/MIME opaque (application/pkcs7-mime) part. */
export function isSmimeMime(mime: string): boolean {
  return SMIME_MIME.has(mime);
}

/**
 * What a leaf part says of the message: a detached signature (S/MIME or PGP), an S/MIME
 * application/pkcs7-mime (signed-data, else enveloped: `smime-type` is optional and enveloped the
 * usual case), or PGP/MIME's control part. Null for any other part.
 */
export function leafSecurity(mime: string, params: Record<string, string | undefined>): SecurityKind | null {
  if (SMIME_SIGNATURE.has(mime)) return 'smime-signed';
  if (SMIME_MIME.has(mime))
    return (params['smime-type'] ?? '').toLowerCase() === 'signed-data' ? 'smime-signed' : 'smime-encrypted';
  if (mime === 'application/pgp-signature') return 'pgp-signed';
  if (mime === 'application/pgp-encrypted') return 'pgp-encrypted';
  return null;
}

/** Armor lines of inline PGP (RFC 4880 §6.2) in a text body. */
const PGP_MESSAGE = '-----BEGIN PGP MESSAGE-----';
const PGP_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';

/** Inline PGP in a text body: encrypted, or clear-signed; null when neither. A substring search. */
export function inlinePgp(text: string): SecurityKind | null {
  if (text.includes(PGP_MESSAGE)) return 'pgp-encrypted';
  if (text.includes(PGP_SIGNED)) return 'pgp-signed';
  return null;
}

/** Encrypted outranks signed: an encrypted message's signature, if any, is inside. */
export function stronger(a: SecurityKind | null, b: SecurityKind | null): SecurityKind | null {
  if (!a) return b;
  if (!b) return a;
  return a.endsWith('encrypted') ? a : b.endsWith('encrypted') ? b : a;
}
