// The link check's SSRF rule: a link in a mail must not make Pigeonhole connect to loopback,
// private, link-local, multicast, unspecified or otherwise non-public addresses. Server-side
// requests of this kind hit Mailpit four times; the rule is checked on the address actually
// connected to (see fetch-link.ts), on every redirect hop.
import ipaddr from 'ipaddr.js';

/**
 * Why this address may not be connected to, or null when it may. Only ipaddr.js's `unicast` range is
 * public: everything else it names (loopback, private, linkLocal, uniqueLocal, multicast,
 * unspecified, broadcast, carrierGradeNat, reserved, 6to4, teredo, rfc6052 NAT64...) is refused.
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries.
 */
export function refusedAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return `${address} is not an IP address`;
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : `${parsed.toString()} is not a public address (${range})`;
}
