import type { Config } from '../../config.js'

// Host names that belong to the deployment itself. A project may never claim one as its custom
// status domain, and the status-host middleware never serves one as a status site: otherwise a
// project could take over the dashboard's and the widget's own address.

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-f:.]*:[0-9a-f:.]*\]?)$/i

const hostnameOf = (url: string) => {
  try {
    return url ? new URL(url).hostname.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** Why `domain` can never be a custom status domain (undefined: it may be claimed). */
export function reservedHostReason(
  domain: string,
  config: Pick<Config, 'publicUrl' | 'statusDomain'>,
  requestHosts: string[] = [],
): string | undefined {
  const host = domain.toLowerCase().replace(/\.$/, '')
  const statusDomain = config.statusDomain.toLowerCase()
  if (IP_LITERAL.test(host)) return 'an IP address cannot be a custom domain'
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name cannot be a custom domain'
  if (host === statusDomain || host.endsWith(`.${statusDomain}`))
    return `${statusDomain} addresses are built in; use your own domain`
  if (host === hostnameOf(config.publicUrl)) return "this is the deployment's own address (PUBLIC_URL)"
  if (requestHosts.some((h) => h.toLowerCase() === host)) return 'this is the address the dashboard is served from'
  return undefined
}

/** Hosts that are never looked up as a custom domain at serving time. */
export function isAppHost(host: string, config: Pick<Config, 'publicUrl' | 'statusDomain'>): boolean {
  return reservedHostReason(host, config) !== undefined
}

/**
 * Paths that always reach the app, even on a status host: a status site must never shadow the
 * dashboard, its API, the widget, the public API or the health check (the widget would read a
 * status site's 404 as a refusal and drop a customer's report). `/api/v2/…` stays the status site's
 * Statuspage-compatible JSON; the dashboard API has no v2.
 */
export function isAppPath(path: string): boolean {
  if (path === '/api' || (path.startsWith('/api/') && !path.startsWith('/api/v2/'))) return true
  return /^\/(v1|dashboard|health)(\/|$)/.test(path) || path.startsWith('/widget') || path === '/openapi.json'
}
