import { Hono } from 'hono'
import type { Deps } from '../../domain/deps.js'
import { clusterRoutes } from './clusters.js'
import { requireSession, type ApiEnv } from './context.js'
import { incidentRoutes } from './incidents.js'
import { meRoutes } from './me.js'
import { sessionRoutes } from './session.js'
import { webhookRoutes } from './webhooks.js'

/** The dashboard API: sign-in is open, everything else needs a session. */
export function apiRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  app.route('/', sessionRoutes(deps))
  app.use('*', requireSession(deps))
  app.route('/', meRoutes(deps))
  app.route('/', clusterRoutes(deps))
  app.route('/', incidentRoutes(deps))
  app.route('/', webhookRoutes(deps))
  return app
}
