/** A dotted-quad IPv4 address, each part 0 to 255. */
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Whether a lower-case host name is one Pigeonhole serves without `--allowed-hosts`: an IP literal
 * (IPv6 in brackets), `localhost` or `*.localhost` (browsers resolve these to loopback themselves,
 * RFC 6761), or a single-label name (a Docker service name such as `pigeonhole`: no public DNS name
 * has one label, so no attacker's page can be rebound onto one). The server's Host check and the mail
 * views' "does this URL reach us" rule both read it, so they cannot drift apart.
 */
export function servedByDefault(name: string): boolean {
  return (
    name.startsWith('[') ||
    IPV4.test(name) ||
    !name.includes('.') ||
    name === 'localhost' ||
    name.endsWith('.localhost')
  );
}
