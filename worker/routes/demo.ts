import { Hono } from 'hono'
import type { Deps } from '../domain/shared/index.js'
import { findProjectBySlug } from '../domain/projects/index.js'
import { DEMO_SLUG } from '../demo/seed.js'
import { DEMO_CSS, demoPage } from '../demo/page.js'

/** `/`: the demo host page with the demo project's key, when the demo is on. */
export function demoRoutes(deps: Deps) {
  const app = new Hono()
  app.get('/', async (c, next) => {
    if (!deps.config.demo) return next()
    const project = await findProjectBySlug(deps.db.orm, DEMO_SLUG)
    if (!project) return next()
    return c.html(
      demoPage({
        publicKey: project.publicKey,
        release: 'acme-shop@2026.11.3',
        dashboardUrl: '/dashboard/',
        statusUrl: `/status/${DEMO_SLUG}`,
      }),
    )
  })
  app.get('/demo.css', (c) =>
    c.body(DEMO_CSS, 200, { 'Content-Type': 'text/css; charset=UTF-8', 'Cache-Control': 'public, max-age=300' }),
  )
  return app
}
