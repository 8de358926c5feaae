// A leaf module: abuse limits (worker/http/rate-limit.ts) and surge people counting
// (domain/surge/client-key.ts) must agree on what "one client" is.
import ipaddr from 'ipaddr.js'

/**
 * One client = one IPv4 address, or one IPv6 /64 (a home or phone gets a whole /64 and can pick
 * any address in it). Unparseable values are used as given.
 */
export function clientNetwork(address: string): string {
  const bare = address.trim().toLowerCase()
  if (!ipaddr.isValid(bare)) return bare
  const ip = ipaddr.process(bare) // IPv4-mapped IPv6 → IPv4
  if (ip.kind() === 'ipv4') return ip.toString()
  return `${(ip as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`
}
