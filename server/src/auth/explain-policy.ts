// mailauth's SPF, DMARC, ARC and BIMI results as the API shows them, with reasons a developer acts on.
import type { ArcCheck, BimiCheck, DmarcCheck, DnsLookup, SpfCheck, UsedRecord } from '@pigeonhole/shared/schemas/auth';
import { asResult } from './explain-dkim';

interface Status {
  result: string;
  comment?: string | false;
}

/** The part of mailauth's SPF result read here. */
export interface MailauthSpf {
  domain?: string;
  'client-ip'?: string;
  status: Status;
  rr?: string;
}

/** The part of mailauth's DMARC result read here. */
export interface MailauthDmarc {
  domain?: string;
  policy?: string;
  rr?: string;
  status: Status;
  error?: string;
  alignment?: { spf?: { result?: string | false }; dkim?: { result?: string | false } };
}

/** The part of mailauth's ARC result read here. */
export interface MailauthArc {
  i?: number | false;
  status: Status;
  chain?: { i: number; 'arc-seal'?: { parsed?: Record<string, { value?: string }> } }[] | false;
}

/** The part of mailauth's BIMI result read here. */
export interface MailauthBimi {
  status: Status;
  rr?: string;
  location?: string;
  authority?: string;
}

/** The first TXT record found under `name` in this check's lookups, with where it came from. */
export function usedRecord(name: string, lookups: readonly DnsLookup[], match?: RegExp): UsedRecord {
  for (const l of lookups) {
    if (l.Name !== name || l.Type !== 'TXT' || l.Outcome !== 'found') continue;
    const value = match ? l.Records.find((r) => match.test(r)) : l.Records[0];
    if (value !== undefined) return { Name: name, Value: value, Source: l.Source };
  }
  return null;
}

/** SPF for the connecting address with MAIL FROM (or HELO when MAIL FROM is empty). */
export function explainSpf(
  spf: MailauthSpf | false,
  facts: { ip: string; helo: string; mailFrom: string },
  lookups: readonly DnsLookup[],
): SpfCheck {
  const domain = spf ? (spf.domain ?? '') : '';
  const result = spf ? asResult(spf.status.result) : 'none';
  const record = usedRecord(domain, lookups, /^v=spf1\b/i);
  const where = record ? `"${record.Value}" at ${domain}` : `the SPF record of ${domain}`;
  const reasons: Record<string, string> = {
    pass: '',
    fail: `${facts.ip} is not allowed by ${where} (-all): receivers reject it`,
    softfail: `${facts.ip} is not allowed by ${where} (~all): receivers mark it suspicious`,
    neutral: `${where} says nothing about ${facts.ip} (?all)`,
    none: `no SPF record at ${domain} (publish "v=spf1 ip4:${facts.ip} -all" with PUT /api/v1/dns)`,
    temperror: `DNS lookup for ${domain} failed: ${spf ? spf.status.comment || '' : ''}`,
    permerror: `the SPF record of ${domain} is broken: ${spf ? spf.status.comment || '' : ''}`,
  };
  return {
    Result: result,
    Reason: reasons[result] ?? (spf ? spf.status.comment || '' : ''),
    Domain: domain,
    ClientAddress: facts.ip,
    Helo: facts.helo,
    MailFrom: facts.mailFrom,
    Record: record,
  };
}

/** DMARC: the From domain's policy and which passing DKIM or SPF domain aligns with it. */
export function explainDmarc(dmarc: MailauthDmarc | false, from: string[], lookups: readonly DnsLookup[]): DmarcCheck {
  const fromDomain = (from[0] ?? '').split('@').pop()?.toLowerCase() ?? '';
  if (!dmarc) {
    return {
      Result: 'none',
      Reason: from.length === 0 ? 'no From address to check' : `${from.length} From addresses: DMARC needs exactly one`,
      FromDomain: fromDomain,
      Policy: '',
      AlignedDkim: '',
      AlignedSpf: '',
      Record: null,
    };
  }
  const result = asResult(dmarc.status.result);
  const record =
    usedRecord(`_dmarc.${fromDomain}`, lookups, /^v=DMARC1\b/i) ??
    usedRecord(`_dmarc.${dmarc.domain ?? ''}`, lookups, /^v=DMARC1\b/i);
  const alignedDkim = dmarc.alignment?.dkim?.result || '';
  const alignedSpf = dmarc.alignment?.spf?.result || '';
  const reasons: Record<string, string> = {
    pass: '',
    fail:
      `neither a passing DKIM signature nor the SPF domain aligns with the From domain ${fromDomain}: ` +
      `sign with d=${fromDomain} (or a parent of it), or send with a MAIL FROM at ${fromDomain}` +
      (dmarc.policy ? `; the policy p=${dmarc.policy} tells receivers what to do with it` : ''),
    none: `no DMARC record at _dmarc.${fromDomain} (publish "v=DMARC1; p=reject" with PUT /api/v1/dns)`,
    temperror: `DNS lookup of _dmarc.${fromDomain} failed: ${dmarc.error ?? ''}`,
  };
  return {
    Result: result,
    Reason: reasons[result] ?? (dmarc.status.comment || ''),
    FromDomain: fromDomain,
    Policy: dmarc.policy ?? '',
    AlignedDkim: alignedDkim,
    AlignedSpf: alignedSpf,
    Record: record,
  };
}

/** The ARC chain: its newest instance and who sealed each link. */
export function explainArc(arc: MailauthArc | false): ArcCheck {
  if (!arc) return { Result: 'none', Reason: 'not checked', Instance: 0, Chain: [] };
  const chain = (arc.chain || []).map((link) => ({
    Instance: Number(link.i) || 0,
    Domain: link['arc-seal']?.parsed?.d?.value ?? '',
    Selector: link['arc-seal']?.parsed?.s?.value ?? '',
  }));
  const result = asResult(arc.status.result);
  const comment = arc.status.comment || '';
  const reason =
    result === 'pass'
      ? ''
      : result === 'none' && chain.length === 0
        ? 'no ARC headers (only forwarders and mailing lists add them)'
        : comment.includes('no valid signature')
          ? `${comment}: the ARC-Message-Signature of the newest link does not verify (the message changed after sealing, or its key is missing)`
          : comment || result;
  return { Result: result, Reason: reason, Instance: Number(arc.i) || 0, Chain: chain };
}

/** The BIMI record, if any; the logo and its certificate are never fetched. */
export function explainBimi(bimi: MailauthBimi | false, lookups: readonly DnsLookup[]): BimiCheck {
  if (!bimi)
    return { Result: 'none', Reason: 'not checked: no DMARC result', Location: '', Authority: '', Record: null };
  const name = lookups.find((l) => l.Type === 'TXT' && /\._bimi\./.test(l.Name) && l.Outcome === 'found')?.Name;
  return {
    Result: asResult(bimi.status.result),
    Reason:
      bimi.status.result === 'pass'
        ? ''
        : bimi.status.comment || (bimi.status.result === 'none' ? 'no BIMI record' : ''),
    Location: bimi.location ?? '',
    Authority: bimi.authority ?? '',
    Record: name ? usedRecord(name, lookups, /^v=BIMI1\b/i) : null,
  };
}
