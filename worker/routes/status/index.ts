import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { Deps } from '../../domain/shared/index.js'
import { canSendEmail } from '../../domain/notifications/index.js'
import { findProjectBySlug, projectSettings, type Project } from '../../domain/projects/index.js'
import { cachedStatus } from '../../domain/incidents/index.js'
import { assertComponentsOf } from '../../domain/incidents/index.js'
import { isAppHost, isAppPath } from '../../domain/incidents/index.js'
import { slugForVerifiedDomain } from '../../domain/incidents/index.js'
import { statusPageUrl } from '../../domain/incidents/index.js'
import {
  messagesFor,
  pickLang,
  projectStatusLang,
  type Catalog,
  type StatusLang,
} from '../../domain/incidents/index.js'
import { loadPublicIncident, loadStatusView } from '../../domain/incidents/index.js'
import {
  confirmSubscription,
  findByUnsubscribeToken,
  subscribeEmail,
  unsubscribe,
} from '../../domain/incidents/index.js'
import { isValidStatusToken } from '../../domain/incidents/index.js'
import { limitBody } from '../../http/body-limit.js'
import { conditional } from '../../http/etag.js'
import { browserUrl, isHttps } from '../../http/origin.js'
import {
  ApiError,
  errorBody,
  isDatabaseOutage,
  isRefusal,
  sendError,
  DatabaseUnavailableError,
} from '../../http/errors.js'
import { atomFeed, rssFeed } from './feeds.js'
import { STATUSPAGE_SCHEMAS, statuspageApi } from './summary.js'
import { LOCAL_TIME_JS } from './local-time.js'
import { incidentPage, messagePage, notFoundPage, statusPage, type Site } from './views.js'
import { describe, error as apiError, json, notModified } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const OkOut = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' })
const SubscribeOut = z
  .object({ ok: z.literal(true), queued: z.boolean(), email_configured: z.boolean(), message: z.string() })
  .meta({ id: 'SubscribeAccepted' })

type SiteEnv = {
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
const wantsHtml = (c: Context) => /\btext\/html\b/i.test(c.req.header('accept') ?? '')

/** This GET page's path and query without `lang` (the language switch's target). */
function hereWithoutLang(c: Context, fallback: string): string {
  if (c.req.method !== 'GET') return fallback || '/'
  const url = new URL(c.req.url)
  url.searchParams.delete('lang')
  return `${url.pathname}${url.search}`
}

/** 404 for an address with no status page: an HTML page in the visitor's language for browsers, JSON for API clients. */
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
const Email = z.email().max(320)

/**
 * Finds the project a request is for and how its links are rooted: by the `:slug` path parameter
 * (`/status/<slug>/…`) or by the Host (`<slug>.<STATUS_DOMAIN>` or a custom domain, served at `/`).
 * Then decides whether the viewer may see private incidents (a valid status-page token).
 */
function resolveSite(
  deps: Deps,
  find: (c: Context) => Promise<{ project: Project; base: string } | undefined>,
): MiddlewareHandler<SiteEnv> {
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

async function formOrJson(c: Context): Promise<{ fields: Record<string, string | string[]>; json: boolean }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/json') {
    const body = (await c.req.json().catch(() => {
      throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.')
    })) as Record<string, unknown>
    const components = Array.isArray(body?.components) ? body.components.map(String) : []
    return { fields: { email: String(body?.email ?? ''), component: components }, json: true }
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    // A malformed form body is the sender's mistake: 400, not a 500 (found by test/trust/fuzz.test.ts).
    const body = await c.req.parseBody({ all: true }).catch(() => {
      throw new ApiError(400, 'invalid_body', 'The form body could not be read.')
    })
    const fields: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(body)) fields[k] = Array.isArray(v) ? v.map(String) : String(v)
    return { fields, json: false }
  }
  if (c.req.header('content-length') === '0' || !type) return { fields: {}, json: false }
  throw new ApiError(415, 'unsupported_media_type', 'Send a form or JSON.')
}

/** Every page of one status site, relative to its root. */
function siteRoutes(deps: Deps, find: (c: Context) => Promise<{ project: Project; base: string } | undefined>) {
  const app = new Hono<SiteEnv>()
  // The same for every project: answered before the site lookup (no query), cached a day.
  app.get('/local-time.js', (c) =>
    c.body(LOCAL_TIME_JS, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }),
  )
  app.use('*', resolveSite(deps, find))

  // Public views are cached for a moment (see domain/incidents/cache.ts); private ones never are.
  const minute = () => Math.floor(deps.clock.now() / 60_000)
  const view = (c: Context<SiteEnv>) => {
    const load = () =>
      loadStatusView(deps.db.orm, c.get('project'), deps.clock.now(), { includePrivate: c.get('includePrivate') })
    return c.get('includePrivate') ? load() : cachedStatus(deps, `view:${c.get('project').id}:${minute()}`, load)
  }
  const rendered = (c: Context<SiteEnv>, build: () => Promise<string>) =>
    c.get('includePrivate')
      ? build()
      : cachedStatus(deps, `body:${c.req.path}:${c.get('pageUrl')}:${c.get('lang')}:${minute()}`, build)

  app.get('/', async (c) =>
    c.html(await rendered(c, async () => String(await statusPage(c.get('site'), await view(c))))),
  )

  app.get('/incidents/:id', async (c) => {
    const incident = await loadPublicIncident(
      deps.db.orm,
      c.get('project').id,
      c.req.param('id'),
      c.get('includePrivate'),
    )
    if (!incident)
      return c.html(
        messagePage(c.get('project'), c.get('site'), c.get('t').incidentNotFound, c.get('t').incidentNotFoundText),
        404,
      )
    return c.html(incidentPage(c.get('site'), c.get('project'), incident))
  })

  // Statuspage-compatible JSON, readable from any origin (it holds only public data, or the
  // private view for a bearer token sent without cookies). Pollers (status clients, feed readers)
  // revalidate with If-None-Match and get a bodiless 304 (`conditional`, hono's ETag semantics).
  const jsonView =
    (build: (v: Awaited<ReturnType<typeof view>>, pageUrl: string) => unknown) => async (c: Context<SiteEnv>) => {
      c.header('Access-Control-Allow-Origin', '*')
      c.header('Access-Control-Expose-Headers', 'ETag')
      const body = await rendered(c, async () => JSON.stringify(build(await view(c), c.get('pageUrl'))))
      return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' })
    }
  app.options('/api/v2/*', (c) => {
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Access-Control-Allow-Methods', 'GET, OPTIONS')
    c.header('Access-Control-Allow-Headers', 'Authorization')
    c.header('Access-Control-Max-Age', '600')
    return c.body(null, 204)
  })
  // Statuspage's whole public API: summary, status, components, incidents (+ unresolved),
  // scheduled maintenances (+ upcoming, active).
  for (const [name, build] of Object.entries(statuspageApi)) {
    const { id, summary, schema } = STATUSPAGE_SCHEMAS[name as keyof typeof STATUSPAGE_SCHEMAS]
    const doc = describe({
      id,
      tag: 'status',
      auth: 'statusToken',
      summary,
      responses: {
        '200': json(schema, 'Statuspage’s shape; every field present, null where Earshot has none (ETag)'),
        '304': notModified,
        '404': apiError('not_found: no such status page'),
      },
    })
    app.get(`/api/v2/${name}`, doc, conditional(), jsonView(build))
  }

  const feed = (kind: 'atom' | 'rss') => async (c: Context<SiteEnv>) => {
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Access-Control-Expose-Headers', 'ETag')
    // The feed's own link from the page's canonical address (PUBLIC_URL or the verified domain), never the Host.
    const self = `${c.get('pageUrl')}${c.req.path.slice(c.get('base').length)}`
    const body = await rendered(c, async () =>
      kind === 'atom'
        ? atomFeed(await view(c), c.get('pageUrl'), self, c.get('lang'))
        : rssFeed(await view(c), c.get('pageUrl'), self, c.get('lang')),
    )
    return c.body(body, 200, {
      'Content-Type': kind === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8',
    })
  }
  app.get('/feed.atom', conditional(), feed('atom'))
  app.get('/feed.rss', conditional(), feed('rss'))
  app.get('/history.atom', conditional(), feed('atom'))
  app.get('/history.rss', conditional(), feed('rss'))

  // Subscribing works from a plain HTML form (no JavaScript) and from JSON clients.
  const formBody = (fields: Record<string, unknown>, required: string[]) => ({
    required: true,
    content: {
      'application/x-www-form-urlencoded': { schema: { type: 'object', required, properties: fields } },
      'application/json': { schema: { type: 'object', required, properties: fields } },
    },
  })
  const formDoc = (
    id: string,
    summary: string,
    ok: ReturnType<typeof json>,
    body: ReturnType<typeof formBody>,
    fail: Record<string, ReturnType<typeof apiError>>,
  ) =>
    describe({
      id,
      tag: 'status',
      auth: 'open',
      summary,
      description: 'A plain HTML form gets an HTML page back; a JSON body gets JSON.',
      requestBody: body,
      responses: { '200': ok, '202': ok, '404': apiError('not_found: no such status page'), ...fail },
    })
  const subscribeDoc = formDoc(
    'subscribeToStatus',
    'Subscribe an e-mail address to the status page (double opt-in: a confirmation link is sent)',
    json(SubscribeOut, 'Accepted; the confirmation link is sent, or queued when e-mail is not configured'),
    formBody(
      {
        email: { type: 'string', format: 'email' },
        component: {
          description: 'Component ids (repeat the field); none = all',
          oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        },
        components: { type: 'array', items: { type: 'string' } },
      },
      ['email'],
    ),
    { '400': apiError('invalid_body, invalid_json') },
  )
  app.post('/subscribe', subscribeDoc, limitBody(16 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const project = c.get('project')
    const t = c.get('t')
    const email = Email.safeParse(String(fields.email ?? '').trim())
    const componentIds = ([] as string[])
      .concat(fields.component ?? [])
      .filter(Boolean)
      .slice(0, 100)
    const fail = (message: string) => {
      if (json) throw new ApiError(400, 'invalid_body', message)
      return c.html(messagePage(project, c.get('site'), t.failed, message), 400)
    }
    if (!email.success) return fail(json ? 'Please enter a valid e-mail address.' : t.invalidEmail)
    if (!(await assertComponentsOf(deps.db.orm, project.id, componentIds)))
      return fail(json ? 'One of the chosen components does not exist.' : t.unknownComponent)
    // The subscriber's e-mails go in the language the page was read in.
    await subscribeEmail(deps, project, { email: email.data, componentIds, locale: c.get('lang') })
    // Honest: without an e-mail provider nothing leaves yet, so never say "we sent" (the link waits in the outbox).
    if (!canSendEmail(deps)) {
      const queued = `Your confirmation link for ${email.data} is queued: this status page cannot send e-mail yet (e-mail is not configured). It will be sent once it is.`
      if (json)
        return c.json(
          { ok: true, queued: true, email_configured: false, message: queued } satisfies Out<typeof SubscribeOut>,
          202,
        )
      return c.html(messagePage(project, c.get('site'), t.queuedTitle, t.queuedText(email.data)), 202)
    }
    if (json)
      return c.json(
        {
          ok: true,
          queued: false,
          email_configured: true,
          message: 'Check your inbox to confirm the subscription.',
        } satisfies Out<typeof SubscribeOut>,
        202,
      )
    return c.html(messagePage(project, c.get('site'), t.checkInbox, t.checkInboxText(email.data)), 202)
  })

  // Links in e-mails open a page with a button; the POST does the change, so mail scanners that
  // prefetch links neither confirm nor unsubscribe anyone.
  app.get('/subscribe/confirm', (c) => {
    const token = c.req.query('token') ?? ''
    const t = c.get('t')
    return c.html(
      messagePage(c.get('project'), c.get('site'), t.confirmTitle, t.confirmText(c.get('project').name), {
        label: t.confirmButton,
        url: `${c.get('site').base}/subscribe/confirm`,
        fields: { token },
      }),
    )
  })
  const tokenBody = formBody({ token: { type: 'string' } }, ['token'])
  const confirmDoc = formDoc(
    'confirmStatusSubscription',
    'Confirm a subscription (the link’s token; also ?token=)',
    json(OkOut, 'Confirmed'),
    tokenBody,
    { '404': apiError('invalid_token') },
  )
  app.post('/subscribe/confirm', confirmDoc, limitBody(8 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const token = String(fields.token ?? c.req.query('token') ?? '')
    const row = await confirmSubscription(deps, c.get('project').id, token)
    if (!row) {
      if (json) throw new ApiError(404, 'invalid_token', 'This confirmation link is not valid (any more).')
      return c.html(
        messagePage(c.get('project'), c.get('site'), c.get('t').linkInvalid, c.get('t').confirmInvalid),
        404,
      )
    }
    if (json) return c.json({ ok: true } satisfies Out<typeof OkOut>)
    return c.html(
      messagePage(
        c.get('project'),
        c.get('site'),
        c.get('t').subscribedTitle,
        c.get('t').subscribedText(row.target, c.get('project').name),
      ),
    )
  })

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token') ?? ''
    const row = await findByUnsubscribeToken(deps.db.orm, c.get('project').id, token)
    const t = c.get('t')
    if (!row) return c.html(messagePage(c.get('project'), c.get('site'), t.linkInvalid, t.unsubscribeInvalid), 404)
    return c.html(
      messagePage(
        c.get('project'),
        c.get('site'),
        t.unsubscribeTitle,
        t.unsubscribeText(c.get('project').name, row.target),
        { label: t.unsubscribeButton, url: `${c.get('site').base}/unsubscribe`, fields: { token } },
      ),
    )
  })
  // Also the RFC 8058 one-click target: mail clients POST `List-Unsubscribe=One-Click` to the link.
  const unsubscribeDoc = formDoc(
    'unsubscribeFromStatus',
    'Unsubscribe (the link’s token; also ?token=, and RFC 8058 one-click)',
    json(OkOut, 'Unsubscribed'),
    tokenBody,
    { '404': apiError('invalid_token') },
  )
  app.post('/unsubscribe', unsubscribeDoc, limitBody(8 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const token = String(fields.token ?? '') || c.req.query('token') || ''
    const ok = await unsubscribe(deps, c.get('project').id, token)
    if (!ok) {
      if (json) throw new ApiError(404, 'invalid_token', 'This unsubscribe link is not valid.')
      return c.html(
        messagePage(c.get('project'), c.get('site'), c.get('t').linkInvalid, c.get('t').unsubscribeInvalid),
        404,
      )
    }
    if (json) return c.json({ ok: true } satisfies Out<typeof OkOut>)
    return c.html(
      messagePage(c.get('project'), c.get('site'), c.get('t').unsubscribedTitle, c.get('t').unsubscribedText),
    )
  })

  // Any other address on a status site: a page for browsers, the JSON error for API clients.
  app.get('*', (c) => {
    if (!wantsHtml(c)) return c.json(errorBody('not_found', 'Not found.'), 404)
    const t = c.get('t')
    return c.html(messagePage(c.get('project'), c.get('site'), t.pageNotFound, t.pageNotFoundText), 404)
  })

  return app
}

/** `/status/<slug>/…` on the app's own host. */
export function statusRoutes(deps: Deps) {
  const app = new Hono()
  // `/status/<slug>/` (a link typed by hand or pasted with a slash) lands on the page too.
  app.get('/:slug/', (c) => {
    const url = new URL(c.req.url)
    return c.redirect(`${url.pathname.replace(/\/+$/, '')}${url.search}`, 301)
  })
  app.route(
    '/:slug',
    siteRoutes(deps, async (c) => {
      const slug = c.req.param('slug') ?? ''
      const project = /^[a-z0-9-]{1,64}$/.test(slug) ? await findProjectBySlug(deps.db.orm, slug) : undefined
      return project ? { project, base: `/status/${project.slug}` } : undefined
    }),
  )
  return app
}

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
