// Webhook URLs are typed in by users, and the server then calls them: without a guard, anyone with
// the owner role could make Earshot call into the network it runs in (cloud metadata, databases,
// admin panels). Outside development every target must be a public address.
import type { Config } from '../../config.js'

export class UnsafeTargetError extends Error {}

/** Development and tests post to local receivers; everything else is checked. */
export function allowsPrivateTargets(config: Pick<Config, 'environment'>): boolean {
  return config.environment !== 'production'
}

function ipv4Private(ip: string): boolean {
  const p = ip.split('.').map(Number)
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return true // malformed: refuse
  const [a, b] = p as [number, number, number, number]
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  )
}

function expandIpv6(ip: string): number[] | undefined {
  let text = ip.toLowerCase()
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/)
  if (v4) {
    const p = v4[1]!.split('.').map(Number)
    text = text.slice(0, -v4[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const fill = text.includes('::') ? 8 - h.length - t.length : 0
  const groups = [...h, ...Array(Math.max(0, fill)).fill('0'), ...t].map((g) => parseInt(g, 16))
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined
}

function ipv6Private(ip: string): boolean {
  const g = expandIpv6(ip)
  if (!g) return true
  if (g.slice(0, 7).every((x) => x === 0)) return true // :: and ::1
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return ipv4Private(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`) // IPv4-mapped
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return true // unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return true // link-local
  if ((g[0]! & 0xff00) === 0xff00) return true // multicast
  if (g[0] === 0x64 && g[1] === 0xff9b) return true // NAT64 can reach private IPv4
  if (g[0] === 0x2001 && g[1] === 0xdb8) return true // documentation
  return false
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  return bare.includes(':') ? ipv6Private(bare) : ipv4Private(bare)
}

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain)$/i

/** Checks the URL itself: scheme, credentials, literal IPs and obviously internal names. */
export function checkTargetUrl(raw: string, config: Pick<Config, 'environment'>): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UnsafeTargetError('not a valid URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeTargetError('only http(s) URLs can receive webhooks')
  if (url.username || url.password) throw new UnsafeTargetError('credentials in the URL are not allowed')
  if (allowsPrivateTargets(config)) return url
  if (url.protocol !== 'https:') throw new UnsafeTargetError('webhooks must use https')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const literal = /^[\d.]+$/.test(host) || host.includes(':')
  if (literal ? isPrivateAddress(host) : PRIVATE_NAMES.test(host) || !host.includes('.')) {
    throw new UnsafeTargetError('private, loopback and internal addresses cannot receive webhooks')
  }
  return url
}

/**
 * At delivery time on Node, the host name is resolved and every address checked, so a public name
 * that points at a private address (or is re-pointed later) is refused too. Workers cannot reach
 * private networks at all and have no resolver, so there the URL check is the guard.
 */
export async function checkResolvedTarget(url: URL, config: Pick<Config, 'environment'>): Promise<void> {
  if (allowsPrivateTargets(config)) return
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (/^[\d.]+$/.test(host) || host.includes(':')) return // literal, already checked
  const isNode = typeof (globalThis as any).process?.versions?.node === 'string' && !(globalThis as any).navigator?.userAgent?.includes('Cloudflare')
  if (!isNode) return
  const specifier = 'node:dns/promises' // a variable keeps bundlers for Workers from resolving it
  const dns = (await import(/* @vite-ignore */ specifier)) as { lookup(host: string, opts: { all: true }): Promise<{ address: string }[]> }
  const addresses = await dns.lookup(host, { all: true })
  if (addresses.some((a) => isPrivateAddress(a.address))) {
    throw new UnsafeTargetError(`${host} resolves to a private address`)
  }
}
