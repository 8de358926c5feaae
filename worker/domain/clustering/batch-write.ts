// What a batch of the report pipeline writes (batch.ts assigns, this module counts and writes): the
// per-cluster counters a batch gathers report by report, which of its reporters the clusters
// already count, and the multi-row statements that write the batch's state in the pipeline's one
// transaction. Functions over the batch's state, passed explicitly; ClusterBatch owns it.
import type { InStatement, InValue } from '@libsql/client'
import type { Reader } from '../../db/client.js'
import { inKeyOrder, multiRow } from '../../db/multi-row.js'
import { queryRows } from '../../db/raw-sql.js'
import type { BatchReport } from './batch.js'
import { breakdownValues } from './counters.js'
import type { CentroidState } from './memory.js'
import { DOCS_KEY } from './state.js'

/** A cluster's counters as one batch changes them. */
export interface Counts {
  reports: number
  /** people of this batch (person keys, people.ts), for the distinct count (checked against cluster_reporters) */
  reporters: Set<string>
  first: number
  last: number
  breakdowns: Map<string, [dimension: string, value: string, count: number]>
  /** the latest title set in this batch */
  title?: string
  /** set when this batch created the cluster: the creating report's time */
  createdAt?: number
}

/** A changed centroid and the time of the report that changed it last. */
export interface ChangedCentroid {
  state: CentroidState
  updatedAt: number
}

/** Counts report `r` into `clusterId`'s counters (`created`: the report started the cluster). */
export function countReport(
  counts: Map<string, Counts>,
  clusterId: string,
  r: BatchReport,
  created: boolean,
  title: string | undefined,
): void {
  let k = counts.get(clusterId)
  if (!k) {
    k = {
      reports: 0,
      reporters: new Set(),
      first: r.createdAt,
      last: r.createdAt,
      breakdowns: new Map(),
      createdAt: created ? r.createdAt : undefined,
    }
    counts.set(clusterId, k)
  }
  k.reports++
  // The same person as every other counting path (people.ts), so a batch and a recount agree.
  const person = r.personKey !== undefined ? r.personKey : r.reporterId
  if (person) k.reporters.add(person)
  k.first = Math.min(k.first, r.createdAt)
  k.last = Math.max(k.last, r.createdAt)
  if (title !== undefined) k.title = title
  for (const [d, v] of breakdownValues(r)) {
    const key = d + '\u0000' + v
    const e = k.breakdowns.get(key)
    if (e) e[2]++
    else k.breakdowns.set(key, [d, v, 1])
  }
}

/**
 * Adds to `known` which of the batch's (existing cluster, reporter) pairs are already counted
 * (`cluster id \0 reporter`): distinct reporters stay exact.
 */
export async function readKnownReporters(
  reader: Reader,
  counts: Map<string, Counts>,
  known: Set<string>,
): Promise<void> {
  const pairs: [string, string][] = []
  for (const [clusterId, k] of counts)
    if (k.createdAt === undefined) for (const r of k.reporters) pairs.push([clusterId, r])
  for (let i = 0; i < pairs.length; i += 1000) {
    const rows = await queryRows<{ cluster_id: string; reporter_id: string }>(reader, {
      sql: `SELECT r.cluster_id, r.reporter_id FROM json_each(?) j
            CROSS JOIN cluster_reporters r
              ON r.cluster_id = j.value ->> 0 AND r.reporter_id = j.value ->> 1`,
      args: [JSON.stringify(pairs.slice(i, i + 1000))],
    })
    for (const r of rows) known.add(r.cluster_id + '\u0000' + r.reporter_id)
  }
}

/** What a batch changed in memory, as batchStatements() writes it. */
export interface BatchChanges {
  projectId: string
  counts: Map<string, Counts>
  /** pairs readKnownReporters() found already counted */
  known: Set<string>
  changed: Map<string, ChangedCentroid>
  /** feature → cluster → weight written by this batch (null: the posting is removed) */
  postingChanges: Map<string, Map<string, number | null>>
  /** report_features rows: report, project, cluster, bag, created at */
  features: InValue[][]
  dfDelta: Map<string, number>
  docsDelta: number
}

/**
 * The batch's writes, to run in the pipeline's transaction after the reports' own rows are
 * checked: new clusters first (reports point at them), then counters, centroids, postings,
 * features and document frequencies.
 */
export function batchStatements(b: BatchChanges): { clusters: InStatement[]; rest: InStatement[] } {
  const p = b.projectId
  const newClusters: InValue[][] = []
  const updates: InValue[][] = []
  const reporters: InValue[][] = []
  const breakdowns: InValue[][] = []
  for (const [id, k] of b.counts) {
    let fresh = 0
    for (const r of k.reporters) {
      if (k.createdAt !== undefined || !b.known.has(id + '\u0000' + r)) {
        fresh++
        reporters.push([id, r])
      }
    }
    if (k.createdAt !== undefined)
      newClusters.push([id, p, k.title ?? '(empty report)', k.reports, fresh, k.first, k.last, k.createdAt])
    else updates.push([id, k.reports, fresh, k.first, k.last, k.title ?? null])
    for (const [d, v, n] of k.breakdowns.values()) breakdowns.push([id, d, v, n])
  }
  const vectors: InValue[][] = []
  for (const { state: c, updatedAt } of b.changed.values()) {
    vectors.push([
      c.clusterId,
      p,
      c.size,
      c.encoded,
      c.norm,
      c.representativeId,
      c.representativeScore,
      JSON.stringify(c.keyTerms),
      updatedAt,
    ])
  }
  const upserts: InValue[][] = []
  const removals: InValue[][] = []
  for (const [f, m] of b.postingChanges) {
    for (const [id, w] of m) {
      if (w === null) removals.push([p, f, id])
      else upserts.push([p, f, id, w])
    }
  }
  const df: InValue[][] = [[p, DOCS_KEY, b.docsDelta]]
  for (const [f, n] of b.dfDelta) df.push([p, f, n])

  const clusters = multiRow(
    `INSERT INTO clusters
       (id, project_id, title, report_count, reporter_count, first_seen_at, last_seen_at, created_at)
     SELECT * FROM $VALUES WHERE column1 IS NOT NULL`,
    newClusters,
    8,
  )
  const rest = [
    ...multiRow(
      `UPDATE clusters SET report_count = report_count + u.column2, reporter_count = reporter_count + u.column3,
         first_seen_at = min(first_seen_at, u.column4), last_seen_at = max(last_seen_at, u.column5),
         title = CASE WHEN title_source = 'human' THEN title ELSE coalesce(u.column6, title) END
       FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u WHERE clusters.id = u.column1`,
      updates,
      6,
    ),
    ...multiRow(
      `INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_id)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL`,
      reporters,
      2,
      64,
    ),
    ...multiRow(
      `INSERT INTO cluster_breakdowns (cluster_id, dimension, value, count)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (cluster_id, dimension, value) DO UPDATE SET count = count + excluded.count`,
      breakdowns,
      4,
      64,
    ),
    ...multiRow(
      `INSERT INTO cluster_vectors
         (cluster_id, project_id, size, vector, norm, representative_id, representative_score, key_terms, updated_at)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (cluster_id) DO UPDATE SET size = excluded.size, vector = excluded.vector, norm = excluded.norm,
         representative_id = excluded.representative_id, representative_score = excluded.representative_score,
         key_terms = excluded.key_terms, updated_at = excluded.updated_at`,
      inKeyOrder(vectors, 0),
      9,
    ),
    ...multiRow(
      `INSERT INTO cluster_postings (project_id, feature, cluster_id, weight)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (project_id, feature, cluster_id) DO UPDATE SET weight = excluded.weight`,
      // by feature only (stable): new rows of one feature keep their order, which breaks weight ties
      inKeyOrder(upserts, 1),
      4,
      128,
    ),
    ...multiRow(
      `DELETE FROM cluster_postings
       WHERE (project_id, feature, cluster_id) IN (SELECT * FROM $VALUES WHERE column1 IS NOT NULL)`,
      inKeyOrder(removals, 1, 2),
      3,
      64,
    ),
    ...multiRow(
      `INSERT INTO report_features (report_id, project_id, cluster_id, bag, created_at)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL`,
      b.features,
      5,
    ),
    ...multiRow(
      `INSERT INTO clustering_df (project_id, feature, df) SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (project_id, feature) DO UPDATE SET df = df + excluded.df`,
      inKeyOrder(df, 1),
      3,
      128,
    ),
  ]
  return { clusters, rest }
}
