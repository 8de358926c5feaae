import type { Context } from 'hono'
import type { Config } from '../config.js'

// Behind a TLS-terminating proxy Node sees `http://<internal host>` while the browser is on
// `https://earshot.example.com`. With EARSHOT_TRUST_PROXY set, the proxy's X-Forwarded-Proto and
// X-Forwarded-Host say what the browser used; without it those headers are never believed (anyone
// could send them). On Workers the request URL already is what the browser used.

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i

/** The last value of a comma-separated forwarding header: the one our own (nearest) proxy set. */
function lastValue(header: string | undefined): string | undefined {
  const v = header?.split(',').pop()?.trim()
  return v || undefined
}

/** Scheme and host as the browser saw them. */
export function browserUrl(
  c: Context,
  config: Pick<Config, 'trustProxy'>,
): { protocol: 'http:' | 'https:'; host: string; hostname: string; origin: string } {
  const url = new URL(c.req.url)
  let protocol = url.protocol === 'https:' ? 'https:' : ('http:' as 'http:' | 'https:')
  let host = url.host
  if (config.trustProxy) {
    const proto = lastValue(c.req.header('x-forwarded-proto'))?.toLowerCase()
    if (proto === 'https' || proto === 'http') protocol = `${proto}:`
    const forwardedHost = lastValue(c.req.header('x-forwarded-host'))
    if (forwardedHost && HOST.test(forwardedHost)) host = forwardedHost.toLowerCase()
  }
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  return { protocol, host, hostname, origin: `${protocol}//${host}` }
}

/** Did the browser use https (so cookies get `Secure`)? */
export function isHttps(c: Context, config: Pick<Config, 'trustProxy'>): boolean {
  return browserUrl(c, config).protocol === 'https:'
}

/**
 * A browser's `Origin` is ours when it is the origin the browser addressed (through a trusted
 * proxy, as the proxy reports it) or PUBLIC_URL's origin — the address the dashboard is served at.
 */
export function isOwnOrigin(c: Context, config: Pick<Config, 'trustProxy' | 'publicUrl'>, origin: string): boolean {
  if (origin === browserUrl(c, config).origin) return true
  return !!config.publicUrl && origin === publicOrigin(config)
}

export function publicOrigin(config: Pick<Config, 'publicUrl'>): string | undefined {
  try {
    return config.publicUrl ? new URL(config.publicUrl).origin : undefined
  } catch {
    return undefined
  }
}

/** Refuses a state-changing request whose Origin header names another site. */
export function isCrossOrigin(c: Context, config: Pick<Config, 'trustProxy' | 'publicUrl'>): boolean {
  const origin = c.req.header('origin')
  return !!origin && !isOwnOrigin(c, config, origin)
}
