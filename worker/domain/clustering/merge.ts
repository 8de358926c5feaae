// Moving reports between clusters: merges (by a responder or by refinement) and single moves.
import { sql } from 'drizzle-orm'
import { weigh } from './features.js'
import { countReportIn, createClusterRow, recount, type ReportFacts } from './counters.js'
import { all, run, type Executor } from './sql.js'
import { dropCentroid, loadCentroids, readDf, reindexCentroid, saveCentroid, type Centroid } from './state.js'
import { keyTermsOf } from './title.js'
import { addInto, fromJson, prune, type Vec } from './vectors.js'
import { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'
import type { StateChange } from './change.js'

/** The cluster new reports and actions go to: a merged-away cluster routes to its target. */
export async function resolveCluster(x: Executor, clusterId: string): Promise<string> {
  let id = clusterId
  for (let hops = 0; hops < 16; hops++) {
    const [row] = await all<{ merged_into_id: string | null }>(
      x,
      sql`SELECT merged_into_id FROM clusters WHERE id = ${id}`,
    )
    if (!row) throw new Error(`cluster ${id} not found`)
    if (!row.merged_into_id) return id
    id = row.merged_into_id
  }
  return id
}

/**
 * Merges `sourceId` into `targetId`: its reports, counters and centroid move over, it leaves the
 * index, and it points at the target forever (so does anything that had been merged into it).
 */
export async function mergeInto(
  x: Executor,
  change: StateChange,
  projectId: string,
  sourceId: string,
  targetId: string,
  now: number,
): Promise<void> {
  if (sourceId === targetId) return
  change.touch(projectId, sourceId, targetId)
  await run(
    x,
    sql`UPDATE clusters SET merged_into_id = ${targetId} WHERE id = ${sourceId} OR merged_into_id = ${sourceId}`,
  )
  await run(x, sql`UPDATE reports SET cluster_id = ${targetId} WHERE cluster_id = ${sourceId}`)
  await run(x, sql`UPDATE report_features SET cluster_id = ${targetId} WHERE cluster_id = ${sourceId}`)
  // Counters: add the source's, then distinct reporters as a union.
  await run(
    x,
    sql`INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_id)
        SELECT ${targetId}, reporter_id FROM cluster_reporters WHERE cluster_id = ${sourceId}`,
  )
  await run(
    x,
    sql`UPDATE clusters SET
          report_count = report_count + (SELECT report_count FROM clusters WHERE id = ${sourceId}),
          reporter_count = (SELECT count(*) FROM cluster_reporters WHERE cluster_id = ${targetId}),
          first_seen_at = min(first_seen_at, (SELECT first_seen_at FROM clusters WHERE id = ${sourceId})),
          last_seen_at = max(last_seen_at, (SELECT last_seen_at FROM clusters WHERE id = ${sourceId}))
        WHERE id = ${targetId}`,
  )
  await run(
    x,
    sql`INSERT INTO cluster_breakdowns (cluster_id, dimension, value, count)
        SELECT ${targetId}, dimension, value, count FROM cluster_breakdowns WHERE cluster_id = ${sourceId} AND true
        ON CONFLICT (cluster_id, dimension, value) DO UPDATE SET count = count + excluded.count`,
  )
  const [src, dst] = await Promise.all([loadCentroids(x, [sourceId]), loadCentroids(x, [targetId])]).then(([a, b]) => [
    a[0],
    b[0],
  ])
  if (src && dst) {
    addInto(dst.sum, src.sum)
    dst.size += src.size
    await reindexCentroid(x, projectId, dst, now)
  } else if (src && !dst) {
    await run(x, sql`UPDATE cluster_vectors SET cluster_id = ${targetId} WHERE cluster_id = ${sourceId}`)
    await run(x, sql`UPDATE cluster_postings SET cluster_id = ${targetId} WHERE cluster_id = ${sourceId}`)
  }
  await dropCentroid(x, sourceId)
  // The same problem from now on for surge detection too: its recent reports count together.
  await change.onMerge?.(x, projectId, sourceId, targetId)
}

interface ReportRow {
  id: string
  project_id: string
  message: string
  route: string | null
  release: string | null
  reporter_id: string | null
  user_agent: string | null
  locale: string | null
  cluster_id: string | null
  created_at: number
  processed_at: number | null
}

/** The report's unit vector with today's document frequencies. */
async function unitOf(x: Executor, projectId: string, bag: Vec, o: EngineOptions): Promise<Vec> {
  const { docs, df } = await readDf(x, projectId, [...bag.keys()])
  return weigh(bag, Math.max(docs, 1), (f) => df.get(f) ?? 1, o.weights)
}

/**
 * Moves one report to another cluster (or to a new one when `toClusterId` is null) and pins it
 * there: neither ingest nor refinement will move it again. Returns the destination cluster id.
 */
export async function moveReportTo(
  x: Executor,
  change: StateChange,
  reportId: string,
  toClusterId: string | null,
  now: number,
  o: EngineOptions = DEFAULT_OPTIONS,
): Promise<{ from: string | null; to: string }> {
  const [r] = await all<ReportRow>(
    x,
    sql`SELECT id, project_id, message, route, release, reporter_id, user_agent, locale, cluster_id, created_at,
          processed_at
        FROM reports WHERE id = ${reportId}`,
  )
  if (!r) throw new Error(`report ${reportId} not found`)
  // The pipeline counts a waiting report when it processes it; moving it first would count it twice.
  if (r.processed_at === null) throw new Error(`report ${reportId} still waits for the pipeline`)
  const facts: ReportFacts = {
    reportId: r.id,
    projectId: r.project_id,
    message: r.message,
    route: r.route,
    release: r.release,
    reporterId: r.reporter_id,
    userAgent: r.user_agent,
    locale: r.locale,
    createdAt: r.created_at,
  }
  const to = toClusterId ? await resolveCluster(x, toClusterId) : await createClusterRow(x, facts)
  const from = r.cluster_id
  if (from === to) return { from, to }
  change.touch(r.project_id, from, to)
  const [feat] = await all<{ bag: string }>(x, sql`SELECT bag FROM report_features WHERE report_id = ${reportId}`)
  const bag = feat ? fromJson(feat.bag) : new Map<string, number>()
  const unit = await unitOf(x, r.project_id, bag, o)

  await run(x, sql`UPDATE reports SET cluster_id = ${to} WHERE id = ${reportId}`)
  if (feat) await run(x, sql`UPDATE report_features SET cluster_id = ${to}, pinned = 1 WHERE report_id = ${reportId}`)
  else {
    await run(
      x,
      sql`INSERT INTO report_features (report_id, project_id, cluster_id, bag, pinned, created_at)
          VALUES (${reportId}, ${r.project_id}, ${to}, '{}', 1, ${r.created_at})`,
    )
  }
  const [fromC] = from ? await loadCentroids(x, [from]) : []
  if (fromC) {
    const dropped = addInto(fromC.sum, unit, -1)
    fromC.size = Math.max(0, fromC.size - 1)
    if (fromC.size === 0 || fromC.sum.size === 0) await dropCentroid(x, fromC.clusterId)
    else await saveCentroid(x, r.project_id, fromC, now, unit.keys(), dropped, false)
  }
  const [toC] = await loadCentroids(x, [to])
  if (toC) {
    const dropped = addInto(toC.sum, unit)
    toC.size++
    await saveCentroid(x, r.project_id, toC, now, unit.keys(), dropped, false)
  } else {
    const sum = new Map(unit)
    prune(sum)
    const c: Centroid = {
      clusterId: to,
      size: 1,
      sum,
      norm: 1,
      representativeId: r.id,
      representativeScore: 0,
      keyTerms: keyTermsOf(sum, r.message),
    }
    await saveCentroid(x, r.project_id, c, now, sum.keys(), [], true)
  }
  if (from) await recount(x, from)
  if (toClusterId) await recount(x, to)
  else await countReportIn(x, to, facts)
  return { from, to }
}
