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
import { describe, error, json, noContent, notModified } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import {
  ClusterOut,
  ClusterRowOut,
  IncidentHeadOut,
  ReportOut,
  SurgeOut,
  TopicSurgeOut,
} from '../../http/schemas/answers.js'

// What these routes answer (/openapi.json and the dashboard's types are made from these).
const ReportWithAttachment = ReportOut.extend({
  attachment: z.object({ content_type: z.string(), size: z.number() }).nullable(),
}).meta({ id: 'ReportWithAttachment' })
const Breakdown = z.array(z.object({ value: z.string().nullable(), count: z.number() }))
const ClusterListOut = z
  .object({
    clusters: z.array(ClusterRowOut),
    facets: z.object({ releases: z.array(z.string()), routes: z.array(z.string()) }),
    project_surges: z
      .array(SurgeOut.extend({ project_id: z.string() }))
      .meta({ description: 'Whole projects surging (every kind of report at once)' }),
    topic_surges: z
      .array(TopicSurgeOut)
      .meta({ description: 'Words surging across several clusters right now (never a badge on one of them)' }),
  })
  .meta({ id: 'ClusterList' })
const ClusterPageOut = z
  .object({
    cluster: ClusterOut.extend({ surge: SurgeOut.nullable(), screenshot_count: z.number() }),
    topic_surges: z.array(TopicSurgeOut).meta({ description: 'Topic surges this cluster is part of' }),
    reports: z.array(ReportWithAttachment),
    next_before: z.string().nullable(),
    breakdowns: z.object({
      route: Breakdown,
      release: Breakdown,
      browser: Breakdown,
      locale: Breakdown,
      source: Breakdown,
    }),
    timeline: z.object({
      bucket_minutes: z.number(),
      from: z.string(),
      counts: z.array(z.number()),
      deploys: z.array(
        z.object({ id: z.string(), release: z.string(), environment: z.string().nullable(), deployed_at: z.string() }),
      ),
    }),
    incident: IncidentHeadOut.omit({ may_be_back_at: true }).nullable(),
    assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    undoable_merges: z
      .array(
        z.object({
          group_id: z.string(),
          undo_until: z.string().meta({ format: 'date-time' }),
          reports: z.number(),
          clusters: z.number(),
        }),
      )
      .meta({ description: 'Merges into this cluster that can still be undone (POST /api/merges/{id}/undo)' }),
  })
  .meta({ id: 'ClusterPage' })
const ReportPage = z
  .object({
    reports: z.array(ReportWithAttachment),
    next_before: z.string().nullable().meta({ description: 'Pass as ?before= for the next page' }),
  })
  .meta({ id: 'ReportPage' })
const ClusterAnswer = z.object({ cluster: ClusterOut }).meta({ id: 'ClusterAnswer' })
const MergeResultOut = z
  .object({
    group_id: z.string().meta({ description: 'Undo with POST /api/merges/{group_id}/undo' }),
    undo_until: z.string().meta({ format: 'date-time' }),
    reports: z.number(),
    merged: z.array(z.object({ cluster_id: z.string(), reports: z.number() })),
  })
  .meta({ id: 'MergeResult', description: 'A merge the responder can still take back' })
const MergedAnswer = z.object({ cluster: ClusterOut, merge: MergeResultOut }).meta({ id: 'MergedAnswer' })
const UndoneAnswer = z
  .object({
    cluster: ClusterOut,
    restored: z.array(ClusterOut).meta({ description: 'The clusters the merge had taken in, back again' }),
  })
  .meta({ id: 'MergeUndone' })
const SimilarClusterOut = z
  .object({
    cluster: ClusterOut,
    similarity: z.number().meta({ description: '0–1, three decimals' }),
    kept_apart: z.boolean().meta({ description: 'Marked "not related" to this one' }),
  })
  .meta({ id: 'SimilarCluster' })
const SimilarList = z.object({ similar: z.array(SimilarClusterOut) }).meta({ id: 'SimilarClusters' })
const mergeDoc = (id: string, summary: string) =>
  describe({
    id,
    tag: 'clusters',
    auth: 'session',
    summary,
    responses: {
      '200': json(MergedAnswer, 'The surviving cluster and the undo handle'),
      '400': error('invalid_body, different_projects, same_cluster, merged_cluster'),
      '404': error('not_found'),
    },
  })
const clusterDoc = (id: string, summary: string, codes: string) =>
  describe({
    id,
    tag: 'clusters',
    auth: 'session',
    summary,
    responses: {
      '200': json(ClusterAnswer, 'The cluster after the action'),
      '400': error(codes),
      '404': error('not_found'),
    },
  })

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
const ReportsQuery = z.object({
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})
const StatusInput = z.object({ status: z.enum(CLUSTER_STATUSES) })
const AssignInput = z.object({ assignee_id: id.nullable() })
const MergeInput = z.object({ into_id: id })
const MergeManyInput = z.object({ into_id: id, source_ids: z.array(id).min(1).max(50) })
const RenameInput = z.object({ title: z.string().trim().min(1).max(200).nullable() })
const MoveInput = z
  .object({
    report_ids: z.array(id).min(1).max(500),
    to_cluster_id: id.optional(),
    new_title: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => !!v.to_cluster_id !== !!v.new_title, { message: 'give either to_cluster_id or new_title' })
const LinkInput = z.object({ incident_id: id })
const NotRelatedInput = z.object({ other_id: id })

export function clusterRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  async function visibleProjectIds(responder: Principal, projectId?: string): Promise<string[]> {
    if (projectId) return [(await projectFor(deps, responder, projectId, 'viewer')).id]
    return (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w))))
      .flat()
      .map((p) => p.id)
  }

  /** Reports as JSON, each with `attachment: { content_type, size } | null` (its screenshot). */
  async function reportsJson(list: Report[]): Promise<Out<typeof ReportWithAttachment>[]> {
    const found = await attachmentsOf(
      deps.db.orm,
      list.map((r) => r.id),
    )
    return list.map((r) => {
      const a = found.get(r.id)
      return { ...reportJson(r), attachment: a ? { content_type: a.contentType, size: a.size } : null }
    })
  }

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
    validate('query', ListQuery),
    async (c) => {
      const q = c.req.valid('query')
      const projectIds = await visibleProjectIds(c.get('responder'), q.project_id || undefined)
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
      const clusters = list.map(clusterRowJson)
      const facets = {
        releases: topFacet(list.map((c) => c.topRelease)),
        routes: topFacet(list.map((c) => c.topRoute)),
      }
      // A whole project surging (every kind of report at once: the "site rolled back" case).
      const projectSurges = surges
        .filter((s) => s.scope === 'project')
        .map((s) => ({ project_id: s.projectId, ...surgeJson(s) }))
      // A word surging across clusters: shown once, with the clusters it spans (never as one cluster's badge).
      const topicSurges = (await topicSurgeViews(deps.db.orm, surges, now)).map(topicSurgeJson)
      return c.json({ clusters, facets, project_surges: projectSurges, topic_surges: topicSurges } satisfies Out<
        typeof ClusterListOut
      >)
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
    validate('query', z.object({ q: z.string().trim().min(1).max(200), project_id: z.string().max(64).optional() })),
    async (c) => {
      const q = c.req.valid('query')
      const reports = await searchReports(deps.db.orm, await visibleProjectIds(c.get('responder'), q.project_id), q.q)
      return c.json({ reports: reports.map(reportJson) })
    },
  )

  /** Loads a cluster and checks the caller may act on it with at least `role` (404 for foreign ids). */
  async function clusterFor(responder: Principal, clusterId: string, role: Parameters<typeof projectFor>[3]) {
    const cluster = await getCluster(deps.db.orm, clusterId)
    if (!cluster) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, responder, cluster.projectId, role)
    return cluster
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
      const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
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
      const end = timeline.from + timeline.counts.length * timeline.bucketMs
      const active = surges.find((s) => s.active)
      // Topic surges this cluster is part of (the word, the other clusters, a merge): see topic-view.ts.
      const projectTopics = (await activeSurges(deps.db.orm, [cluster.projectId], now)).filter(
        (s) => s.scope === 'topic',
      )
      const topics = (await topicSurgeViews(deps.db.orm, projectTopics, now))
        .filter((t) => t.clusters.some((x) => x.id === cluster.id))
        .map(topicSurgeJson)
      return c.json({
        cluster: { ...clusterJson(cluster), surge: active ? surgeJson(active) : null, screenshot_count: screenshots },
        topic_surges: topics,
        reports: await reportsJson(reports),
        next_before: reports.length === 25 ? reports[reports.length - 1]!.id : null,
        breakdowns: { ...breakdowns, source },
        timeline: {
          bucket_minutes: timeline.bucketMs / 60_000,
          from: iso(timeline.from)!,
          counts: timeline.counts,
          deploys: deploys
            .filter((d) => d.createdAt >= timeline.from && d.createdAt < end)
            .map((d) => ({ id: d.id, release: d.release, environment: d.environment, deployed_at: iso(d.createdAt)! })),
        },
        incident: incident
          ? {
              id: incident.id,
              project_id: incident.projectId,
              title: incident.title,
              impact: incident.impact,
              visibility: incident.visibility,
              status: incident.status,
              created_at: iso(incident.createdAt)!,
              updated_at: iso(incident.updatedAt)!,
            }
          : null,
        assignee: assignee ?? null,
        /** merges into this cluster that can still be undone */
        undoable_merges: undoable.map((m) => ({
          group_id: m.groupId,
          undo_until: iso(m.undoUntil)!,
          reports: m.reports,
          clusters: m.clusters,
        })),
      } satisfies Out<typeof ClusterPageOut>)
    },
  )

  async function assigneeOf(projectId: string, assigneeId: string, responder: Principal) {
    const project = await projectFor(deps, responder, projectId, 'viewer')
    const m = (await listMembers(deps.db.orm, project.workspaceId)).find((x) => x.id === assigneeId)
    return m ? { id: m.id, name: m.name, email: m.email } : undefined
  }

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
      const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
      const q = c.req.valid('query')
      const limit = q.limit ?? 25
      const reports = await listClusterReports(deps.db.orm, cluster.id, { before: q.before, limit })
      return c.json({
        reports: await reportsJson(reports),
        next_before: reports.length === limit ? reports[reports.length - 1]!.id : null,
      } satisfies Out<typeof ReportPage>)
    },
  )

  app.post(
    '/clusters/:id/status',
    clusterDoc('setClusterStatus', 'Acknowledge, mute, resolve or reopen a cluster', 'invalid_body'),
    validate('json', StatusInput),
    async (c) => {
      const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'responder')
      await setClusterStatus(deps, cluster.id, c.req.valid('json').status)
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
    },
  )

  app.post(
    '/clusters/:id/assign',
    clusterDoc(
      'assignCluster',
      'Assign a cluster to an owner or responder (null: nobody)',
      'invalid_body, invalid_assignee',
    ),
    validate('json', AssignInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
      const assigneeId = c.req.valid('json').assignee_id
      if (assigneeId) {
        const project = await projectFor(deps, responder, cluster.projectId, 'responder')
        const member = (await listMembers(deps.db.orm, project.workspaceId)).find((m) => m.id === assigneeId)
        if (!member || (member.role !== 'owner' && member.role !== 'responder'))
          throw new ApiError(400, 'invalid_assignee', 'Assign to an owner or responder of this workspace.')
      }
      await assignCluster(deps, cluster.id, assigneeId)
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
    },
  )

  /** The merge as JSON: the surviving cluster and the undo handle ("Merged 3 reports · Undo"). */
  async function mergedJson(group: MergedGroup): Promise<Out<typeof MergedAnswer>> {
    const survivor = (await getCluster(deps.db.orm, group.targetId))!
    return {
      cluster: clusterJson(survivor),
      merge: {
        group_id: group.groupId,
        undo_until: iso(group.undoUntil)!,
        reports: group.merged.reduce((n, m) => n + m.reports, 0),
        merged: group.merged.map((m) => ({ cluster_id: m.sourceId, reports: m.reports })),
      },
    }
  }

  /** Sources and target checked: same project, not the same cluster, not merged away already. */
  async function mergeable(
    responder: Principal,
    sourceIds: string[],
    intoId: string,
  ): Promise<{ target: Cluster; sources: Cluster[] }> {
    const target = await clusterFor(responder, intoId, 'responder')
    if (target.mergedIntoId)
      throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
    const sources: Cluster[] = []
    for (const sid of new Set(sourceIds)) {
      const source = await clusterFor(responder, sid, 'responder')
      if (source.projectId !== target.projectId)
        throw new ApiError(400, 'different_projects', 'Only clusters of the same project can be merged.')
      if (source.id === target.id) throw new ApiError(400, 'same_cluster', 'A cluster cannot be merged into itself.')
      if (source.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged already.')
      sources.push(source)
    }
    return { target, sources }
  }

  app.post(
    '/clusters/:id/merge',
    mergeDoc('mergeCluster', 'Merge this cluster into another of the same project (undoable for a while)'),
    validate('json', MergeInput),
    async (c) => {
      const responder = c.get('responder')
      const { target, sources } = await mergeable(responder, [c.req.param('id')], c.req.valid('json').into_id)
      return c.json(
        await mergedJson(
          await mergeClusterGroup(
            deps,
            sources.map((s) => s.id),
            target.id,
            responder.id,
          ),
        ),
      )
    },
  )

  /** Several clusters into one, as one action with one undo. */
  app.post(
    '/clusters/merge',
    mergeDoc('mergeClusters', 'Merge several clusters into one, as one action with one undo'),
    validate('json', MergeManyInput),
    async (c) => {
      const responder = c.get('responder')
      const input = c.req.valid('json')
      const { target, sources } = await mergeable(responder, input.source_ids, input.into_id)
      return c.json(
        await mergedJson(
          await mergeClusterGroup(
            deps,
            sources.map((s) => s.id),
            target.id,
            responder.id,
          ),
        ),
      )
    },
  )

  app.post(
    '/merges/:id/undo',
    describe({
      id: 'undoMerge',
      tag: 'clusters',
      auth: 'session',
      summary: 'Undo a merge while it can still be undone: the merged clusters and their reports come back',
      responses: {
        '200': json(UndoneAnswer, 'The cluster and the clusters restored'),
        '404': error('not_found'),
        '409': error('already_undone, merge_superseded (the cluster was merged again since)'),
        '410': error('undo_expired'),
      },
    }),
    async (c) => {
      const responder = c.get('responder')
      const projectId = await mergeGroupProject(deps.db.orm, c.req.param('id'))
      if (!projectId) throw new ApiError(404, 'not_found', 'Not found.')
      await projectFor(deps, responder, projectId, 'responder')
      try {
        const done = await undoMergeGroup(deps, c.req.param('id'), responder.id)
        const restored = await Promise.all(done.restored.map((rid) => getCluster(deps.db.orm, rid)))
        return c.json({
          cluster: clusterJson((await getCluster(deps.db.orm, done.targetId))!),
          restored: restored.filter((r) => !!r).map(clusterJson),
        } satisfies Out<typeof UndoneAnswer>)
      } catch (e) {
        if (!(e instanceof UndoRefused)) throw e
        if (e.code === 'not_found') throw new ApiError(404, 'not_found', 'Not found.')
        throw new ApiError(e.code === 'undo_expired' ? 410 : 409, e.code, e.message)
      }
    },
  )

  app.patch(
    '/clusters/:id',
    clusterDoc(
      'renameCluster',
      'Name the cluster (the engine never retitles a named one); null gives the title back to the engine',
      'invalid_body, merged_cluster',
    ),
    validate('json', RenameInput),
    async (c) => {
      const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'responder')
      if (cluster.mergedIntoId)
        throw new ApiError(400, 'merged_cluster', 'That cluster was merged; rename the one it was merged into.')
      await renameCluster(deps, cluster.id, c.req.valid('json').title)
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
    },
  )

  app.get(
    '/clusters/:id/similar',
    describe({
      id: 'similarClusters',
      tag: 'clusters',
      auth: 'session',
      summary: 'Clusters of the same project that look like this one (merge candidates)',
      responses: { '200': json(SimilarList, 'Most similar first'), '404': error('not_found') },
    }),
    async (c) => {
      const cluster = await clusterFor(c.get('responder'), c.req.param('id'), 'viewer')
      const list = await similarTo(deps.db.orm, cluster.id)
      return c.json({
        similar: list.map((s) => ({
          cluster: clusterJson(s.cluster),
          similarity: Math.round(s.similarity * 1000) / 1000,
          kept_apart: s.keptApart,
        })),
      } satisfies Out<typeof SimilarList>)
    },
  )

  app.post(
    '/clusters/:id/move',
    clusterDoc(
      'moveReports',
      'Move reports to another cluster or to a new one',
      'invalid_body, invalid_reports, different_projects, same_cluster, merged_cluster',
    ),
    validate('json', MoveInput),
    async (c) => {
      const responder = c.get('responder')
      const source = await clusterFor(responder, c.req.param('id'), 'responder')
      const input = c.req.valid('json')
      const ids = await reportsIn(deps.db.orm, source.id, [...new Set(input.report_ids)])
      if (ids.length !== new Set(input.report_ids).size)
        throw new ApiError(400, 'invalid_reports', 'Every report must belong to this cluster.')
      if (input.to_cluster_id) {
        const target = await clusterFor(responder, input.to_cluster_id, 'responder')
        if (target.projectId !== source.projectId)
          throw new ApiError(400, 'different_projects', 'Reports can only move within their project.')
        if (target.id === source.id) throw new ApiError(400, 'same_cluster', 'The reports are already in this cluster.')
        if (target.mergedIntoId)
          throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
      }
      const dest = await moveReports(
        deps,
        ids,
        { toClusterId: input.to_cluster_id, newTitle: input.new_title },
        responder.id,
      )
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, dest))!) })
    },
  )

  app.post(
    '/clusters/:id/not-related',
    describe({
      id: 'markNotRelated',
      tag: 'clusters',
      auth: 'session',
      summary: 'Tell the engine two clusters are not the same problem (they are never merged)',
      responses: {
        '204': noContent('Recorded'),
        '400': error('invalid_body, different_projects, same_cluster'),
        '404': error('not_found'),
      },
    }),
    validate('json', NotRelatedInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
      const other = await clusterFor(responder, c.req.valid('json').other_id, 'responder')
      if (other.projectId !== cluster.projectId)
        throw new ApiError(400, 'different_projects', 'Both clusters must belong to the same project.')
      if (other.id === cluster.id) throw new ApiError(400, 'same_cluster', 'A cluster is always related to itself.')
      await markClustersNotRelated(deps, cluster.id, other.id, responder.id)
      return c.body(null, 204)
    },
  )

  app.post(
    '/clusters/:id/incident',
    clusterDoc(
      'linkClusterToIncident',
      'Link a cluster to an incident of the same project',
      'invalid_body, different_projects',
    ),
    validate('json', LinkInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(responder, c.req.param('id'), 'responder')
      const incident = await getIncident(deps.db.orm, c.req.valid('json').incident_id)
      // The same answer as projectFor gives for a foreign incident: no telling them apart.
      if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
      await projectFor(deps, responder, incident.projectId, 'responder')
      if (incident.projectId !== cluster.projectId)
        throw new ApiError(400, 'different_projects', 'Link clusters to incidents of the same project.')
      await linkClusterToIncident(deps, cluster.id, incident.id)
      return c.json({ cluster: clusterJson((await getCluster(deps.db.orm, cluster.id))!) })
    },
  )

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
