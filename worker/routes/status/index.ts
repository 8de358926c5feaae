import { Hono } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { findProjectBySlug } from '../../domain/projects/index.js'
import { siteRoutes } from './site-routes.js'

// Status sites, one file per job: site.ts finds the site (project, language, private view) and
// holds its caches, pages.ts the page, incidents, Statuspage's JSON API and feeds,
// subscriptions.ts the e-mail subscription forms, site-routes.ts puts them together, hosts.ts
// serves a site at the root of its own host.
export { forgetStatusHosts, statusHostMiddleware } from './hosts.js'
export { statusNotFound } from './site.js'

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
