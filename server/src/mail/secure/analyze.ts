import type { Security, SecurityKind, SignatureCheck } from '@pigeonhole/shared/schemas/security';
import { CacheKind } from '../../store/message-cache';
import type { MessageStore } from '../../store/store';
import type { StoredMessage } from '../../store/types';
import { decodeBody } from '../mime/body';
import { parseValue } from '../mime/header-value';
import { first, parseHeaders, splitHeader, type HeaderMap } from '../mime/headers';
import { boundaries } from '../mime/walk';
import { inlinePgp, isSmimeMime, isSmimeSignature, leafSecurity } from './detect';

/**
 * Signed and encrypted messages (S/MIME, PGP/MIME, inline PGP) found in the raw bytes and, for
 * S/MIME, the signature verified. This folder is the only place that knows them; it reads the
 * stored bytes through the MIME helpers, so it can move with the MIME model.
 */

/** Nesting and parts looked at: a signed or encrypted body is the message or one level down. */
const MAX_DEPTH = 4;
const MAX_PARTS = 100;
/** Text read for inline PGP armor: it starts the body in practice. */
const INLINE_SOURCE = 64 * 1024;

/** What the walk found, before any verification. */
interface Found {
  kind: SecurityKind;
  form: string;
  /** CMS bytes of an S/MIME signature or signed-data; the signed content (detached) when known. */
  der?: Buffer;
  content?: Buffer | null;
}

/** A part's body bytes, base64 undone when so encoded (Node's decoder skips line breaks). */
function bodyBytes(raw: Buffer, headers: HeaderMap, start: number, end: number): Buffer {
  const body = raw.subarray(start, end);
  const encoding = first(headers, 'content-transfer-encoding').trim().toLowerCase();
  return encoding === 'base64' ? Buffer.from(body.toString('latin1'), 'base64') : body;
}

function find(
  raw: Buffer,
  headers: HeaderMap,
  start: number,
  end: number,
  depth: number,
  budget: { parts: number },
): Found | null {
  if (--budget.parts < 0 || depth > MAX_DEPTH) return null;
  const type = parseValue(first(headers, 'content-type') || 'text/plain');
  const mime = type.value.toLowerCase();
  const boundary = type.params.boundary;
  if (mime === 'multipart/signed' && boundary) {
    const [content, signature] = [...boundaries(raw, boundary, start, end)].slice(0, 2);
    const protocol = (type.params.protocol ?? '').toLowerCase();
    if (protocol === 'application/pgp-signature') return { kind: 'pgp-signed', form: 'multipart/signed' };
    if (!content || !signature || !isSmimeSignature(protocol))
      return { kind: 'smime-signed', form: 'multipart/signed' };
    const split = splitHeader(raw, signature[0], signature[1]);
    const sigHeaders = parseHeaders(raw.toString('utf8', signature[0], split.headerEnd));
    // RFC 1847 §2.1: the signed content is the first part exactly, its headers included, and the
    // line break before the next boundary belongs to the boundary.
    return {
      kind: 'smime-signed',
      form: 'multipart/signed',
      der: bodyBytes(raw, sigHeaders, split.bodyStart, signature[1]),
      content: raw.subarray(content[0], content[1]),
    };
  }
  if (mime === 'multipart/encrypted') return { kind: 'pgp-encrypted', form: 'multipart/encrypted' };
  if (mime.startsWith('multipart/') && boundary) {
    for (const [partStart, partEnd] of boundaries(raw, boundary, start, end)) {
      const split = splitHeader(raw, partStart, partEnd);
      const child = parseHeaders(raw.toString('utf8', partStart, split.headerEnd));
      const found = find(raw, child, split.bodyStart, partEnd, depth + 1, budget);
      if (found) return found;
      if (budget.parts <= 0) break;
    }
    return null;
  }
  if (isSmimeMime(mime)) {
    const kind = leafSecurity(mime, type.params)!;
    if (kind === 'smime-encrypted') return { kind, form: 'application/pkcs7-mime enveloped-data' };
    return {
      kind,
      form: 'application/pkcs7-mime signed-data',
      der: bodyBytes(raw, headers, start, end),
      content: null,
    };
  }
  const leaf = leafSecurity(mime, type.params);
  if (leaf) return { kind: leaf, form: mime };
  if (mime === 'text/plain') {
    const inline = inlinePgp(decodeBody(raw, { headers, start, end }, INLINE_SOURCE));
    if (inline) return { kind: inline, form: 'inline' };
  }
  return null;
}

const NOTES: Record<SecurityKind, string> = {
  'smime-signed':
    'S/MIME signature checked with pkijs: the content against the signature, and the certificate chain as far as the message carries it. Pigeonhole keeps no trust store, so no signer is trusted.',
  'smime-encrypted':
    'Encrypted with S/MIME (CMS enveloped-data). Pigeonhole holds no recipient key, so the content cannot be shown.',
  'pgp-signed': 'PGP signature recognised, not verified: Pigeonhole verifies S/MIME signatures only.',
  'pgp-encrypted': 'Encrypted with PGP. Pigeonhole holds no recipient key, so the content cannot be shown.',
};

/**
 * What `raw` says of signing and encryption, found in a loan of its bytes: the CMS bytes and the
 * signed content, when there are, are copied out, since the signature check that reads them is async.
 */
function findIn(raw: Buffer): Found | null {
  const { headerEnd, bodyStart } = splitHeader(raw);
  const headers = parseHeaders(raw.toString('utf8', 0, headerEnd));
  const found = find(raw, headers, bodyStart, raw.length, 0, { parts: MAX_PARTS });
  if (!found) return null;
  const kept: Found = { ...found };
  if (found.der) kept.der = Buffer.from(found.der);
  if (found.content) kept.content = Buffer.from(found.content);
  return kept;
}

/** Signed or encrypted, and how, with the S/MIME signature verified; null for other mail. */
async function describe(found: Found | null): Promise<Security | null> {
  if (!found) return null;
  let signature: SignatureCheck | null = null;
  if (found.kind === 'smime-signed') {
    signature = found.der
      ? // pkijs and asn1js load with the first signature checked: most runs never check one.
        await (await import('./smime')).checkSmimeSignature(found.der, found.content ?? null)
      : {
          Verified: false,
          Reason: 'No S/MIME signature part was found',
          SignerEmail: '',
          Chain: [],
          ChainComplete: false,
          Trusted: false,
        };
  }
  return {
    Kind: found.kind,
    Protocol: found.kind.startsWith('smime') ? 'S/MIME' : 'PGP',
    Signed: found.kind.endsWith('signed'),
    Encrypted: found.kind.endsWith('encrypted'),
    Form: found.form,
    Signature: signature,
    Note: NOTES[found.kind],
  };
}

/** Analyses kept: one per message opened, small (a chain of a few certificates). */
const ANALYSES = new CacheKind<Security | null>('security', { maxEntries: 500, maxBytes: 4 * 1024 * 1024 }, (s) =>
  s ? 2048 : 16,
);

/**
 * The message's signing and encryption, from the store's cache or worked out now (on demand, when
 * a message is opened: never on the SMTP path).
 */
export async function securityOf(store: MessageStore, message: StoredMessage): Promise<Security | null> {
  const cache = store.cache(ANALYSES);
  const cached = cache.get(message.id);
  if (cached !== undefined) return cached;
  // Read in a loan of the bytes: a plain message (most) is never copied to be looked at.
  const security = await describe(message.withRaw(findIn));
  return store.get(message.id) === message ? cache.remember(message.id, security) : security;
}
