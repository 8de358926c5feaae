// One status site, whichever address it is served at: the middleware that finds its project,
// language and private view (resolveSite), the short caches its pages share, and its 404.
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Deps } from '../../domain/shared/index.js'
import { projectSettings, type Project } from '../../domain/projects/index.js'
import { cachedStatus } from '../../domain/incidents/index.js'
import { statusPageUrl } from '../../domain/incidents/index.js'
import {
  messagesFor,
  pickLang,
  projectStatusLang,
  type Catalog,
  type StatusLang,
} from '../../domain/incidents/index.js'
import { loadStatusView } from '../../domain/incidents/index.js'
import { isValidStatusToken } from '../../domain/incidents/index.js'
import { errorBody } from '../../http/errors.js'
import { isHttps } from '../../http/origin.js'
import { notFoundPage, type Site } from './views.js'

/** How a status site's project is found from a request (path slug or Host) and where its links are rooted. */
export type FindSite = (c: Context) => Promise<{ project: Project; base: string } | undefined>

export type SiteEnv = {
  Variables: {
    project: Project
    site: Site
    pageUrl: string
    base: string
    includePrivate: boolean
    token?: string
    lang: StatusLang
    t: Catalog
  }
}

const TOKEN_COOKIE = 'earshot_status_token'
/** The visitor's language choice from the switch (`?lang=`), remembered for a year. */
const LANG_COOKIE = 'earshot_status_lang'

/** Browsers get pages; API clients (no text/html in Accept) get the JSON error. */
export const wantsHtml = (c: Context) => /\btext\/html\b/i.test(c.req.header('accept') ?? '')

/** This GET page's path and query without `lang` (the language switch's target). */
function hereWithoutLang(c: Context, fallback: string): string {
  if (c.req.method !== 'GET') return fallback || '/'
  const url = new URL(c.req.url)
  url.searchParams.delete('lang')
  return `${url.pathname}${url.search}`
}

/**
 * 404 for an address with no status page: an HTML page in the visitor's language for browsers,
 * JSON for API clients.
 */
export function statusNotFound(c: Context, message = 'No such status page.') {
  if (!wantsHtml(c)) return c.json(errorBody('not_found', message), 404)
  const lang = pickLang({
    query: c.req.query('lang'),
    cookie: getCookie(c, LANG_COOKIE),
    acceptLanguage: c.req.header('accept-language'),
  })
  c.header('Cache-Control', 'no-store')
  c.header('Vary', 'Accept, Accept-Language, Cookie')
  return c.html(notFoundPage(lang, hereWithoutLang(c, '/')), 404)
}

/**
 * Finds the project a request is for and how its links are rooted: by the `:slug` path parameter
 * (`/status/<slug>/…`) or by the Host (`<slug>.<STATUS_DOMAIN>` or a custom domain, served at `/`).
 * Then decides whether the viewer may see private incidents (a valid status-page token).
 */
export function resolveSite(deps: Deps, find: FindSite): MiddlewareHandler<SiteEnv> {
  return async (c, next) => {
    const found = await find(c)
    if (!found) return statusNotFound(c)
    const { project, base } = found
    // Language: ?lang= (the switch, then remembered), cookie, Accept-Language, project default, English.
    const queryLang = c.req.query('lang')
    const lang = pickLang({
      query: queryLang,
      cookie: getCookie(c, LANG_COOKIE),
      acceptLanguage: c.req.header('accept-language'),
      projectDefault: projectStatusLang(projectSettings(project)),
    })
    const setsLang = !!queryLang && lang === queryLang && c.req.method === 'GET'
    if (setsLang) setCookie(c, LANG_COOKIE, lang, { path: base || '/', sameSite: 'Lax', maxAge: 365 * 86400 })
    c.set('lang', lang)
    c.set('t', messagesFor(lang))
    const url = new URL(c.req.url)
    const queryToken = c.req.query('token')
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '')
    const cookieToken = getCookie(c, TOKEN_COOKIE)
    // Only page views take the ?token= of a status link; subscription links carry their own tokens.
    const pageToken = /\/(subscribe|unsubscribe)/.test(url.pathname) ? undefined : queryToken
    const token = pageToken || bearer || cookieToken
    const includePrivate = await isValidStatusToken(deps.db.orm, project.id, token)
    if (includePrivate && pageToken && pageToken !== cookieToken && c.req.method === 'GET') {
      const secure = isHttps(c, deps.config) || deps.config.environment === 'production'
      setCookie(c, TOKEN_COOKIE, pageToken, {
        path: base || '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        maxAge: 30 * 86400,
      })
    }
    c.set('project', project)
    c.set('includePrivate', includePrivate)
    c.set('token', includePrivate ? token : undefined)
    // Absolute links (summary.json, feeds) use the canonical address, never the request's Host.
    c.set('pageUrl', await statusPageUrl(deps.db.orm, deps.config, project))
    c.set('base', base)
    c.set('site', {
      base,
      isPrivate: includePrivate,
      tokenQuery: includePrivate && token ? `?token=${encodeURIComponent(token)}` : '',
      lang,
      here: hereWithoutLang(c, base),
    })
    await next()
    // The private view must never be cached where another viewer could get it.
    // A shared cache must never hand one visitor's Set-Cookie (the language switch) to others either.
    c.header(
      'Cache-Control',
      includePrivate
        ? 'private, no-store'
        : setsLang
          ? 'private, max-age=10'
          : 'public, max-age=10, stale-while-revalidate=30',
    )
    c.header('Vary', 'Cookie, Authorization, Accept-Language')
  }
}

// Public views are cached for a moment (see domain/incidents/cache.ts); private ones never are.
const minute = (deps: Deps) => Math.floor(deps.clock.now() / 60_000)

/** The status view the page, JSON and feeds are made from. */
export function siteView(deps: Deps, c: Context<SiteEnv>) {
  const load = () =>
    loadStatusView(deps.db.orm, c.get('project'), deps.clock.now(), { includePrivate: c.get('includePrivate') })
  return c.get('includePrivate') ? load() : cachedStatus(deps, `view:${c.get('project').id}:${minute(deps)}`, load)
}
export type SiteView = Awaited<ReturnType<typeof siteView>>

/** A rendered body (HTML, JSON, feed), cached a minute per path, address and language unless private. */
export function rendered(deps: Deps, c: Context<SiteEnv>, build: () => Promise<string>) {
  return c.get('includePrivate')
    ? build()
    : cachedStatus(deps, `body:${c.req.path}:${c.get('pageUrl')}:${c.get('lang')}:${minute(deps)}`, build)
}
