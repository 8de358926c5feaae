// Responder corrections. Each is applied and recorded; the engine and refinement read the record
// and never undo it: merged-away clusters route to their target, moved reports stay pinned, and
// clusters marked "not related" (or a move's origin and destination, or the two sides of an
// undone merge) are never merged. Only the responder can take a merge back, for UNDO_MS.
import { sql } from 'drizzle-orm'
import { newId } from '../shared/index.js'
import { recount } from './counters.js'
import { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'
import { mergeInto, moveReportTo, resolveCluster } from './merge.js'
import { all, run, type Executor } from './sql.js'
import { dropCentroid, loadCentroids, reindexCentroid, type CentroidRow } from './state.js'
import { addInto, decodeVec } from './vectors.js'
import type { StateChange } from './change.js'

/** How long a responder's merge can be undone. */
export const UNDO_MS = 10 * 60_000

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
  c: {
    projectId: string
    kind: 'merge' | 'move' | 'not_related' | 'unmerge'
    clusterId: string
    otherClusterId?: string | null
    reportId?: string | null
  },
  a: Actor,
): Promise<void> {
  await run(
    x,
    sql`INSERT INTO cluster_corrections
          (project_id, kind, cluster_id, other_cluster_id, report_id, actor_id, created_at)
        VALUES (${c.projectId}, ${c.kind}, ${c.clusterId}, ${c.otherClusterId ?? null}, ${c.reportId ?? null},
                ${a.actorId ?? null}, ${a.now})`,
  )
}

/** A responder merges `sourceId` into `targetId`. Returns the cluster everything now lives in. */
export async function mergeClustersByHand(
  x: Executor,
  change: StateChange,
  sourceId: string,
  targetId: string,
  a: Actor,
): Promise<string> {
  const src = await resolveCluster(x, sourceId)
  const dst = await resolveCluster(x, targetId)
  const projectId = await projectOf(x, dst)
  if ((await projectOf(x, src)) !== projectId) throw new Error('clusters belong to different projects')
  if (src === dst) return dst
  await mergeInto(x, change, projectId, src, dst, a.now)
  await record(x, { projectId, kind: 'merge', clusterId: src, otherClusterId: dst }, a)
  return dst
}

export interface MergedGroup {
  /** the cluster everything now lives in */
  targetId: string
  /** undo handle: POST /api/merges/:group_id/undo */
  groupId: string
  undoUntil: number
  merged: { sourceId: string; reports: number }[]
}

/** Why an undo cannot run (the route answers 409 / 410 with the code). */
export class UndoRefused extends Error {
  constructor(
    readonly code: 'not_found' | 'undo_expired' | 'already_undone' | 'merge_superseded',
    message: string,
  ) {
    super(message)
  }
}

/** A whole `cluster_vectors` row (kept with an undoable merge, restored by undo). */
type VectorRow = CentroidRow & { project_id: string; updated_at: number }

/**
 * A responder merges several clusters into `targetId` in one action that can be undone until
 * `undoUntil`. For each source it records what a recount cannot give back: which reports moved,
 * the source's centroid as it was, and the clusters that had been merged into it (their pointers
 * are flattened onto the target by the merge).
 */
export async function mergeManyByHand(
  x: Executor,
  change: StateChange,
  sourceIds: string[],
  targetId: string,
  a: Actor,
  undoMs = UNDO_MS,
): Promise<MergedGroup> {
  const dst = await resolveCluster(x, targetId)
  const projectId = await projectOf(x, dst)
  const groupId = newId('mrg', a.now)
  const undoUntil = a.now + undoMs
  // What older merges of this project kept for their undo is forgotten once their window passed.
  await run(
    x,
    sql`DELETE FROM cluster_merge_reports WHERE merge_id IN (
          SELECT id FROM cluster_merges
          WHERE project_id = ${projectId} AND (undo_until < ${a.now} OR undone_at IS NOT NULL))`,
  )
  const merged: MergedGroup['merged'] = []
  for (const sourceId of sourceIds) {
    const src = await resolveCluster(x, sourceId)
    if ((await projectOf(x, src)) !== projectId) throw new Error('clusters belong to different projects')
    if (src === dst || merged.some((m) => m.sourceId === src)) continue
    const mergeId = newId('mrg', a.now)
    const [vector] = await all<VectorRow>(x, sql`SELECT * FROM cluster_vectors WHERE cluster_id = ${src}`)
    const children = await all<{ id: string }>(x, sql`SELECT id FROM clusters WHERE merged_into_id = ${src}`)
    const moved = await run(
      x,
      sql`INSERT INTO cluster_merge_reports (merge_id, report_id)
          SELECT ${mergeId}, id FROM reports WHERE cluster_id = ${src}`,
    )
    await run(
      x,
      sql`INSERT INTO cluster_merges (id, group_id, project_id, source_id, target_id, actor_id, source_vector, children,
            report_count, created_at, undo_until)
          VALUES (${mergeId}, ${groupId}, ${projectId}, ${src}, ${dst}, ${a.actorId ?? null},
                  ${vector ? JSON.stringify(vector) : null}, ${JSON.stringify(children.map((c) => c.id))},
                  ${moved.rowsAffected}, ${a.now}, ${undoUntil})`,
    )
    await mergeInto(x, change, projectId, src, dst, a.now)
    await record(x, { projectId, kind: 'merge', clusterId: src, otherClusterId: dst }, a)
    merged.push({ sourceId: src, reports: moved.rowsAffected })
  }
  return { targetId: dst, groupId, undoUntil, merged }
}

/**
 * Takes back a merge group: each source cluster gets back its reports (those still in the target),
 * its centroid and the clusters that had been merged into it; the target's centroid loses the
 * source's sum; both clusters' counters are recounted from their reports. Surge counters folded
 * into the target stay there (they age out of the baseline window; the restored cluster starts
 * with none, so the same reports cannot raise a surge twice). The two are kept apart afterwards,
 * so refinement does not merge them again. Returns the clusters restored and the target.
 */
export async function undoMergeByHand(
  x: Executor,
  change: StateChange,
  groupId: string,
  a: Actor,
): Promise<{ targetId: string; restored: string[]; projectId: string }> {
  const rows = await all<{
    id: string
    project_id: string
    source_id: string
    target_id: string
    source_vector: string | null
    children: string
    undo_until: number
    undone_at: number | null
  }>(
    x,
    sql`SELECT id, project_id, source_id, target_id, source_vector, children, undo_until, undone_at
        FROM cluster_merges WHERE group_id = ${groupId} ORDER BY id DESC`,
  )
  if (!rows.length) throw new UndoRefused('not_found', 'Not found.')
  if (rows.some((r) => r.undone_at !== null)) throw new UndoRefused('already_undone', 'This merge was already undone.')
  if (rows.some((r) => a.now > r.undo_until))
    throw new UndoRefused('undo_expired', 'This merge can no longer be undone.')
  const targetId = rows[0]!.target_id
  const projectId = rows[0]!.project_id
  const [target] = await all<{ merged_into_id: string | null }>(
    x,
    sql`SELECT merged_into_id FROM clusters WHERE id = ${targetId}`,
  )
  if (!target || target.merged_into_id)
    throw new UndoRefused('merge_superseded', 'The merged cluster was merged again since; undo that merge first.')
  change.touch(projectId, targetId)
  const restored: string[] = []
  for (const m of rows) {
    change.touch(projectId, m.source_id)
    await run(x, sql`UPDATE clusters SET merged_into_id = NULL WHERE id = ${m.source_id}`)
    const children = JSON.parse(m.children) as string[]
    if (children.length) {
      await run(
        x,
        sql`UPDATE clusters SET merged_into_id = ${m.source_id}
            WHERE merged_into_id = ${targetId} AND id IN (SELECT value FROM json_each(${m.children}))`,
      )
    }
    const moved = sql`SELECT report_id FROM cluster_merge_reports WHERE merge_id = ${m.id}`
    await run(
      x,
      sql`UPDATE reports SET cluster_id = ${m.source_id} WHERE cluster_id = ${targetId} AND id IN (${moved})`,
    )
    await run(
      x,
      sql`UPDATE report_features SET cluster_id = ${m.source_id}
          WHERE cluster_id = ${targetId} AND report_id IN (${moved})`,
    )
    if (m.source_vector) {
      const v = JSON.parse(m.source_vector) as VectorRow
      // The target's centroid without the source's sum (exact up to pruning to the strongest features).
      const [dst] = await loadCentroids(x, [targetId])
      if (dst) {
        addInto(dst.sum, decodeVec(v.vector), -1)
        for (const [k, w] of dst.sum) if (w <= 1e-9) dst.sum.delete(k)
        dst.size = Math.max(1, dst.size - v.size)
        if (dst.sum.size) await reindexCentroid(x, projectId, dst, a.now)
        else await dropCentroid(x, targetId)
      }
      await run(
        x,
        sql`INSERT INTO cluster_vectors (cluster_id, project_id, size, vector, norm, representative_id,
              representative_score, key_terms, updated_at)
            VALUES (${m.source_id}, ${projectId}, ${v.size}, ${v.vector}, ${v.norm}, ${v.representative_id},
                    ${v.representative_score}, ${v.key_terms}, ${a.now})
            ON CONFLICT (cluster_id) DO UPDATE SET size = excluded.size, vector = excluded.vector, norm = excluded.norm,
              representative_id = excluded.representative_id, representative_score = excluded.representative_score,
              key_terms = excluded.key_terms, updated_at = excluded.updated_at`,
      )
      const [src] = await loadCentroids(x, [m.source_id])
      if (src) await reindexCentroid(x, projectId, src, a.now)
    }
    await recount(x, m.source_id)
    await run(x, sql`UPDATE cluster_merges SET undone_at = ${a.now} WHERE id = ${m.id}`)
    await run(x, sql`DELETE FROM cluster_merge_reports WHERE merge_id = ${m.id}`)
    await record(x, { projectId, kind: 'unmerge', clusterId: m.source_id, otherClusterId: targetId }, a)
    restored.push(m.source_id)
  }
  await recount(x, targetId)
  return { targetId, restored, projectId }
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
export async function splitReportsByHand(
  x: Executor,
  change: StateChange,
  reportIds: string[],
  a: Actor,
  o: EngineOptions = DEFAULT_OPTIONS,
): Promise<string> {
  if (!reportIds.length) throw new Error('nothing to split')
  const first = await moveReportByHand(x, change, reportIds[0]!, null, a, o)
  for (const id of reportIds.slice(1)) await moveReportByHand(x, change, id, first, a, o)
  return first
}

/** A responder says two clusters are about different problems: they are never merged. */
export async function markNotRelated(
  x: Executor,
  change: StateChange,
  clusterA: string,
  clusterB: string,
  a: Actor,
): Promise<void> {
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
        WHERE k.project_id = ${projectId} AND k.kind IN ('not_related', 'move', 'unmerge')`,
  )
  const out = new Set<string>()
  for (const r of rows) if (r.a !== r.b) out.add(pairKey(r.a, r.b))
  return out
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)
