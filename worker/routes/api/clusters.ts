import { Hono } from 'hono'
import { z } from 'zod'
import { CLUSTER_STATUSES } from '../../domain/vocabulary.js'
import {
  assignCluster,
  clusterBreakdowns,
  getCluster,
  linkClusterToIncident,
  markClustersNotRelated,
  listClusterReports,
  listClusters,
  mergeClusterGroup,
  mergeGroupProject,
  moveReports,
  renameCluster,
  similarTo,
  undoableMerges,
  undoMergeGroup,
  RANGES,
  reportsIn,
  reportTimeline,
  setClusterStatus,
  sourceBreakdown,
  type Range,
} from '../../domain/clusters.js'
import type { Deps } from '../../domain/deps.js'
import { getIncident } from '../../domain/incidents.js'
import { searchReports } from '../../domain/search.js'
import { iso } from '../../domain/json.js'
import { listMembers } from '../../domain/members.js'
import { listProjects } from '../../domain/projects.js'
import { activeSurges, listDeploys, listSurges, topicSurgeViews } from '../../domain/surge/index.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, type ApiEnv, type Principal, workspaceIdsOf } from './context.js'
import { conditional } from '../../http/etag.js'
import { clusterJson, clusterRowJson, reportJson, surgeJson, topicSurgeJson } from './serialize.js'
import { attachmentsOf, screenshotCount } from '../../domain/attachments/read.js'
import type { Cluster, Report } from '../../domain/clusters.js'
import { UndoRefused, type MergedGroup } from '../../domain/clustering/index.js'

const id = z.string().min(1).max(64)
const ListQuery = z.object({
  project_id: z.string().max(64).optional(),
  status: z.union([z.enum(CLUSTER_STATUSES), z.literal('active'), z.literal('')]).optional(),
  range: z.union([z.enum(Object.keys(RANGES) as [Range, ...Range[]]), z.literal('')]).optional(),
  release: z.string().max(200).optional(),
  route: z.string().max(300).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
const ReportsQuery = z.object({ before: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
const StatusInput = z.object({ status: z.enum(CLUSTER_STATUSES) })
const AssignInput = z.object({ assignee_id: id.nullable() })
const MergeInput = z.object({ into_id: id })
const MergeManyInput = z.object({ into_id: id, source_ids: z.array(id).min(1).max(50) })
const RenameInput = z.object({ title: z.string().trim().min(1).max(200).nullable() })
const MoveInput = z
  .object({ report_ids: z.array(id).min(1).max(500), to_cluster_id: id.optional(), new_title: z.string().trim().min(1).max(200).optional() })
  .refine((v) => !!v.to_cluster_id !== !!v.new_title, { message: 'give either to_cluster_id or new_title' })
const LinkInput = z.object({ incident_id: id })
const NotRelatedInput = z.object({ other_id: id })

export function clusterRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  async function visibleProjectIds(responder: Principal, projectId?: string): Promise<string[]> {
    if (projectId) return [(await projectFor(deps, responder, projectId, 'viewer')).id]
    return (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w)))).flat().map((p) => p.id)
  }

  /** Reports as JSON, each with `attachment: { content_type, size } | null` (its screenshot). */
  async function reportsJson(list: Report[]) {
    const found = await attachmentsOf(deps.db.orm, list.map((r) => r.id))
    return list.map((r) => {
      const a = found.get(r.id)
      return { ...reportJson(r), attachment: a ? { content_type: a.contentType, size: a.size } : null }
    })
  }

  app.get('/clusters', conditional(), validate('query', ListQuery), async (c) => {
    const q = c.req.valid('query')
    const projectIds = await visibleProjectIds(c.get('responder'), q.project_id || undefined)
    const now = deps.clock.now()
    const surges = await activeSurges(deps.db.orm, projectIds, now)
    const list = await listClusters(
      deps.db.orm,
      projectIds,
      { status: q.status || undefined, range: q.range || undefined, release: q.release || undefined, route: q.route || undefined, q: q.q?.trim() || undefined, limit: q.limit },
      now,
      surges,
    )
    const clusters = list.map(clusterRowJson)
    const facets = { releases: topFacet(list.map((c) => c.topRelease)), routes: topFacet(list.map((c) => c.topRoute)) }
    // A whole project surging (every kind of report at once: the "site rolled back" case).
    const projectSurges = surges.filter((s) => s.scope === 'project').map((s) => ({ project_id: s.projectId, ...surgeJson(s) }))
    // A word surging across clusters: shown once, with the clusters it spans (never as one cluster's badge).
    const topicSurges = (await topicSurgeViews(deps.db.orm, surges, now)).map(topicSurgeJson)
    return c.json({ clusters, facets, project_surges: projectSurges, topic_surges: topicSurges })
  })

  app.get('/reports/search', validate('query', z.object({ q: z.string().trim().min(1).max(200), project_id: z.string().max(64).optional() })), async (c) => {
    const q = c.req.valid('query')
    const reports = await searchReports(deps.db.orm, await visibleProjectIds(c.get('responder'), q.project_id), q.q)
    return c.json({ reports: reports.map(reportJson) })
  })

  /** Loads a cluster and checks the caller may act on it with at least `role` (404 for foreign ids). */
  async function clusterFor(responder: Principal, clusterId: string, role: Parameters<typeof projectFor>[3]) {
    const cluster = await getCluster(deps.db.orm, clusterId)
    if (!cluster) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, responder, cluster.projectId, role)
    return cluster
  }

  app.get('/clusters/:id', conditional(), async (c) => {
    const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
    const now = deps.clock.now()
    const [reports, breakdowns, source, timeline, deploys, surges, incident, assignee, screenshots, undoable] = await Promise.all([
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
    const end = timeline.from + timeline.counts.length * timeline.bucketMs
    const active = surges.find((s) => s.active)
    // Topic surges this cluster is part of (the word, the other clusters, a merge): see topic-view.ts.
    const projectTopics = (await activeSurges(deps.db.orm, [cluster.projectId], now)).filter((s) => s.scope === 'topic')
    const topics = (await topicSurgeViews(deps.db.orm, projectTopics, now)).filter((t) => t.clusters.some((x) => x.id === cluster.id)).map(topicSurgeJson)
    return c.json({
      cluster: { ...clusterJson(cluster), surge: active ? surgeJson(active) : null, screenshot_count: screenshots },
      topic_surges: topics,
      reports: await reportsJson(reports),
      next_before: reports.length === 25 ? reports[reports.length - 1]!.id : null,
      breakdowns: { ...breakdowns, source },
      timeline: {
        bucket_minutes: timeline.bucketMs / 60_000,
        from: iso(timeline.from),
        counts: timeline.counts,
        deploys: deploys
          .filter((d) => d.createdAt >= timeline.from && d.createdAt < end)
          .map((d) => ({ id: d.id, release: d.release, environment: d.environment, deployed_at: iso(d.createdAt) })),
      },
      incident: incident
        ? { id: incident.id, project_id: incident.projectId, title: incident.title, impact: incident.impact, visibility: incident.visibility, status: incident.status, created_at: iso(incident.createdAt), updated_at: iso(incident.updatedAt) }
        : null,
      assignee: assignee ?? null,
      /** merges into this cluster that can still be undone */
      undoable_merges: undoable.map((m) => ({ group_id: m.groupId, undo_until: iso(m.undoUntil), reports: m.reports, clusters: m.clusters })),
    })
  })

  async function assigneeOf(projectId: string, assigneeId: string, responder: Principal) {
    const project = await projectFor(deps, responder, projectId, 'viewer')
    const m = (await listMembers(deps.db.orm, project.workspaceId)).find((x) => x.id === assigneeId)
    return m ? { id: m.id, name: m.name, email: m.email } : undefined
  }

  app.get('/clusters/:id/reports', validate('query', ReportsQuery), async (c) => {
    const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
    const q = c.req.valid('query')
    const limit = q.limit ?? 25
    const reports = await listClusterReports(deps.db.orm, cluster.id, { before: q.before, limit })
    return c.json({ reports: await reportsJson(reports), next_before: reports.length === limit ? reports[reports.length - 1]!.id : null })
  })

  app.post('/clusters/:id/status', validate('json', StatusInput), async (c) => {
    const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'responder')
    await setClusterStatus(deps, cluster.id, c.req.valid('json').status)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
  })

  app.post('/clusters/:id/assign', validate('json', AssignInput), async (c) => {
    const responder = c.get('responder')
    const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
    const assigneeId = c.req.valid('json').assignee_id
    if (assigneeId) {
      const project = await projectFor(deps, responder, cluster.projectId, 'responder')
      const member = (await listMembers(deps.db.orm, project.workspaceId)).find((m) => m.id === assigneeId)
      if (!member || (member.role !== 'owner' && member.role !== 'responder')) throw new ApiError(400, 'invalid_assignee', 'Assign to an owner or responder of this workspace.')
    }
    await assignCluster(deps, cluster.id, assigneeId)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
  })

  /** The merge as JSON: the surviving cluster and the undo handle ("Merged 3 reports · Undo"). */
  async function mergedJson(group: MergedGroup) {
    const survivor = (await getCluster(deps.db.orm, group.targetId))!
    return {
      cluster: clusterJson(survivor),
      merge: {
        group_id: group.groupId,
        undo_until: iso(group.undoUntil),
        reports: group.merged.reduce((n, m) => n + m.reports, 0),
        merged: group.merged.map((m) => ({ cluster_id: m.sourceId, reports: m.reports })),
      },
    }
  }

  /** Sources and target checked: same project, not the same cluster, not merged away already. */
  async function mergeable(responder: Principal, sourceIds: string[], intoId: string): Promise<{ target: Cluster; sources: Cluster[] }> {
    const target = await clusterFor(responder, intoId, 'responder')
    if (target.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
    const sources: Cluster[] = []
    for (const sid of new Set(sourceIds)) {
      const source = await clusterFor(responder, sid, 'responder')
      if (source.projectId !== target.projectId) throw new ApiError(400, 'different_projects', 'Only clusters of the same project can be merged.')
      if (source.id === target.id) throw new ApiError(400, 'same_cluster', 'A cluster cannot be merged into itself.')
      if (source.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged already.')
      sources.push(source)
    }
    return { target, sources }
  }

  app.post('/clusters/:id/merge', validate('json', MergeInput), async (c) => {
    const responder = c.get('responder')
    const { target, sources } = await mergeable(responder, [c.req.param('id')], c.req.valid('json').into_id)
    return c.json(await mergedJson(await mergeClusterGroup(deps, sources.map((s) => s.id), target.id, responder.id)))
  })

  /** Several clusters into one, as one action with one undo. */
  app.post('/clusters/merge', validate('json', MergeManyInput), async (c) => {
    const responder = c.get('responder')
    const input = c.req.valid('json')
    const { target, sources } = await mergeable(responder, input.source_ids, input.into_id)
    return c.json(await mergedJson(await mergeClusterGroup(deps, sources.map((s) => s.id), target.id, responder.id)))
  })

  app.post('/merges/:id/undo', async (c) => {
    const responder = c.get('responder')
    const projectId = await mergeGroupProject(deps.db.orm, c.req.param('id'))
    if (!projectId) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, responder, projectId, 'responder')
    try {
      const done = await undoMergeGroup(deps, c.req.param('id'), responder.id)
      const restored = await Promise.all(done.restored.map((rid) => getCluster(deps.db.orm, rid)))
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, done.targetId))!), restored: restored.filter((r) => !!r).map(clusterJson) })
    } catch (e) {
      if (!(e instanceof UndoRefused)) throw e
      if (e.code === 'not_found') throw new ApiError(404, 'not_found', 'Not found.')
      throw new ApiError(e.code === 'undo_expired' ? 410 : 409, e.code, e.message)
    }
  })

  app.patch('/clusters/:id', validate('json', RenameInput), async (c) => {
    const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'responder')
    if (cluster.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged; rename the one it was merged into.')
    await renameCluster(deps, cluster.id, c.req.valid('json').title)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
  })

  app.get('/clusters/:id/similar', async (c) => {
    const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
    const list = await similarTo(deps.db.orm, cluster.id)
    return c.json({
      similar: list.map((s) => ({ cluster: clusterJson(s.cluster), similarity: Math.round(s.similarity * 1000) / 1000, kept_apart: s.keptApart })),
    })
  })

  app.post('/clusters/:id/move', validate('json', MoveInput), async (c) => {
    const responder = c.get('responder')
    const source = await clusterFor(responder, c.req.param('id'), 'responder')
    const input = c.req.valid('json')
    const ids = await reportsIn(deps.db.orm, source.id, [...new Set(input.report_ids)])
    if (ids.length !== new Set(input.report_ids).size) throw new ApiError(400, 'invalid_reports', 'Every report must belong to this cluster.')
    if (input.to_cluster_id) {
      const target = await clusterFor(responder, input.to_cluster_id, 'responder')
      if (target.projectId !== source.projectId) throw new ApiError(400, 'different_projects', 'Reports can only move within their project.')
      if (target.id === source.id) throw new ApiError(400, 'same_cluster', 'The reports are already in this cluster.')
      if (target.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
    }
    const dest = await moveReports(deps, ids, { toClusterId: input.to_cluster_id, newTitle: input.new_title }, responder.id)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, dest))!) })
  })

  app.post('/clusters/:id/not-related', validate('json', NotRelatedInput), async (c) => {
    const responder = c.get('responder')
    const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
    const other = await clusterFor(responder, c.req.valid('json').other_id, 'responder')
    if (other.projectId !== cluster.projectId) throw new ApiError(400, 'different_projects', 'Both clusters must belong to the same project.')
    if (other.id === cluster.id) throw new ApiError(400, 'same_cluster', 'A cluster is always related to itself.')
    await markClustersNotRelated(deps, cluster.id, other.id, responder.id)
    return c.body(null, 204)
  })

  app.post('/clusters/:id/incident', validate('json', LinkInput), async (c) => {
    const responder = c.get('responder')
    const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
    const incident = await getIncident(deps.db.orm, c.req.valid('json').incident_id)
    // The same answer as projectFor gives for a foreign incident: no telling them apart.
    if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, responder, incident.projectId, 'responder')
    if (incident.projectId !== cluster.projectId) throw new ApiError(400, 'different_projects', 'Link clusters to incidents of the same project.')
    await linkClusterToIncident(deps, cluster.id, incident.id)
    return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
  })

  return app
}

function topFacet(values: (string | null)[]): string[] {
  const counts = new Map<string, number>()
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 30)
    .map(([v]) => v)
}
