import { webcrypto, X509Certificate } from 'node:crypto';
import type { Certificate as CertificateJson, SignatureCheck } from '@pigeonhole/shared/schemas/security';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** CMS SignedData (RFC 5652 §5). */
const SIGNED_DATA = '1.2.840.113549.1.7.2';
/** Certificates followed up a chain: more than any real one, and a loop stops here. */
const MAX_CHAIN = 8;

/**
 * pkijs does the CMS: it checks the signed attributes' message digest against the content and the
 * signature over them, for detached (multipart/signed) and encapsulated (pkcs7-mime signed-data)
 * content alike. node-forge, the other candidate, parses PKCS#7 but does not verify signatures.
 * Its engine is Node's WebCrypto, passed to each call so no global is set.
 */
const engine = new pkijs.CryptoEngine({
  name: 'node',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

function notVerified(reason: string, chain: CertificateJson[] = [], email = '', complete = false): SignatureCheck {
  return { Verified: false, Reason: reason, SignerEmail: email, Chain: chain, ChainComplete: complete, Trusted: false };
}

function certificateJson(cert: X509Certificate, signedByNext: boolean): CertificateJson {
  return {
    Subject: cert.subject.replace(/\n/g, ', '),
    Issuer: cert.issuer.replace(/\n/g, ', '),
    Serial: cert.serialNumber.toLowerCase(),
    NotBefore: new Date(cert.validFrom).toISOString(),
    NotAfter: new Date(cert.validTo).toISOString(),
    SelfSigned: cert.checkIssued(cert),
    SignedByNext: signedByNext,
  };
}

/** The signer's e-mail address: subjectAltName `email:`, else the subject's emailAddress. */
function emailOf(cert: X509Certificate): string {
  for (const entry of (cert.subjectAltName ?? '').split(', ')) if (entry.startsWith('email:')) return entry.slice(6);
  for (const line of cert.subject.split('\n')) if (line.startsWith('emailAddress=')) return line.slice(13);
  return '';
}

/**
 * The chain from the signer up, through the certificates the message carries, as far as it goes:
 * each certificate with whether the next one's key verifies it. Complete when it ends at a
 * self-signed root whose own signature verifies. Nothing is trusted: there is no trust store.
 */
function chainOf(signer: X509Certificate, carried: X509Certificate[]): { chain: CertificateJson[]; complete: boolean } {
  const chain: CertificateJson[] = [];
  let current = signer;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (current.checkIssued(current)) {
      const valid = current.verify(current.publicKey);
      chain.push(certificateJson(current, valid));
      return { chain, complete: valid };
    }
    const issuer = carried.find((c) => c !== current && current.checkIssued(c));
    chain.push(certificateJson(current, issuer ? current.verify(issuer.publicKey) : false));
    if (!issuer) break;
    current = issuer;
  }
  return { chain, complete: false };
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Verifies an S/MIME signature: `der` is the CMS SignedData (the smime.p7s or smime.p7m body),
 * `content` the signed part's exact bytes for a detached signature, null when the content is
 * encapsulated. Never throws: a signature that does not parse or verify says why.
 */
export async function checkSmimeSignature(der: Buffer, content: Buffer | null): Promise<SignatureCheck> {
  let signed: pkijs.SignedData;
  try {
    const asn1 = asn1js.fromBER(toArrayBuffer(der));
    if (asn1.offset === -1) return notVerified('The signature part is not DER-encoded CMS');
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== SIGNED_DATA) return notVerified(`The CMS content is ${info.contentType}, not SignedData`);
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return notVerified(`The signature does not parse as CMS SignedData: ${(err as Error).message}`);
  }
  const carried: X509Certificate[] = [];
  for (const c of signed.certificates ?? []) {
    if (!(c instanceof pkijs.Certificate)) continue;
    try {
      carried.push(new X509Certificate(Buffer.from(c.toSchema().toBER(false))));
    } catch {
      // A certificate Node cannot read is left out of the chain.
    }
  }
  let result: { signatureVerified?: boolean | null; signerCertificate?: pkijs.Certificate | null; message?: string };
  try {
    result = await signed.verify(
      { signer: 0, extendedMode: true, checkChain: false, ...(content ? { data: toArrayBuffer(content) } : {}) },
      engine,
    );
  } catch (err) {
    // In extended mode pkijs throws its result object when verification fails.
    result = err as typeof result;
  }
  const signerDer = result.signerCertificate ? Buffer.from(result.signerCertificate.toSchema().toBER(false)) : null;
  const signer = signerDer ? carried.find((c) => c.raw.equals(signerDer)) : undefined;
  if (!signer) return notVerified('The signer’s certificate is not in the message');
  const { chain, complete } = chainOf(signer, carried);
  const email = emailOf(signer);
  if (result.signatureVerified !== true) {
    const detail = result.message ? ` (${result.message})` : '';
    const reason = `The content does not match the signature: it was changed after signing${detail}`;
    return notVerified(reason, chain, email, complete);
  }
  return { Verified: true, Reason: '', SignerEmail: email, Chain: chain, ChainComplete: complete, Trusted: false };
}
