// Cluster queries and responder actions for the dashboard. Clustering state (centroids, breakdowns,
// corrections) belongs to the engine in ./clustering: merges and moves go through its functions so
// they are recorded and never undone by ingest or refinement.
import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { clusters, reports, type ClusterStatus } from '../../db/schema/index.js'
import { clusterMerges } from '../../db/schema/clustering.js'
import type { Deps } from '../shared/index.js'
import { linkCluster } from '../incidents/index.js'
import { searchReportClusterIds } from './search.js'
import { activeSurges, type SurgeView } from '../surge/index.js'
import { similarClusters, type MergedGroup } from '../clustering/index.js'

export type Cluster = typeof clusters.$inferSelect
export type Report = typeof reports.$inferSelect

export const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const
export type Range = keyof typeof RANGES

export interface ListOptions {
  status?: ClusterStatus | 'active'
  range?: Range
  release?: string
  route?: string
  q?: string
  limit?: number
}

export interface ClusterRow extends Cluster {
  topRoute: string | null
  topRelease: string | null
  sparkline: number[]
  surge: SurgeView | null
}

const HOUR = 3_600_000

/**
 * The triage list: surging clusters first, then most recently reported, then the biggest.
 * Surging clusters are few (a handful of active surges), so they are fetched by id and put on top;
 * the rest is one index walk over (project_id, last_seen_at).
 */
export async function listClusters(
  db: Reader,
  projectIds: string[],
  opts: ListOptions = {},
  now = Date.now(),
  surges?: SurgeView[],
): Promise<ClusterRow[]> {
  if (projectIds.length === 0) return []
  const limit = opts.limit ?? 50
  const filters: SQL[] = [inArray(clusters.projectId, projectIds), isNull(clusters.mergedIntoId)!]
  if (opts.status === 'active') filters.push(inArray(clusters.status, ['open', 'acknowledged']))
  else if (opts.status) filters.push(eq(clusters.status, opts.status))
  if (opts.range) filters.push(sql`${clusters.lastSeenAt} >= ${now - RANGES[opts.range]}`)
  if (opts.release)
    filters.push(
      sql`EXISTS (SELECT 1 FROM cluster_breakdowns b
        WHERE b.cluster_id = ${clusters.id} AND b.dimension = 'release' AND b.value = ${opts.release})`,
    )
  if (opts.route)
    filters.push(
      sql`EXISTS (SELECT 1 FROM cluster_breakdowns b
        WHERE b.cluster_id = ${clusters.id} AND b.dimension = 'route' AND b.value = ${opts.route})`,
    )
  if (opts.q) {
    const ids = await searchReportClusterIds(db, projectIds, opts.q, 500)
    if (ids.length === 0) return []
    filters.push(inArray(clusters.id, ids))
  }

  const surgeOf = new Map<string, SurgeView>()
  // Only a cluster's own surge flags it: a topic surge spans several clusters (topic-view.ts).
  for (const s of surges ?? (await activeSurges(db, projectIds, now)))
    if (s.scope === 'cluster' && s.clusterId && !surgeOf.has(s.clusterId)) surgeOf.set(s.clusterId, s)

  const where = sql.join(filters, sql` AND `)
  const firstHour = Math.floor(now / HOUR) - 23
  const surging = surgeOf.size
    ? await pageRows(
        db,
        sql`${where} AND id IN (SELECT value FROM json_each(${JSON.stringify([...surgeOf.keys()])}))`,
        1000,
        firstHour,
      )
    : []
  const rest = await pageRows(db, where, limit + surging.length, firstHour)
  const seen = new Set(surging.map((c) => c.id))
  return [...surging, ...rest.filter((c) => !seen.has(c.id))]
    .slice(0, limit)
    .map((c) => ({ ...c, surge: surgeOf.get(c.id) ?? null }))
}

/**
 * One page of the list in ONE statement whose answer is ONE JSON value: each row with its top
 * route and release (engine's breakdown counters, a primary-key probe each) and its last 24 hours
 * ("hour:count,…" from `cluster_hourly`). Crossing from SQLite to JavaScript costs per value, and
 * that crossing, not the queries, was most of this endpoint's time.
 */
async function pageRows(
  db: Reader,
  where: SQL,
  limit: number,
  firstHour: number,
): Promise<Omit<ClusterRow, 'surge'>[]> {
  const row = await db.get<{ page: string | null }>(sql`
    SELECT json_group_array(json_array(c.id, c.project_id, c.title, c.title_source, c.status, c.report_count,
      c.reporter_count, c.first_seen_at, c.last_seen_at, c.merged_into_id, c.incident_id, c.assignee_id, c.created_at,
      (SELECT b.value FROM cluster_breakdowns b WHERE b.cluster_id = c.id AND b.dimension = 'route'
        ORDER BY b.count DESC, b.value LIMIT 1),
      (SELECT b.value FROM cluster_breakdowns b WHERE b.cluster_id = c.id AND b.dimension = 'release'
        ORDER BY b.count DESC, b.value LIMIT 1),
      (SELECT group_concat((h.hour - ${firstHour}) || ':' || h.count) FROM cluster_hourly h
        WHERE h.cluster_id = c.id AND h.hour >= ${firstHour} AND h.count > 0)
    )) AS page
    FROM (SELECT * FROM clusters WHERE ${where} ORDER BY last_seen_at DESC, report_count DESC LIMIT ${limit}) c`)
  const list = JSON.parse(row?.page ?? '[]') as [
    string,
    string,
    string,
    'auto' | 'human',
    ClusterStatus,
    number,
    number,
    number,
    number,
    string | null,
    string | null,
    string | null,
    number,
    string | null,
    string | null,
    string | null,
  ][]
  const rows = list.map((r) => ({
    id: r[0],
    projectId: r[1],
    title: r[2],
    titleSource: r[3],
    status: r[4],
    reportCount: r[5],
    reporterCount: r[6],
    firstSeenAt: r[7],
    lastSeenAt: r[8],
    mergedIntoId: r[9],
    incidentId: r[10],
    assigneeId: r[11],
    createdAt: r[12],
    topRoute: r[13],
    topRelease: r[14],
    sparkline: sparklineFrom(r[15]),
  }))
  // json_group_array keeps the subquery's order in practice; sorting again makes it a guarantee.
  return rows.sort((x, y) => y.lastSeenAt - x.lastSeenAt || y.reportCount - x.reportCount)
}

function sparklineFrom(hours: string | null): number[] {
  const out = new Array(24).fill(0)
  for (const pair of hours ? hours.split(',') : []) {
    const [h, n] = pair.split(':').map(Number)
    if (h! >= 0 && h! <= 23) out[h!] += n!
  }
  return out
}

export async function getCluster(db: Reader, clusterId: string): Promise<Cluster | undefined> {
  return db.select().from(clusters).where(eq(clusters.id, clusterId)).get()
}

/** Newest reports first, paginated by id (ids are time-ordered): pass the last id as `before`. */
export async function listClusterReports(
  db: Reader,
  clusterId: string,
  opts: { before?: string; limit?: number } = {},
): Promise<Report[]> {
  const filters = [eq(reports.clusterId, clusterId)]
  if (opts.before) filters.push(lt(reports.id, opts.before))
  return db
    .select()
    .from(reports)
    .where(and(...filters))
    .orderBy(desc(reports.id))
    .limit(opts.limit ?? 25)
    .all()
}

export interface Breakdown {
  value: string | null
  count: number
}

/** Route / release / browser / locale breakdowns kept by the engine, top values first. */
export async function clusterBreakdowns(
  db: Reader,
  clusterId: string,
  top = 6,
): Promise<Record<'route' | 'release' | 'browser' | 'locale', Breakdown[]>> {
  const rows = await db.all<{
    dimension: 'route' | 'release' | 'browser' | 'locale'
    value: string
    count: number
  }>(sql`
    SELECT dimension, value, count FROM (
      SELECT dimension, value, count, row_number() OVER (PARTITION BY dimension ORDER BY count DESC, value) AS n
      FROM cluster_breakdowns WHERE cluster_id = ${clusterId}
    ) WHERE n <= ${top}`)
  const out: Record<'route' | 'release' | 'browser' | 'locale', Breakdown[]> = {
    route: [],
    release: [],
    browser: [],
    locale: [],
  }
  for (const r of rows) out[r.dimension]?.push({ value: r.value, count: Number(r.count) })
  for (const list of Object.values(out)) list.sort((a, b) => b.count - a.count)
  return out
}

/** Where the reports came from: widget, support · phone, api · email, "affected" clicks. */
export async function sourceBreakdown(db: Reader, clusterId: string): Promise<Breakdown[]> {
  const rows = await db.all<{ source: string; channel: string; count: number }>(
    sql`SELECT source, channel, count FROM cluster_sources
      WHERE cluster_id = ${clusterId} AND count > 0 ORDER BY count DESC`,
  )
  return rows.map((r) => ({ value: r.channel ? `${r.source} · ${r.channel}` : r.source, count: Number(r.count) }))
}

/**
 * Report rate for the cluster page: hourly buckets over the last 48 h for a fresh cluster, 6-hour
 * buckets over a week, daily over 30 days for an older one; summed from `cluster_hourly`.
 */
export async function reportTimeline(
  db: Reader,
  cluster: Cluster,
  now: number,
): Promise<{ bucketMs: number; from: number; counts: number[] }> {
  const age = now - cluster.firstSeenAt
  const bucketMs = age <= 2 * 86_400_000 ? HOUR : age <= 7 * 86_400_000 ? 6 * HOUR : 86_400_000
  const buckets = bucketMs === HOUR ? 48 : bucketMs === 6 * HOUR ? 28 : 30
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs
  const from = end - buckets * bucketMs
  const rows = await db.all<{ hour: number; count: number }>(
    sql`SELECT hour, count FROM cluster_hourly
      WHERE cluster_id = ${cluster.id} AND hour >= ${Math.floor(from / HOUR)} AND count > 0`,
  )
  const counts = new Array(buckets).fill(0)
  for (const r of rows) {
    const b = Math.floor((Number(r.hour) * HOUR - from) / bucketMs)
    if (b >= 0 && b < buckets) counts[b] += Number(r.count)
  }
  return { bucketMs, from, counts }
}

export async function setClusterStatus(deps: Deps, clusterId: string, status: ClusterStatus) {
  await deps.db.write((tx) => tx.update(clusters).set({ status }).where(eq(clusters.id, clusterId)))
}

export async function assignCluster(deps: Deps, clusterId: string, assigneeId: string | null) {
  await deps.db.write((tx) => tx.update(clusters).set({ assigneeId }).where(eq(clusters.id, clusterId)))
}

/** Merge through the engine (recorded as a correction it never undoes). Returns the surviving cluster. */
export async function mergeClusters(deps: Deps, sourceId: string, targetId: string, actorId: string): Promise<string> {
  return deps.engine.merge(sourceId, targetId, actorId)
}

/** Merges clusters into `targetId` as one action the responder can undo for a while (engine: corrections.ts). */
export async function mergeClusterGroup(
  deps: Deps,
  sourceIds: string[],
  targetId: string,
  actorId: string,
): Promise<MergedGroup> {
  return deps.engine.mergeMany(sourceIds, targetId, actorId)
}

/** Merges into this cluster that can still be undone (newest first): the cluster page offers "Undo". */
export async function undoableMerges(
  db: Reader,
  clusterId: string,
  now: number,
): Promise<{ groupId: string; undoUntil: number; reports: number; clusters: number }[]> {
  const rows = await db
    .select({
      groupId: clusterMerges.groupId,
      undoUntil: sql<number>`max(${clusterMerges.undoUntil})`,
      reports: sql<number>`sum(${clusterMerges.reportCount})`,
      clusters: sql<number>`count(*)`,
    })
    .from(clusterMerges)
    .where(
      and(
        eq(clusterMerges.targetId, clusterId),
        isNull(clusterMerges.undoneAt),
        sql`${clusterMerges.undoUntil} >= ${now}`,
      ),
    )
    .groupBy(clusterMerges.groupId)
    .orderBy(desc(sql`max(${clusterMerges.createdAt})`))
    .limit(5)
    .all()
  return rows.map((r) => ({
    groupId: r.groupId,
    undoUntil: Number(r.undoUntil),
    reports: Number(r.reports),
    clusters: Number(r.clusters),
  }))
}

/** The project a merge group belongs to (authorization before an undo), or undefined. */
export async function mergeGroupProject(db: Reader, groupId: string): Promise<string | undefined> {
  const row = await db
    .select({ projectId: clusterMerges.projectId })
    .from(clusterMerges)
    .where(eq(clusterMerges.groupId, groupId))
    .limit(1)
    .get()
  return row?.projectId
}

export async function undoMergeGroup(deps: Deps, groupId: string, actorId: string) {
  return deps.engine.undoMerge(groupId, actorId)
}

/** A responder's title for the cluster (never overwritten by the engine), or null for the automatic one again. */
export async function renameCluster(deps: Deps, clusterId: string, title: string | null): Promise<void> {
  await deps.engine.rename(clusterId, title)
}

/** Live clusters most like this one (centroid cosine), best first, with their rows. */
export async function similarTo(
  db: Reader,
  clusterId: string,
  limit = 8,
): Promise<{ cluster: Cluster; similarity: number; keptApart: boolean }[]> {
  const found = await similarClusters(db, clusterId, limit)
  if (!found.length) return []
  const rows = await db
    .select()
    .from(clusters)
    .where(
      inArray(
        clusters.id,
        found.map((f) => f.clusterId),
      ),
    )
    .all()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return found.flatMap((f) => {
    const c = byId.get(f.clusterId)
    return c && !c.mergedIntoId ? [{ cluster: c, similarity: f.similarity, keptApart: f.keptApart }] : []
  })
}

/**
 * Moves reports to another cluster, or into a new one titled `newTitle`, through the engine (each
 * report is pinned where the responder put it). Returns the destination cluster.
 */
export async function moveReports(
  deps: Deps,
  reportIds: string[],
  target: { toClusterId?: string; newTitle?: string },
  actorId: string,
): Promise<string> {
  return deps.engine.move(reportIds, target, actorId)
}

/** "These are different problems": recorded by the engine, which then never merges the two. */
export async function markClustersNotRelated(deps: Deps, clusterId: string, otherId: string, actorId: string) {
  await deps.engine.markNotRelated(clusterId, otherId, actorId)
}

export async function linkClusterToIncident(deps: Deps, clusterId: string, incidentId: string) {
  await deps.db.write((tx) => linkCluster(tx, incidentId, clusterId))
}

/** Which of these report ids are in this cluster (a selection for "move"; anything else does not match). */
export async function reportsIn(db: Reader, clusterId: string, reportIds: string[]): Promise<string[]> {
  if (!reportIds.length) return []
  const rows = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.clusterId, clusterId), inArray(reports.id, reportIds)))
    .all()
  return rows.map((r) => r.id)
}
