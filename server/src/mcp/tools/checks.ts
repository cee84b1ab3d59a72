// The tools that tell whether a message is any good: today, whether receivers would trust it.
import { z } from 'zod';
import { jsonResult } from '../format';
import { defineTool } from '../tool';
import { messageId } from './messages';

export const checkAuthentication = defineTool({
  name: 'check_authentication',
  title: 'Check DKIM, SPF, DMARC and ARC',
  description:
    'Whether receivers would trust a message: every DKIM signature (domain, selector, result and, on failure, ' +
    'why: "body changed after signing", "no key at sel._domainkey.example.com"...), SPF for the connecting ' +
    "address, DMARC with the From domain's alignment, the ARC chain and BIMI, and the Authentication-Results " +
    'header Pigeonhole would add. Keys and records come from PUT /api/v1/dns, --dns-records, then DNS. ' +
    'Compact by default (result and reason per mechanism); details: true adds hashes, signed headers and records.',
  input: z.object({
    id: messageId,
    details: z.boolean().default(false).describe("Add each signature's hashes, signed headers and the records used"),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ id, details }, client) {
    const check = await client.authCheck(id);
    if (details) return jsonResult(check);
    return jsonResult({
      id: check.ID,
      from: check.From,
      dkim: check.DKIM.map((s) => ({
        domain: s.Domain,
        selector: s.Selector,
        result: s.Result,
        reason: s.Reason,
        alignedWithFrom: s.AlignedWithFrom,
        warnings: s.Warnings,
      })),
      spf: { result: check.SPF.Result, reason: check.SPF.Reason, domain: check.SPF.Domain },
      dmarc: { result: check.DMARC.Result, reason: check.DMARC.Reason, policy: check.DMARC.Policy },
      arc: { result: check.ARC.Result, reason: check.ARC.Reason },
      bimi: { result: check.BIMI.Result, reason: check.BIMI.Reason },
      authenticationResults: check.AuthenticationResults,
    });
  },
});
