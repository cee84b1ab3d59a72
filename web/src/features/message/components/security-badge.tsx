import type { Security } from '@pigeonhole/shared/schemas/security';
import { Lock, ShieldAlert, ShieldCheck, ShieldQuestion } from 'lucide-react';
import { cx } from '../../../lib/class-names';
import { securityLabel } from '../../../lib/security-label';

/** The badge's state: an S/MIME signature verified or not, encrypted, or recognised only (PGP). */
function state(security: Security): 'verified' | 'failed' | 'encrypted' | 'unverified' {
  if (security.Encrypted) return 'encrypted';
  if (!security.Signature) return 'unverified';
  return security.Signature.Verified ? 'verified' : 'failed';
}

const ICONS = { verified: ShieldCheck, failed: ShieldAlert, encrypted: Lock, unverified: ShieldQuestion };

/**
 * How the message is signed or encrypted, at a glance (a badge under the subject), with the
 * details a click away: the signer, the chain as far as the message carries it, why a signature
 * does not verify, and what Pigeonhole could not do (no trust store, no private keys, PGP unverified).
 */
export function SecurityBadge({ security }: { security: Security | undefined }) {
  if (!security) return null;
  const s = state(security);
  const Icon = ICONS[s];
  const signature = security.Signature;
  const verdict =
    s === 'verified'
      ? `signature verified${signature?.SignerEmail ? `: ${signature.SignerEmail}` : ''}`
      : s === 'failed'
        ? 'signature does NOT verify'
        : s === 'encrypted'
          ? 'content cannot be shown'
          : 'signature not verified';
  return (
    <details className={cx('security', `security--${s}`)} data-testid="security-badge" open={s === 'encrypted'}>
      <summary className="security__badge">
        <Icon size={14} aria-hidden="true" /> {securityLabel(security.Kind)} · {verdict}
      </summary>
      <div className="security__details">
        <p>{security.Note}</p>
        <p className="muted">Form: {security.Form}</p>
        {signature && !signature.Verified ? <p className="error-text">{signature.Reason}</p> : null}
        {signature && signature.Chain.length > 0 ? (
          <ol className="security__chain" aria-label="Certificate chain, signer first">
            {signature.Chain.map((c) => (
              <li key={`${c.Serial}-${c.Subject}`}>
                <span className="mono">{c.Subject}</span> issued by <span className="mono">{c.Issuer}</span>
                {c.SelfSigned ? ' (self-signed)' : ''}, valid {c.NotBefore.slice(0, 10)} to {c.NotAfter.slice(0, 10)}
                {c.SignedByNext ? '' : ' · its issuer’s signature does not verify or the issuer is not included'}
              </li>
            ))}
          </ol>
        ) : null}
        {signature ? (
          <p className="muted">
            {signature.ChainComplete
              ? 'The chain ends at a self-signed root the message carries.'
              : 'The chain is incomplete: the message does not carry it up to a root.'}{' '}
            Not trusted: Pigeonhole keeps no trust store.
          </p>
        ) : null}
      </div>
    </details>
  );
}
