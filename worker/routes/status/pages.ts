import { Hono, type Context } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { loadPublicIncident } from '../../domain/incidents/index.js'
import { conditional } from '../../http/etag.js'
import { describe, error as apiError, json, notModified } from '../../http/openapi.js'
import { atomFeed, rssFeed } from './feeds.js'
import { rendered, siteView, type SiteEnv, type SiteView } from './site.js'
import { STATUSPAGE_SCHEMAS, statuspageApi } from './summary.js'
import { incidentPage, messagePage, statusPage } from './views.js'

/** What a status site shows: the page, one incident, Statuspage's JSON API and the feeds. */
export function statusPageViews(deps: Deps) {
  const app = new Hono<SiteEnv>()
  const view = (c: Context<SiteEnv>) => siteView(deps, c)

  app.get('/', async (c) =>
    c.html(await rendered(deps, c, async () => String(await statusPage(c.get('site'), await view(c))))),
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
  const jsonView = (build: (v: SiteView, pageUrl: string) => unknown) => async (c: Context<SiteEnv>) => {
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Access-Control-Expose-Headers', 'ETag')
    const body = await rendered(deps, c, async () => JSON.stringify(build(await view(c), c.get('pageUrl'))))
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
    const body = await rendered(deps, c, async () =>
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

  return app
}
