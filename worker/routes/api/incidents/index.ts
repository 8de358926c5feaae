import { Hono } from 'hono'
import type { Deps } from '../../../domain/shared/index.js'
import type { ApiEnv } from '../context.js'
import { componentRoutes } from './components.js'
import { incidentCoreRoutes } from './incidents.js'
import { learningRoutes } from './learning.js'
import { maintenanceRoutes } from './maintenances.js'
import { statusTokenRoutes } from './status-tokens.js'
import { subscriberRoutes } from './subscribers.js'

/**
 * Incidents and everything around them in the dashboard, one file per resource: incidents and
 * their updates, learning, components, maintenance, subscribers, status-page tokens. Viewing
 * needs the viewer role, changing the responder role; status-page tokens the owner role.
 * The order is the order of /openapi.json (and of the dashboard's generated types).
 */
export function incidentRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.route('/', incidentCoreRoutes(deps))
  app.route('/', learningRoutes(deps))
  app.route('/', componentRoutes(deps))
  app.route('/', maintenanceRoutes(deps))
  app.route('/', subscriberRoutes(deps))
  app.route('/', statusTokenRoutes(deps))
  return app
}
