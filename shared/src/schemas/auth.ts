import { Type, type Static } from 'typebox';

/**
 * Bounds of the DNS records a test may publish (`PUT /api/v1/dns`) or a `--dns-records` file may
 * hold. A 4096-bit RSA key is about 740 characters as a TXT string; a name is at most 253.
 */
export const DNS_LIMITS = {
  /** Names kept, API and file each. */
  maxNames: 1000,
  /** TXT strings per name. */
  maxStrings: 16,
  /** Characters per TXT string. */
  maxStringLength: 4096,
  /** A DNS name's length (RFC 1035). */
  maxNameLength: 253,
  /** Request body of `PUT /api/v1/dns`, bytes. */
  maxBodyBytes: 256 * 1024,
} as const;

/**
 * Records published for the verifier: a DNS name to its TXT strings, one string a record, e.g.
 * `{"sel._domainkey.example.test": ["v=DKIM1; k=rsa; p=MIIB..."], "example.test": ["v=spf1 ip4:127.0.0.1 -all"]}`.
 * The body of `PUT /api/v1/dns`, the answer of its `GET`, and the format of `--dns-records FILE`.
 */
export const DnsRecordsSchema = Type.Record(Type.String(), Type.Array(Type.String()), {
  description: 'DNS name (case-insensitive, no trailing dot needed) to its TXT strings, one string a record',
});
export type DnsRecords = Static<typeof DnsRecordsSchema>;

/** A verification outcome, in the words of RFC 8601 (`Authentication-Results`). */
export const AuthResultSchema = Type.Union([
  Type.Literal('pass'),
  Type.Literal('fail'),
  Type.Literal('neutral'),
  Type.Literal('none'),
  Type.Literal('temperror'),
  Type.Literal('permerror'),
  Type.Literal('policy'),
  Type.Literal('softfail'),
  Type.Literal('skipped'),
]);
export type AuthResult = Static<typeof AuthResultSchema>;

/** Where a DNS answer came from: `PUT /api/v1/dns`, the `--dns-records` file, the system resolver, or nowhere. */
export const DnsSourceSchema = Type.Union([
  Type.Literal('api'),
  Type.Literal('file'),
  Type.Literal('system'),
  Type.Literal('none'),
]);
export type DnsSource = Static<typeof DnsSourceSchema>;

/** One DNS lookup the verifier made, and what it found where. */
export const DnsLookupSchema = Type.Object({
  Name: Type.String(),
  Type: Type.String({ description: 'TXT, A, AAAA, MX, PTR' }),
  Source: DnsSourceSchema,
  /** `found`, `not found`, or why it failed (`timeout after 1500 ms`, `offline`). */
  Outcome: Type.String(),
  Records: Type.Array(Type.String()),
});
export type DnsLookup = Static<typeof DnsLookupSchema>;

/** A record a mechanism used: its name, text and source. */
export const UsedRecordSchema = Type.Union([
  Type.Object({ Name: Type.String(), Value: Type.String(), Source: DnsSourceSchema }),
  Type.Null(),
]);
export type UsedRecord = Static<typeof UsedRecordSchema>;

/** One DKIM signature and what became of it. */
export const DkimSignatureSchema = Type.Object({
  Domain: Type.String({ description: 'd=' }),
  Selector: Type.String({ description: 's=' }),
  Algorithm: Type.String({ description: 'a=, e.g. rsa-sha256 or ed25519-sha256' }),
  Canonicalization: Type.String({ description: 'c=, header/body, e.g. relaxed/simple' }),
  SignedHeaders: Type.Array(Type.String(), { description: 'h=, lower case, in order' }),
  BodyHashClaimed: Type.String({ description: 'bh= in the signature' }),
  BodyHashComputed: Type.String({ description: 'The body hash of the message as received' }),
  Result: AuthResultSchema,
  /** Why it did not pass, in words to act on; empty on pass. */
  Reason: Type.String(),
  /** Things that pass today and may not tomorrow (an unsigned Subject, a short key). */
  Warnings: Type.Array(Type.String()),
  /** Whether d= aligns (relaxed) with the From domain, as DMARC asks. */
  AlignedWithFrom: Type.Boolean(),
  KeyBits: Type.Union([Type.Integer(), Type.Null()]),
  Key: UsedRecordSchema,
});
export type DkimSignature = Static<typeof DkimSignatureSchema>;

/** SPF for the connecting address, MAIL FROM and HELO. */
export const SpfCheckSchema = Type.Object({
  Result: AuthResultSchema,
  Reason: Type.String(),
  Domain: Type.String({ description: 'The domain checked: MAIL FROM, or HELO when MAIL FROM is empty' }),
  ClientAddress: Type.String(),
  Helo: Type.String(),
  MailFrom: Type.String(),
  Record: UsedRecordSchema,
});
export type SpfCheck = Static<typeof SpfCheckSchema>;

/** DMARC: the From domain's policy and its alignment with the passing DKIM and SPF domains. */
export const DmarcCheckSchema = Type.Object({
  Result: AuthResultSchema,
  Reason: Type.String(),
  FromDomain: Type.String(),
  Policy: Type.String({
    description: 'p= (or sp= for a subdomain) in force: none, quarantine, reject; empty without a record',
  }),
  /** The domain of the passing DKIM signature that aligns with From; empty when none does. */
  AlignedDkim: Type.String(),
  /** The passing SPF domain when it aligns with From; empty when it does not. */
  AlignedSpf: Type.String(),
  Record: UsedRecordSchema,
});
export type DmarcCheck = Static<typeof DmarcCheckSchema>;

/** The ARC chain. */
export const ArcCheckSchema = Type.Object({
  Result: AuthResultSchema,
  Reason: Type.String(),
  /** The highest instance (i=) of the chain; 0 without one. */
  Instance: Type.Integer(),
  /** Sealers, oldest first: `i=1 d=example.test s=arc`. */
  Chain: Type.Array(Type.Object({ Instance: Type.Integer(), Domain: Type.String(), Selector: Type.String() })),
});
export type ArcCheck = Static<typeof ArcCheckSchema>;

/** The BIMI record of the From domain, if any (the logo itself is never fetched). */
export const BimiCheckSchema = Type.Object({
  Result: AuthResultSchema,
  Reason: Type.String(),
  Location: Type.String({ description: 'l=, the logo URL' }),
  Authority: Type.String({ description: 'a=, the mark certificate URL' }),
  Record: UsedRecordSchema,
});
export type BimiCheck = Static<typeof BimiCheckSchema>;

/** Ours: `GET /api/v1/message/{ID}/auth-check`, DKIM, SPF, DMARC, ARC and BIMI for one message. */
export const AuthCheckSchema = Type.Object({
  ID: Type.String(),
  /** When the check ran (checks are cached until the DNS records change). */
  Checked: Type.String({ format: 'date-time' }),
  From: Type.String({ description: 'The From address checked' }),
  DKIM: Type.Array(DkimSignatureSchema),
  SPF: SpfCheckSchema,
  DMARC: DmarcCheckSchema,
  ARC: ArcCheckSchema,
  BIMI: BimiCheckSchema,
  /** The header Pigeonhole would add, as text; stored bytes are never altered. */
  AuthenticationResults: Type.String(),
  Lookups: Type.Array(DnsLookupSchema),
});
export type AuthCheck = Static<typeof AuthCheckSchema>;
