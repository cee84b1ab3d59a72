// mailauth's DKIM results turned into what a developer acts on: each signature's tags, both body
// hashes, and why it did not pass in words ("body changed after signing", "no key at ...").
import { createPublicKey } from 'node:crypto';
import type { AuthResult, DkimSignature, DnsLookup, UsedRecord } from '@pigeonhole/shared/schemas/auth';

/** The part of a mailauth DKIM result this module reads. */
export interface MailauthDkimRow {
  signingDomain?: string;
  selector?: string;
  signature?: string;
  algo?: string;
  format?: string;
  bodyHash?: string;
  bodyHashExpecting?: string;
  status: { result: string; comment?: string | false; aligned?: string | false; policy?: Record<string, string> };
  rr?: string;
  modulusLength?: number;
  info?: string;
}

/** The tags of one DKIM-Signature header (unfolded, whitespace dropped from values). */
export function signatureTags(line: string): Map<string, string> {
  const value = line.slice(line.indexOf(':') + 1);
  const tags = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** Headers a receiver expects a signature to cover; unsigned, they can be changed without breaking it. */
const SHOULD_SIGN = ['from', 'to', 'subject', 'date', 'message-id'];

/** Result codes mailauth may give, as our schema names them (`temperr` is an old spelling). */
export function asResult(result: string): AuthResult {
  const known: AuthResult[] = ['pass', 'fail', 'neutral', 'none', 'temperror', 'permerror', 'policy', 'softfail'];
  if (result === 'temperr') return 'temperror';
  return known.includes(result as AuthResult) ? (result as AuthResult) : 'neutral';
}

/** The bits of an RSA key in a DKIM record, for the "key too short" reason (mailauth does not say). */
function keyBits(record: string | undefined): number | null {
  const p = /(?:^|;)\s*p=([A-Za-z0-9+/=\s]+)/.exec(record ?? '')?.[1]?.replace(/\s+/g, '');
  if (!p) return null;
  try {
    const der = Buffer.from(p, 'base64');
    if (der.length === 32) return 256;
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    return key.asymmetricKeyDetails?.modulusLength ?? null;
  } catch {
    return null;
  }
}

/** Where the key record of a signature came from, from the check's lookups. */
function keyRecord(name: string, lookups: readonly DnsLookup[]): UsedRecord {
  const found = lookups.find((l) => l.Name === name && l.Type === 'TXT' && l.Outcome === 'found');
  return found ? { Name: name, Value: found.Records.join(' '), Source: found.Source } : null;
}

/**
 * mailauth, like Gmail, reports a body hash mismatch as `neutral` ("body hash did not verify").
 * RFC 6376 §6.1.3 makes it a PERMFAIL of the signature, which RFC 8601 §2.7.1 writes `fail`, and
 * python3-dkim and OpenDKIM fail it too: the signature cannot pass, and the developer must act, so
 * it is reported as `fail` here and in the Authentication-Results text.
 */
export function patchBodyHashResult(row: MailauthDkimRow): void {
  if (row.status.result === 'neutral' && row.status.comment === 'body hash did not verify') {
    row.status.result = 'fail';
    if (row.info) row.info = row.info.replace(/^dkim=neutral/, 'dkim=fail');
  }
}

/** Facts the reasons need besides the row. */
export interface DkimContext {
  /** `DKIM-Signature` header lines of the message, by their b= value (whitespace removed). */
  tagsBySignature: ReadonlyMap<string, Map<string, string>>;
  lookups: readonly DnsLookup[];
  offline: boolean;
}

function reasonOf(row: MailauthDkimRow, keyName: string, h: string[], bits: number | null, ctx: DkimContext): string {
  const comment = row.status.comment || '';
  const publish = ctx.offline
    ? ' (DNS is offline: publish it with PUT /api/v1/dns or --dns-records)'
    : ' (publish it in DNS, or with PUT /api/v1/dns or --dns-records)';
  const [, bodyCanon = 'simple'] = (row.format ?? 'simple/simple').split('/');
  switch (true) {
    case row.status.result === 'pass':
      return '';
    case comment === 'body hash did not verify':
      return (
        `body changed after signing: computed hash ${row.bodyHash ?? '?'} differs from bh=${row.bodyHashExpecting ?? '?'}` +
        (bodyCanon === 'simple'
          ? ' (simple body canonicalization: any change of whitespace or line endings counts)'
          : '')
      );
    case comment === 'bad signature':
      return (
        `signature does not verify: a signed header (${h.join(', ')}) changed after signing, ` +
        `or the key at ${keyName} is not the one that signed`
      );
    case comment === 'no key':
      return `no key at ${keyName}${publish}`;
    case row.status.result === 'policy' && row.status.policy?.['dkim-rules'] === 'weak-key':
      return `key too short: ${bits ?? 'under 1024'}-bit RSA at ${keyName}; receivers require at least 1024 bits (2048 advised)`;
    case comment === 'unknown key version':
      return `the record at ${keyName} is not a DKIM key: v= must be DKIM1`;
    case comment === 'unknown key type':
      return `the record at ${keyName} has a key of another type than k= says (rsa or ed25519), or not a key at all`;
    case comment === 'invalid public key':
      return `the record at ${keyName} has no usable p= (a revoked key has p= empty)`;
    case comment === 'expired':
      return 'signature expired (x= is in the past)';
    case comment === 'invalid expiration':
      return 'signature expires (x=) before it was made (t=)';
    case typeof comment === 'string' && comment.startsWith('DNS failure'):
      return `DNS lookup of ${keyName} failed (${comment.replace('DNS failure: ', '')}): try again, or publish the key with PUT /api/v1/dns`;
    default:
      return comment || row.status.result;
  }
}

/** One signature as the API shows it. */
export function explainDkim(row: MailauthDkimRow, ctx: DkimContext): DkimSignature {
  patchBodyHashResult(row);
  const tags = ctx.tagsBySignature.get((row.signature ?? '').replace(/\s+/g, '')) ?? new Map<string, string>();
  const domain = row.signingDomain ?? '';
  const selector = row.selector ?? '';
  const keyName = `${selector}._domainkey.${domain}`.toLowerCase();
  const h = (tags.get('h') ?? '')
    .split(':')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  const bits = row.modulusLength ?? keyBits(row.rr);
  const warnings: string[] = [];
  for (const name of SHOULD_SIGN) {
    if (!h.includes(name)) {
      const shown = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
      warnings.push(`header ${shown} not signed: it can be changed in transit without breaking the signature`);
    }
  }
  if (tags.has('l')) warnings.push(`l=${tags.get('l')}: only part of the body is signed, anything appended passes`);
  if (row.algo?.startsWith('rsa') && bits !== null && bits >= 1024 && bits < 2048) {
    warnings.push(`${bits}-bit RSA key: accepted today, 2048 bits is what receivers advise`);
  }
  if (row.algo === 'rsa-sha1') warnings.push('rsa-sha1 is deprecated (RFC 8301): receivers treat it as unsigned');
  return {
    Domain: domain,
    Selector: selector,
    Algorithm: row.algo ?? '',
    Canonicalization: row.format ?? 'simple/simple',
    SignedHeaders: h,
    BodyHashClaimed: row.bodyHashExpecting ?? '',
    BodyHashComputed: row.bodyHash ?? '',
    Result: asResult(row.status.result),
    Reason: reasonOf(row, keyName, h, bits, ctx),
    Warnings: warnings,
    AlignedWithFrom: Boolean(row.status.aligned),
    KeyBits: bits,
    Key: keyRecord(keyName, ctx.lookups),
  };
}
