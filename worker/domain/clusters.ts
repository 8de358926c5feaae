// Cluster queries and responder actions for the dashboard. Clustering state (centroids, breakdowns,
// corrections) belongs to the engine in ./clustering: merges and moves go through its functions so
// they are recorded and never undone by ingest or refinement.
import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { Reader } from '../db/client.js'
import { clusters, reports, type ClusterStatus } from '../db/schema/index.js'
import { mergeClustersByHand, moveReportByHand, splitReportsByHand } from './clustering/index.js'
import { setTitle } from './clustering/counters.js'
import type { Deps } from './deps.js'
import { linkCluster } from './incidents.js'
import { searchReportClusterIds } from './search.js'
import { activeSurges, type SurgeView } from './surge/index.js'

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

const CLUSTER_COLUMNS = sql.raw(
  'id, project_id, title, status, report_count, reporter_count, first_seen_at, last_seen_at, merged_into_id, incident_id, assignee_id, created_at',
)
interface ClusterSqlRow {
  id: string
  project_id: string
  title: string
  status: ClusterStatus
  report_count: number
  reporter_count: number
  first_seen_at: number
  last_seen_at: number
  merged_into_id: string | null
  incident_id: string | null
  assignee_id: string | null
  created_at: number
}
const fromSql = (r: ClusterSqlRow): Cluster => ({
  id: r.id,
  projectId: r.project_id,
  title: r.title,
  status: r.status,
  reportCount: Number(r.report_count),
  reporterCount: Number(r.reporter_count),
  firstSeenAt: Number(r.first_seen_at),
  lastSeenAt: Number(r.last_seen_at),
  mergedIntoId: r.merged_into_id,
  incidentId: r.incident_id,
  assigneeId: r.assignee_id,
  createdAt: Number(r.created_at),
})

/**
 * The triage list: surging clusters first, then most recently reported, then the biggest.
 * Surging clusters are few (a handful of active surges), so they are fetched by id and put on top;
 * the rest is one index walk over (project_id, last_seen_at).
 */
export async function listClusters(db: Reader, projectIds: string[], opts: ListOptions = {}, now = Date.now()): Promise<ClusterRow[]> {
  if (projectIds.length === 0) return []
  const limit = opts.limit ?? 50
  const filters: SQL[] = [inArray(clusters.projectId, projectIds), isNull(clusters.mergedIntoId)!]
  if (opts.status === 'active') filters.push(inArray(clusters.status, ['open', 'acknowledged']))
  else if (opts.status) filters.push(eq(clusters.status, opts.status))
  if (opts.range) filters.push(sql`${clusters.lastSeenAt} >= ${now - RANGES[opts.range]}`)
  if (opts.release) filters.push(sql`EXISTS (SELECT 1 FROM cluster_breakdowns b WHERE b.cluster_id = ${clusters.id} AND b.dimension = 'release' AND b.value = ${opts.release})`)
  if (opts.route) filters.push(sql`EXISTS (SELECT 1 FROM cluster_breakdowns b WHERE b.cluster_id = ${clusters.id} AND b.dimension = 'route' AND b.value = ${opts.route})`)
  if (opts.q) {
    const ids = await searchReportClusterIds(db, projectIds, opts.q, 500)
    if (ids.length === 0) return []
    filters.push(inArray(clusters.id, ids))
  }

  const surges = await activeSurges(db, projectIds, now)
  const surgeOf = new Map<string, SurgeView>()
  for (const s of surges) if (s.clusterId && !surgeOf.has(s.clusterId)) surgeOf.set(s.clusterId, s)

  // Raw SQL with the columns listed: the list is the hottest read, and the query builder's
  // per-row mapping was a visible share of its time.
  const where = sql.join(filters, sql` AND `)
  const surging = surgeOf.size
    ? await db.all<ClusterSqlRow>(sql`SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE ${where} AND id IN (SELECT value FROM json_each(${JSON.stringify([...surgeOf.keys()])})) ORDER BY last_seen_at DESC`)
    : []
  const rest = await db.all<ClusterSqlRow>(
    sql`SELECT ${CLUSTER_COLUMNS} FROM clusters WHERE ${where} ORDER BY last_seen_at DESC, report_count DESC LIMIT ${limit + surging.length}`,
  )
  const seen = new Set(surging.map((c) => c.id))
  const list = [...surging, ...rest.filter((c) => !seen.has(c.id))].slice(0, limit).map(fromSql)
  if (list.length === 0) return []

  const ids = list.map((c) => c.id)
  const [tops, sparks] = await Promise.all([topValues(db, ids), hourlyCounts(db, ids, now)])
  return list.map((c) => ({
    ...c,
    topRoute: tops.get(`${c.id}|route`) ?? null,
    topRelease: tops.get(`${c.id}|release`) ?? null,
    sparkline: sparks.get(c.id) ?? new Array(24).fill(0),
    surge: surgeOf.get(c.id) ?? null,
  }))
}

/**
 * Most reported route and release of each cluster, from the engine's breakdown counters: one
 * primary-key probe per cluster and dimension (the ids travel as one JSON parameter).
 */
async function topValues(db: Reader, clusterIds: string[]): Promise<Map<string, string>> {
  const rows = await db.all<{ cluster_id: string; route: string | null; release: string | null }>(sql`
    SELECT c.value AS cluster_id,
      (SELECT b.value FROM cluster_breakdowns b WHERE b.cluster_id = c.value AND b.dimension = 'route' ORDER BY b.count DESC, b.value LIMIT 1) AS route,
      (SELECT b.value FROM cluster_breakdowns b WHERE b.cluster_id = c.value AND b.dimension = 'release' ORDER BY b.count DESC, b.value LIMIT 1) AS release
    FROM json_each(${JSON.stringify(clusterIds)}) c`)
  const out = new Map<string, string>()
  for (const r of rows) {
    if (r.route) out.set(`${r.cluster_id}|route`, r.route)
    if (r.release) out.set(`${r.cluster_id}|release`, r.release)
  }
  return out
}

/** Reports per hour over the last 24 h for each cluster (oldest hour first), from `cluster_hourly`. */
async function hourlyCounts(db: Reader, clusterIds: string[], now: number): Promise<Map<string, number[]>> {
  const firstHour = Math.floor(now / HOUR) - 23
  const rows = await db.all<{ cluster_id: string; hour: number; count: number }>(sql`
    SELECT cluster_id, hour, count FROM cluster_hourly
    WHERE cluster_id IN (SELECT value FROM json_each(${JSON.stringify(clusterIds)})) AND hour >= ${firstHour} AND count > 0`)
  const out = new Map<string, number[]>()
  for (const r of rows) {
    const h = Number(r.hour) - firstHour
    if (h < 0 || h > 23) continue
    const arr = out.get(r.cluster_id) ?? new Array(24).fill(0)
    arr[h] += Number(r.count)
    out.set(r.cluster_id, arr)
  }
  return out
}

export async function getCluster(db: Reader, clusterId: string): Promise<Cluster | undefined> {
  return db.select().from(clusters).where(eq(clusters.id, clusterId)).get()
}

/** Newest reports first, paginated by id (ids are time-ordered): pass the last id as `before`. */
export async function listClusterReports(db: Reader, clusterId: string, opts: { before?: string; limit?: number } = {}): Promise<Report[]> {
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
export async function clusterBreakdowns(db: Reader, clusterId: string, top = 6): Promise<Record<'route' | 'release' | 'browser' | 'locale', Breakdown[]>> {
  const rows = await db.all<{ dimension: 'route' | 'release' | 'browser' | 'locale'; value: string; count: number }>(sql`
    SELECT dimension, value, count FROM (
      SELECT dimension, value, count, row_number() OVER (PARTITION BY dimension ORDER BY count DESC, value) AS n
      FROM cluster_breakdowns WHERE cluster_id = ${clusterId}
    ) WHERE n <= ${top}`)
  const out: Record<'route' | 'release' | 'browser' | 'locale', Breakdown[]> = { route: [], release: [], browser: [], locale: [] }
  for (const r of rows) out[r.dimension]?.push({ value: r.value, count: Number(r.count) })
  for (const list of Object.values(out)) list.sort((a, b) => b.count - a.count)
  return out
}

/** Where the reports came from: widget, support · phone, api · email, "affected" clicks. */
export async function sourceBreakdown(db: Reader, clusterId: string): Promise<Breakdown[]> {
  const rows = await db.all<{ source: string; channel: string; count: number }>(
    sql`SELECT source, channel, count FROM cluster_sources WHERE cluster_id = ${clusterId} AND count > 0 ORDER BY count DESC`,
  )
  return rows.map((r) => ({ value: r.channel ? `${r.source} · ${r.channel}` : r.source, count: Number(r.count) }))
}

/**
 * Report rate for the cluster page: hourly buckets over the last 48 h for a fresh cluster, 6-hour
 * buckets over a week, daily over 30 days for an older one; summed from `cluster_hourly`.
 */
export async function reportTimeline(db: Reader, cluster: Cluster, now: number): Promise<{ bucketMs: number; from: number; counts: number[] }> {
  const age = now - cluster.firstSeenAt
  const bucketMs = age <= 2 * 86_400_000 ? HOUR : age <= 7 * 86_400_000 ? 6 * HOUR : 86_400_000
  const buckets = bucketMs === HOUR ? 48 : bucketMs === 6 * HOUR ? 28 : 30
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs
  const from = end - buckets * bucketMs
  const rows = await db.all<{ hour: number; count: number }>(
    sql`SELECT hour, count FROM cluster_hourly WHERE cluster_id = ${cluster.id} AND hour >= ${Math.floor(from / HOUR)} AND count > 0`,
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
  return deps.db.write((tx) => mergeClustersByHand(tx, sourceId, targetId, { actorId, now: deps.clock.now() }))
}

/**
 * Moves reports to another cluster, or into a new one titled `newTitle`, through the engine (each
 * report is pinned where the responder put it). Returns the destination cluster.
 */
export async function moveReports(deps: Deps, reportIds: string[], target: { toClusterId?: string; newTitle?: string }, actorId: string): Promise<string> {
  return deps.db.write(async (tx) => {
    const a = { actorId, now: deps.clock.now() }
    if (target.toClusterId) {
      for (const id of reportIds) await moveReportByHand(tx, id, target.toClusterId, a)
      return target.toClusterId
    }
    const created = await splitReportsByHand(tx, reportIds, a)
    if (target.newTitle) await setTitle(tx, created, target.newTitle)
    return created
  })
}

export async function linkClusterToIncident(deps: Deps, clusterId: string, incidentId: string) {
  await deps.db.write((tx) => linkCluster(tx, incidentId, clusterId))
}

/** Reports of a project by id, for actions that take a selection (foreign ids simply do not match). */
export async function reportsIn(db: Reader, clusterId: string, reportIds: string[]): Promise<string[]> {
  if (!reportIds.length) return []
  const rows = await db.select({ id: reports.id }).from(reports).where(and(eq(reports.clusterId, clusterId), inArray(reports.id, reportIds))).all()
  return rows.map((r) => r.id)
}
