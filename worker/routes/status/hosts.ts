import type { Context, MiddlewareHandler } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { findProjectBySlug } from '../../domain/projects/index.js'
import { isAppHost, isAppPath } from '../../domain/incidents/index.js'
import { slugForVerifiedDomain } from '../../domain/incidents/index.js'
import { DatabaseUnavailableError, errorBody, isDatabaseOutage, isRefusal, sendError } from '../../http/errors.js'
import { browserUrl } from '../../http/origin.js'
import { statusNotFound } from './site.js'
import { siteRoutes } from './site-routes.js'

const HOST_CACHE_MS = 30_000

/** Forgets cached host answers after a custom domain changed (other instances catch up within 30 s). */
export function forgetStatusHosts(deps: Pick<Deps, 'statusHosts'>) {
  deps.statusHosts.clear()
}

/**
 * Serves a status site at the root of its own host: `<slug>.<STATUS_DOMAIN>` or a project's
 * verified custom domain. Other hosts — and, on every host, the app's own paths (/api, /v1,
 * /dashboard, /widget*, /health, /openapi.json) — pass through to the app untouched.
 */
export function statusHostMiddleware(deps: Deps): MiddlewareHandler {
  const suffix = `.${deps.config.statusDomain.toLowerCase()}`
  // host → slug (or null for "not a status host"), briefly cached so app traffic costs no query.
  // Per entry (Deps.statusHosts). Holds no I/O, only answers, so it is safe on Workers.
  const cache = deps.statusHosts
  const publicHost = (() => {
    try {
      return new URL(deps.config.publicUrl).hostname.toLowerCase()
    } catch {
      return undefined
    }
  })()

  async function slugForHost(host: string): Promise<string | undefined> {
    if (host === publicHost) return undefined // the deployment's own address is never a status site
    if (host.endsWith(suffix)) {
      const label = host.slice(0, -suffix.length)
      return /^[a-z0-9][a-z0-9-]{0,62}$/.test(label) ? label : undefined
    }
    if (isAppHost(host, deps.config)) return undefined
    const now = deps.clock.now()
    const cached = cache.get(host)
    if (cached && cached.until > now) return cached.slug ?? undefined
    // Only verified domains are served (unique across projects: one answer at most).
    const slug = await slugForVerifiedDomain(deps.db.orm, host)
    if (cache.size > 1000) cache.clear()
    cache.set(host, { slug: slug ?? null, until: now + HOST_CACHE_MS })
    return slug
  }

  const site = siteRoutes(deps, async (c) => {
    const slug = await slugForHost(hostOf(c, deps))
    const project = slug ? await findProjectBySlug(deps.db.orm, slug) : undefined
    return project ? { project, base: '' } : undefined
  })
  site.onError((error, c) => {
    if (isRefusal(error)) return sendError(c, error)
    if (isDatabaseOutage(error)) return sendError(c, new DatabaseUnavailableError(error))
    console.error(`status host error: ${(error as Error)?.stack ?? error}`)
    return c.json(errorBody('internal_error', 'Something went wrong on our side.'), 500)
  })
  site.notFound((c) => statusNotFound(c, 'Not found.'))

  return async (c, next) => {
    if (isAppPath(c.req.path)) return next()
    const host = hostOf(c, deps)
    if (!host || !(await slugForHost(host))) return next()
    return site.fetch(c.req.raw, c.env)
  }
}

/**
 * The host the browser addressed: the request URL's (built from Host on Node; what the platform
 * routed on Workers, where a proxy may rewrite the Host header), or X-Forwarded-Host from a
 * trusted proxy (EARSHOT_TRUST_PROXY).
 */
function hostOf(c: Context, deps: Deps): string {
  return browserUrl(c, deps.config).hostname.toLowerCase()
}
