import { Hono } from 'hono'
import { screenshotCount } from '../../../domain/reports/index.js'
import {
  clusterBreakdowns,
  listClusterReports,
  reportTimeline,
  sourceBreakdown,
  undoableMerges,
} from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import { getIncident } from '../../../domain/incidents/index.js'
import { listMembers } from '../../../domain/access/index.js'
import { activeSurges, listDeploys, listSurges, topicSurgeViews } from '../../../domain/surge/index.js'
import { conditional } from '../../../http/etag.js'
import { describe, error, json, notModified } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import { ClusterPageOut, ReportPage, ReportsQuery } from '../../../http/schemas/clusters.js'
import { validate } from '../../../http/validate.js'
import { projectFor, type ApiEnv, type Principal } from '../context.js'
import { clusterPageJson } from './serialize.js'
import { clusterFor, reportsWithAttachments } from './shared.js'

/** One cluster's page and its reports, a page at a time (viewers). */
export function clusterPageRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  async function assigneeOf(projectId: string, assigneeId: string, responder: Principal) {
    const project = await projectFor(deps, responder, projectId, 'viewer')
    const m = (await listMembers(deps.db.orm, project.workspaceId)).find((x) => x.id === assigneeId)
    return m ? { id: m.id, name: m.name, email: m.email } : undefined
  }

  app.get(
    '/clusters/:id',
    describe({
      id: 'getCluster',
      tag: 'clusters',
      auth: 'session',
      summary: 'One cluster: its latest reports, breakdowns, timeline with deploys, incident and assignee (ETag)',
      responses: { '200': json(ClusterPageOut, 'The cluster page'), '304': notModified, '404': error('not_found') },
    }),
    conditional(),
    async (c) => {
      const cluster = await clusterFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      const now = deps.clock.now()
      const [reports, breakdowns, source, timeline, deploys, surges, incident, assignee, screenshots, undoable] =
        await Promise.all([
          listClusterReports(deps.db.orm, cluster.id, { limit: 25 }),
          clusterBreakdowns(deps.db.orm, cluster.id),
          sourceBreakdown(deps.db.orm, cluster.id),
          reportTimeline(deps.db.orm, cluster, now),
          listDeploys(deps.db.orm, cluster.projectId, 50),
          listSurges(deps.db.orm, cluster.projectId, { clusterId: cluster.id, limit: 1, now }),
          cluster.incidentId ? getIncident(deps.db.orm, cluster.incidentId) : undefined,
          cluster.assigneeId ? assigneeOf(cluster.projectId, cluster.assigneeId, c.get('responder')) : undefined,
          screenshotCount(deps.db.orm, cluster.id),
          undoableMerges(deps.db.orm, cluster.id, now),
        ])
      // Topic surges this cluster is part of (the word, the other clusters, a merge): see topic-view.ts.
      const projectTopics = (await activeSurges(deps.db.orm, [cluster.projectId], now)).filter(
        (s) => s.scope === 'topic',
      )
      const topics = (await topicSurgeViews(deps.db.orm, projectTopics, now)).filter((t) =>
        t.clusters.some((x) => x.id === cluster.id),
      )
      return c.json(
        clusterPageJson({
          cluster,
          surge: surges.find((s) => s.active),
          screenshots,
          topics,
          reports: await reportsWithAttachments(deps, reports),
          nextBefore: reports.length === 25 ? reports[reports.length - 1]!.id : null,
          breakdowns,
          source,
          timeline,
          deploys,
          incident,
          assignee,
          undoable,
        }),
      )
    },
  )

  app.get(
    '/clusters/:id/reports',
    describe({
      id: 'listClusterReports',
      tag: 'clusters',
      auth: 'session',
      summary: 'A cluster’s reports, newest first, a page at a time',
      responses: { '200': json(ReportPage, 'One page'), '404': error('not_found') },
    }),
    validate('query', ReportsQuery),
    async (c) => {
      const cluster = await clusterFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      const q = c.req.valid('query')
      const limit = q.limit ?? 25
      const reports = await listClusterReports(deps.db.orm, cluster.id, { before: q.before, limit })
      return c.json({
        reports: await reportsWithAttachments(deps, reports),
        next_before: reports.length === limit ? reports[reports.length - 1]!.id : null,
      } satisfies Out<typeof ReportPage>)
    },
  )

  return app
}
