// Responder corrections. Each is applied and recorded; the engine and refinement read the record
// and never undo it: merged-away clusters route to their target, moved reports stay pinned, and
// clusters marked "not related" (or a move's origin and destination) are never merged.
import { sql } from 'drizzle-orm'
import { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'
import { mergeInto, moveReportTo, resolveCluster } from './merge.js'
import { all, run, type Executor } from './sql.js'
import type { StateChange } from './change.js'

export interface Actor {
  actorId?: string | null
  now: number
}

async function projectOf(x: Executor, clusterId: string): Promise<string> {
  const [row] = await all<{ project_id: string }>(x, sql`SELECT project_id FROM clusters WHERE id = ${clusterId}`)
  if (!row) throw new Error(`cluster ${clusterId} not found`)
  return row.project_id
}

async function record(
  x: Executor,
  c: { projectId: string; kind: 'merge' | 'move' | 'not_related'; clusterId: string; otherClusterId?: string | null; reportId?: string | null },
  a: Actor,
): Promise<void> {
  await run(
    x,
    sql`INSERT INTO cluster_corrections (project_id, kind, cluster_id, other_cluster_id, report_id, actor_id, created_at)
        VALUES (${c.projectId}, ${c.kind}, ${c.clusterId}, ${c.otherClusterId ?? null}, ${c.reportId ?? null}, ${a.actorId ?? null}, ${a.now})`,
  )
}

/** A responder merges `sourceId` into `targetId`. Returns the cluster everything now lives in. */
export async function mergeClustersByHand(x: Executor, change: StateChange, sourceId: string, targetId: string, a: Actor): Promise<string> {
  const src = await resolveCluster(x, sourceId)
  const dst = await resolveCluster(x, targetId)
  const projectId = await projectOf(x, dst)
  if ((await projectOf(x, src)) !== projectId) throw new Error('clusters belong to different projects')
  if (src === dst) return dst
  await mergeInto(x, change, projectId, src, dst, a.now)
  await record(x, { projectId, kind: 'merge', clusterId: src, otherClusterId: dst }, a)
  return dst
}

/**
 * A responder moves a report to another cluster, or to a new cluster of its own when
 * `toClusterId` is null (a split). The report is pinned, and origin and destination are never
 * auto-merged (that would put the report back with the reports it was taken from).
 */
export async function moveReportByHand(
  x: Executor,
  change: StateChange,
  reportId: string,
  toClusterId: string | null,
  a: Actor,
  o: EngineOptions = DEFAULT_OPTIONS,
): Promise<string> {
  const { from, to } = await moveReportTo(x, change, reportId, toClusterId, a.now, o)
  const projectId = await projectOf(x, to)
  await record(x, { projectId, kind: 'move', clusterId: to, otherClusterId: from, reportId }, a)
  return to
}

/** Splits reports out of their cluster into one new cluster. Returns the new cluster's id. */
export async function splitReportsByHand(x: Executor, change: StateChange, reportIds: string[], a: Actor, o: EngineOptions = DEFAULT_OPTIONS): Promise<string> {
  if (!reportIds.length) throw new Error('nothing to split')
  const first = await moveReportByHand(x, change, reportIds[0]!, null, a, o)
  for (const id of reportIds.slice(1)) await moveReportByHand(x, change, id, first, a, o)
  return first
}

/** A responder says two clusters are about different problems: they are never merged. */
export async function markNotRelated(x: Executor, change: StateChange, clusterA: string, clusterB: string, a: Actor): Promise<void> {
  const projectId = await projectOf(x, clusterA)
  change.touch(projectId)
  await record(x, { projectId, kind: 'not_related', clusterId: clusterA, otherClusterId: clusterB }, a)
}

/**
 * Pairs of (current, resolved) cluster ids that must stay apart: "not related" marks and the two
 * ends of every hand move. Keys are "a|b" with a < b.
 */
export async function keptApart(x: Executor, projectId: string): Promise<Set<string>> {
  const rows = await all<{ a: string; b: string }>(
    x,
    sql`SELECT coalesce(ca.merged_into_id, ca.id) AS a, coalesce(cb.merged_into_id, cb.id) AS b
        FROM cluster_corrections k
        JOIN clusters ca ON ca.id = k.cluster_id
        JOIN clusters cb ON cb.id = k.other_cluster_id
        WHERE k.project_id = ${projectId} AND k.kind IN ('not_related', 'move')`,
  )
  const out = new Set<string>()
  for (const r of rows) if (r.a !== r.b) out.add(pairKey(r.a, r.b))
  return out
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)
