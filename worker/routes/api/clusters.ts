import { Hono } from 'hono'
import { z } from 'zod'
import { CLUSTER_STATUSES } from '../../db/schema/index.js'
import { getCluster, listClusterReports, listClusters, setClusterStatus } from '../../domain/clusters.js'
import type { Deps } from '../../domain/deps.js'
import { listProjects } from '../../domain/projects.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, type ApiEnv, workspaceIdsOf } from './context.js'
import { clusterJson, reportJson } from './serialize.js'

const ListQuery = z.object({
  project_id: z.string().max(64).optional(),
  status: z.enum(CLUSTER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
const ReportsQuery = z.object({ before: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
const StatusInput = z.object({ status: z.enum(CLUSTER_STATUSES) })

export function clusterRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get('/clusters', validate('query', ListQuery), async (c) => {
    const q = c.req.valid('query')
    const responder = c.get('responder')
    const projectIds = q.project_id
      ? [(await projectFor(deps, responder, q.project_id, 'viewer')).id]
      : (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w)))).flat().map((p) => p.id)
    const list = await listClusters(deps.db.orm, projectIds, { status: q.status, limit: q.limit })
    return c.json({ clusters: list.map(clusterJson) })
  })

  /** Loads a cluster and checks the responder may act on it with at least `role`. */
  async function clusterFor(c: { get(k: 'responder'): ApiEnv['Variables']['responder'] }, id: string, role: Parameters<typeof projectFor>[3]) {
    const cluster = await getCluster(deps.db.orm, id)
    if (!cluster) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, c.get('responder'), cluster.projectId, role)
    return cluster
  }

  app.get('/clusters/:id', validate('query', ReportsQuery), async (c) => {
    const cluster = await clusterFor(c, c.req.param('id'), 'viewer')
    const q = c.req.valid('query')
    const reports = await listClusterReports(deps.db.orm, cluster.id, { before: q.before, limit: q.limit })
    return c.json({ cluster: clusterJson(cluster), reports: reports.map(reportJson) })
  })

  app.post('/clusters/:id/status', validate('json', StatusInput), async (c) => {
    const cluster = await clusterFor(c, c.req.param('id'), 'responder')
    await setClusterStatus(deps, cluster.id, c.req.valid('json').status)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
  })

  return app
}
