import type { SecurityKind } from '@pigeonhole/shared/schemas/security';

const LABELS: Record<SecurityKind, string> = {
  'smime-signed': 'S/MIME signed',
  'smime-encrypted': 'S/MIME encrypted',
  'pgp-signed': 'PGP signed',
  'pgp-encrypted': 'PGP encrypted',
};

/** The words for how a message is signed or encrypted, as the list and the view label it. */
export function securityLabel(kind: SecurityKind): string {
  return LABELS[kind];
}
