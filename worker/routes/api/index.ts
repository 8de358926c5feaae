import { Hono } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { attachmentRoutes } from './attachments.js'
import { clusterRoutes } from './clusters/index.js'
import { requireSession, type ApiEnv } from './context.js'
import { incidentRoutes } from './incidents/index.js'
import { statusPageRoutes } from './status-page.js'
import { memberRoutes } from './members.js'
import { meRoutes } from './me.js'
import { outboxRoutes } from './outbox.js'
import { privacyRoutes } from './privacy.js'
import { projectRoutes } from './projects.js'
import { reportRoutes } from './reports.js'
import { tokenRoutes } from './tokens.js'
import { sessionRoutes } from './session.js'
import { webhookRoutes } from './webhooks.js'

/** The dashboard API: sign-in and invitation links are open, everything else needs a session or an API token. */
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
  app.route('/', statusPageRoutes(deps))
  app.route('/', memberRoutes(deps))
  app.route('/', tokenRoutes(deps))
  app.route('/', projectRoutes(deps))
  app.route('/', reportRoutes(deps))
  app.route('/', webhookRoutes(deps))
  app.route('/', privacyRoutes(deps))
  app.route('/', attachmentRoutes(deps))
  app.route('/', outboxRoutes(deps))
  return app
}
