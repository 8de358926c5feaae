// Webhook URLs are typed in by users, and the server then calls them: without a guard, anyone with
// the owner role could make Earshot call into the network it runs in (cloud metadata, databases,
// admin panels). Outside development every target must be a public address.
//
// Two layers:
// - `checkTargetUrl` (both runtimes, at creation and before every delivery): scheme, credentials,
//   IP literals in any spelling, and names that are internal by definition.
// - On Node the request is made by `nodeWebhookFetch` (node-fetch.ts, injected by the Node entry):
//   it resolves the name once, refuses if any address is not public, and connects to exactly the
//   address it checked, so a name re-pointed between the check and the connection (DNS
//   rebinding) gains nothing. On Cloudflare Workers outbound `fetch()` cannot reach private
//   networks or loopback at all (the runtime connects from Cloudflare's edge), so the URL check
//   is the whole guard there.
import ipaddr from 'ipaddr.js'
import type { Config } from '../../config.js'

export class UnsafeTargetError extends Error {}

/** Development and tests post to local receivers; everything else is checked. */
export function allowsPrivateTargets(config: Pick<Config, 'environment'>): boolean {
  return config.environment !== 'production'
}

/** IPv6 global unicast (2000::/3): everything outside it is loopback, mapped, local or reserved. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3')

/**
 * True only for an address on the public internet: ipaddr.js names every special range (loopback,
 * private, CGNAT, link-local, unique-local, multicast, NAT64 64:ff9b::/96 and /48, 6to4, Teredo,
 * documentation, benchmarking, reserved …) and only plain `unicast` passes. IPv4-mapped IPv6 is
 * judged as the IPv4 address it maps; IPv6 must also be global unicast, which refuses the
 * deprecated IPv4-compatible form (`::7f00:1`) that ipaddr.js would call unicast. Anything that
 * does not parse is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare).range() === 'unicast'
  if (!ipaddr.IPv6.isValid(bare) || bare.includes('%')) return false // zone ids only name local links
  const v6 = ipaddr.IPv6.parse(bare)
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast'
  return v6.match(GLOBAL_UNICAST) && v6.range() === 'unicast'
}

export const isPrivateAddress = (address: string): boolean => !isPublicAddress(address)

/** Names that never point at the public internet (RFC 6761/6762/8375 and common internal zones). */
const PRIVATE_NAMES =
  /(^|\.)(localhost|local|internal|intranet|lan|home|home\.arpa|corp|localdomain|arpa|test|invalid|onion)$/

/** Is this URL hostname an IP literal? The URL parser already turned 0x7f.1 or 2130706433 into dotted quads. */
export function hostIsAddress(hostname: string): boolean {
  return hostname.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(hostname)
}

/** Checks the URL itself: scheme, credentials, literal IPs and obviously internal names. */
export function checkTargetUrl(raw: string, config: Pick<Config, 'environment'>): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UnsafeTargetError('not a valid URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UnsafeTargetError('only http(s) URLs can receive webhooks')
  if (url.username || url.password) throw new UnsafeTargetError('credentials in the URL are not allowed')
  if (allowsPrivateTargets(config)) return url
  if (url.protocol !== 'https:') throw new UnsafeTargetError('webhooks must use https')
  const host = url.hostname
  if (hostIsAddress(host)) {
    if (!isPublicAddress(host))
      throw new UnsafeTargetError('private, loopback and internal addresses cannot receive webhooks')
    return url
  }
  // `localhost.` is localhost: a trailing dot only makes the name absolute.
  const name = host.replace(/\.+$/, '')
  if (!name.includes('.') || PRIVATE_NAMES.test(name)) {
    throw new UnsafeTargetError('private, loopback and internal addresses cannot receive webhooks')
  }
  return url
}
