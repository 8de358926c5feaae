import { Hono } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { errorBody } from '../../http/errors.js'
import { LOCAL_TIME_JS } from './local-time.js'
import { statusPageViews } from './pages.js'
import { resolveSite, wantsHtml, type FindSite, type SiteEnv } from './site.js'
import { subscriptionRoutes } from './subscriptions.js'
import { messagePage } from './views.js'

/** Every page of one status site, relative to its root (`/status/<slug>` or a host of its own). */
export function siteRoutes(deps: Deps, find: FindSite) {
  const app = new Hono<SiteEnv>()
  // The same for every project: answered before the site lookup (no query), cached a day.
  app.get('/local-time.js', (c) =>
    c.body(LOCAL_TIME_JS, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    }),
  )
  app.use('*', resolveSite(deps, find))
  app.route('/', statusPageViews(deps))
  app.route('/', subscriptionRoutes(deps))

  // Any other address on a status site: a page for browsers, the JSON error for API clients.
  app.get('*', (c) => {
    if (!wantsHtml(c)) return c.json(errorBody('not_found', 'Not found.'), 404)
    const t = c.get('t')
    return c.html(messagePage(c.get('project'), c.get('site'), t.pageNotFound, t.pageNotFoundText), 404)
  })

  return app
}
