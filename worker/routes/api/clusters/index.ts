import { Hono } from 'hono'
import type { Deps } from '../../../domain/shared/index.js'
import type { ApiEnv } from '../context.js'
import { clusterActionRoutes } from './actions.js'
import { clusterCorrectionRoutes } from './corrections.js'
import { clusterListRoutes } from './list.js'
import { clusterMergeRoutes } from './merges.js'
import { clusterPageRoutes } from './page.js'

/**
 * Clusters in the dashboard, one file per resource group: the list and search, one cluster's
 * page, triage (status, assignee), merges and their undo, corrections (name, similar, move, not
 * related, incident link). Viewing needs the viewer role, acting the responder role.
 * The order is the order of /openapi.json (and of the dashboard's generated types).
 */
export function clusterRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.route('/', clusterListRoutes(deps))
  app.route('/', clusterPageRoutes(deps))
  app.route('/', clusterActionRoutes(deps))
  app.route('/', clusterMergeRoutes(deps))
  app.route('/', clusterCorrectionRoutes(deps))
  return app
}
