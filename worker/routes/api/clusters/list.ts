import { Hono } from 'hono'
import { z } from 'zod'
import { listClusters } from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import { searchReports } from '../../../domain/triage/index.js'
import { activeSurges, topicSurgeViews } from '../../../domain/surge/index.js'
import { conditional } from '../../../http/etag.js'
import { describe, error, json, notModified } from '../../../http/openapi.js'
import { ReportOut } from '../../../http/schemas/answers.js'
import { ClusterListOut, ClusterListQuery, SearchQuery } from '../../../http/schemas/clusters.js'
import { validate } from '../../../http/validate.js'
import type { ApiEnv } from '../context.js'
import { reportJson } from '../serialize.js'
import { clusterListJson } from './serialize.js'
import { visibleProjectIds } from './shared.js'

/** The cluster list (filters, facets, whole-project and topic surges) and full-text report search. */
export function clusterListRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/clusters',
    describe({
      id: 'listClusters',
      tag: 'clusters',
      auth: 'session',
      summary: 'Clusters of the projects the caller sees, with facets and whole-project surges (ETag)',
      responses: {
        '200': json(ClusterListOut, 'Clusters, busiest first'),
        '304': notModified,
        '404': error('not_found: project_id not visible'),
      },
    }),
    conditional(),
    validate('query', ClusterListQuery),
    async (c) => {
      const q = c.req.valid('query')
      const projectIds = await visibleProjectIds(deps, c.get('responder'), q.project_id || undefined)
      const now = deps.clock.now()
      const surges = await activeSurges(deps.db.orm, projectIds, now)
      const list = await listClusters(
        deps.db.orm,
        projectIds,
        {
          status: q.status || undefined,
          range: q.range || undefined,
          release: q.release || undefined,
          route: q.route || undefined,
          q: q.q?.trim() || undefined,
          limit: q.limit,
        },
        now,
        surges,
      )
      return c.json(clusterListJson(list, surges, await topicSurgeViews(deps.db.orm, surges, now)))
    },
  )

  app.get(
    '/reports/search',
    describe({
      id: 'searchReports',
      tag: 'reports',
      auth: 'session',
      summary: 'Full-text search over reports (FTS5)',
      responses: {
        '200': json(z.object({ reports: z.array(ReportOut) }).meta({ id: 'ReportSearch' }), 'Matching reports'),
      },
    }),
    validate('query', SearchQuery),
    async (c) => {
      const q = c.req.valid('query')
      const projectIds = await visibleProjectIds(deps, c.get('responder'), q.project_id)
      const reports = await searchReports(deps.db.orm, projectIds, q.q)
      return c.json({ reports: reports.map(reportJson) })
    },
  )

  return app
}
