import { Type, type Static } from 'typebox';

/**
 * Ours: how a message is signed or encrypted, as the list labels it (the summary's `Security`):
 * S/MIME (RFC 8551) or PGP (RFC 3156 PGP/MIME, or inline armor in the text).
 */
export const SecurityKindSchema = Type.Union(
  [
    Type.Literal('smime-signed'),
    Type.Literal('smime-encrypted'),
    Type.Literal('pgp-signed'),
    Type.Literal('pgp-encrypted'),
  ],
  { description: 'Signed or encrypted with S/MIME or PGP; present only on such a message' },
);
export type SecurityKind = Static<typeof SecurityKindSchema>;

/** One certificate of the chain a signature carries, from the signer up as far as it goes. */
export const CertificateSchema = Type.Object({
  Subject: Type.String(),
  Issuer: Type.String(),
  Serial: Type.String({ description: 'Hex' }),
  NotBefore: Type.String({ description: 'RFC 3339' }),
  NotAfter: Type.String({ description: 'RFC 3339' }),
  SelfSigned: Type.Boolean(),
  SignedByNext: Type.Boolean({
    description: 'Its signature verifies with the next certificate’s key (or its own, if self-signed)',
  }),
});
export type Certificate = Static<typeof CertificateSchema>;

/** An S/MIME signature checked: the content against the signature, and the chain as far as it goes. */
export const SignatureCheckSchema = Type.Object({
  Verified: Type.Boolean({ description: 'The signature is valid for this content (the content was not changed)' }),
  Reason: Type.String({ description: 'Why not, in words; empty when verified' }),
  SignerEmail: Type.String({ description: 'From the signer certificate; empty when none' }),
  Chain: Type.Array(CertificateSchema, { description: 'The signer first' }),
  ChainComplete: Type.Boolean({ description: 'The chain ends at a self-signed root included in the message' }),
  Trusted: Type.Boolean({ description: 'Always false: Pigeonhole keeps no trust store' }),
});
export type SignatureCheck = Static<typeof SignatureCheckSchema>;

/** Ours: a message's signing and encryption, in the full message JSON (`Security`). */
export const SecuritySchema = Type.Object({
  Kind: SecurityKindSchema,
  Protocol: Type.Union([Type.Literal('S/MIME'), Type.Literal('PGP')]),
  Signed: Type.Boolean(),
  Encrypted: Type.Boolean(),
  Form: Type.String({
    description: 'multipart/signed, application/pkcs7-mime signed-data or enveloped-data, multipart/encrypted, inline',
  }),
  Signature: Type.Union([SignatureCheckSchema, Type.Null()], {
    description: 'S/MIME signatures only; null for PGP (recognised, not verified) and for encrypted content',
  }),
  Note: Type.String({ description: 'What Pigeonhole could and could not do with it' }),
});
export type Security = Static<typeof SecuritySchema>;
