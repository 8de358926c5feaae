// Engine state in libSQL: online document frequencies, centroids and the inverted index.
import { sql } from 'drizzle-orm'
import { isIndexed } from './features.js'
import { all, run, type Executor } from './sql.js'
import { decodeVec, dotEncoded, encodeVec, norm, type Vec } from './vectors.js'

export interface DfSnapshot {
  docs: number
  df: Map<string, number>
}

/** Pseudo-feature whose df row counts the project's documents (one statement reads and bumps both). */
export const DOCS_KEY = '#docs'

/** df without counting anything in (refinement, corrections). */
export async function readDf(x: Executor, projectId: string, features: string[]): Promise<DfSnapshot> {
  const df = new Map<string, number>()
  let docs = 0
  // CROSS JOIN pins json_each as the outer loop: with a plain JOIN the planner (json_each has no
  // statistics) scanned every df row of the project and probed the list per row — 46 ms a call
  // on 5,000 features, 85 % of a refinement run.
  const rows = await all<{ feature: string; df: number }>(
    x,
    sql`SELECT d.feature, d.df FROM json_each(${JSON.stringify([DOCS_KEY, ...features])}) j
        CROSS JOIN clustering_df d ON d.project_id = ${projectId} AND d.feature = j.value`,
  )
  for (const r of rows) {
    if (r.feature === DOCS_KEY) docs = r.df
    else df.set(r.feature, r.df)
  }
  return { docs, df }
}

export interface Centroid {
  clusterId: string
  size: number
  sum: Vec
  norm: number
  representativeId: string | null
  representativeScore: number
  keyTerms: string[]
}

/** A `cluster_vectors` row as the engine reads it. */
export interface CentroidRow {
  cluster_id: string
  size: number
  vector: string
  norm: number
  representative_id: string | null
  representative_score: number
  key_terms: string
}

/**
 * A stored centroid. Candidates are scored straight from the parsed JSON object; the Map form
 * (needed only to update a centroid) is built on first use, which keeps lookups cheap.
 */
class StoredCentroid implements Centroid {
  clusterId: string
  size: number
  norm: number
  representativeId: string | null
  representativeScore: number
  keyTerms: string[]
  readonly encoded: string
  private map: Vec | undefined
  constructor(r: CentroidRow) {
    this.clusterId = r.cluster_id
    this.size = r.size
    this.norm = r.norm
    this.representativeId = r.representative_id
    this.representativeScore = r.representative_score
    this.keyTerms = JSON.parse(r.key_terms) as string[]
    this.encoded = r.vector
  }
  get sum(): Vec {
    return (this.map ??= decodeVec(this.encoded))
  }
  set sum(v: Vec) {
    this.map = v
  }
  get materialised(): boolean {
    return this.map !== undefined
  }
}

function centroidOf(r: CentroidRow): Centroid {
  return new StoredCentroid(r)
}

/** Cosine between a unit vector and a centroid, without materialising the centroid's Map. */
export function similarity(unit: Vec, c: Centroid): number {
  if (c.norm <= 0) return 0
  const enc = c instanceof StoredCentroid && !c.materialised ? c.encoded : undefined
  if (enc === undefined) {
    let s = 0
    for (const [k, x] of unit) {
      const y = c.sum.get(k)
      if (y !== undefined) s += x * y
    }
    return s / c.norm
  }
  return dotEncoded(enc, unit) / c.norm
}

export async function loadCentroids(x: Executor, clusterIds: string[]): Promise<Centroid[]> {
  if (!clusterIds.length) return []
  const rows = await all<CentroidRow>(
    x,
    sql`SELECT v.cluster_id, v.size, v.vector, v.norm, v.representative_id, v.representative_score, v.key_terms
        FROM json_each(${JSON.stringify(clusterIds)}) j JOIN cluster_vectors v ON v.cluster_id = j.value`,
  )
  return rows.map(centroidOf)
}

export interface LookupOptions {
  /** how many of the document's strongest indexed features to look up */
  queryFeatures: number
  /** how many clusters to read per feature (strongest first) */
  perFeature: number
  /** how many candidates to score exactly */
  candidates: number
  /**
   * how many of the strongest concept features to look up as well (across languages they are all
   * a report shares)
   */
  conceptFeatures?: number
  /**
   * candidates added by their concept features' score alone (they score low against the words of
   * a cluster in the other language)
   */
  conceptCandidates?: number
}

/** The best candidates by approximate score, plus the best by concept features alone. */
export function rankCandidates(
  scores: Map<string, number>,
  conceptScores: Map<string, number>,
  opts: LookupOptions,
): string[] {
  const ids = [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, opts.candidates)
    .map(([id]) => id)
  const extra = opts.conceptCandidates ?? 0
  if (extra > 0 && conceptScores.size) {
    const have = new Set(ids)
    let n = 0
    for (const [id] of [...conceptScores.entries()].sort((a, b) => b[1] - a[1])) {
      if (n >= extra) break
      if (have.has(id)) continue
      ids.push(id)
      n++
    }
  }
  return ids
}

/** The features a lookup queries: the strongest indexed ones, plus the strongest concepts not among them. */
export function queryOf(unit: Vec, opts: LookupOptions): [string, number][] {
  const indexed = [...unit.entries()].filter(([k]) => isIndexed(k)).sort((a, b) => b[1] - a[1])
  const query = indexed.slice(0, opts.queryFeatures)
  let extra = opts.conceptFeatures ?? 0
  for (let i = opts.queryFeatures; i < indexed.length && extra > 0; i++) {
    if (!indexed[i]![0].startsWith('c:')) continue
    query.push(indexed[i]!)
    extra--
  }
  return query
}

/**
 * Candidate clusters through the inverted index: for the document's strongest indexed features,
 * the clusters where that feature weighs most. Bounded work however many clusters exist.
 */
export async function findCandidates(
  x: Executor,
  projectId: string,
  unit: Vec,
  opts: LookupOptions,
  exclude?: string,
): Promise<Centroid[]> {
  const query = queryOf(unit, opts)
  if (!query.length) return []
  const found = await lookupCandidates(x, projectId, query, opts.candidates, opts, exclude)
  const extra = opts.conceptCandidates ?? 0
  const concepts = query.filter(([k]) => k.startsWith('c:'))
  if (extra > 0 && concepts.length) {
    // the best by concept features alone (they score low against a cluster in the other language's words)
    const have = new Set(found.map((c) => c.clusterId))
    let added = 0
    for (const c of await lookupCandidates(x, projectId, concepts, extra + found.length, opts, exclude, true)) {
      if (added >= extra) break
      if (have.has(c.clusterId)) continue
      found.push(c)
      added++
    }
  }
  return found
}

async function lookupCandidates(
  x: Executor,
  projectId: string,
  query: [string, number][],
  limit: number,
  opts: LookupOptions,
  exclude?: string,
  ordered = false,
): Promise<Centroid[]> {
  // Top postings per feature through the (project, feature, weight) index, an approximate score
  // per cluster, and the best candidates' centroids: one statement.
  const rows = await all<CentroidRow>(
    x,
    sql`WITH q AS (SELECT j.value ->> 0 AS feature, j.value ->> 1 AS w FROM json_each(${JSON.stringify(query)}) j),
        hits AS (
          SELECT p.cluster_id, sum(q.w * p.weight) AS score FROM q
          JOIN cluster_postings p ON p.rowid IN (
            SELECT rowid FROM cluster_postings r WHERE r.project_id = ${projectId} AND r.feature = q.feature
            ORDER BY r.weight DESC LIMIT ${opts.perFeature})
          WHERE p.cluster_id IS NOT ${exclude ?? null}
          GROUP BY p.cluster_id ORDER BY score DESC LIMIT ${limit})
        SELECT v.cluster_id, v.size, v.vector, v.norm, v.representative_id, v.representative_score, v.key_terms
        FROM hits JOIN cluster_vectors v ON v.cluster_id = hits.cluster_id
        ${ordered ? sql` ORDER BY hits.score DESC` : sql``}`,
  )
  return rows.map(centroidOf)
}

/**
 * Writes a centroid and brings its postings in line. `touched` are the features whose weight may
 * have changed (the added/removed document's features); `dropped` were pruned away.
 */
export async function saveCentroid(
  x: Executor,
  projectId: string,
  c: Centroid,
  now: number,
  touched: Iterable<string>,
  dropped: string[],
  isNew: boolean,
): Promise<void> {
  c.norm = norm(c.sum)
  const vector = encodeVec(c.sum)
  const keyTerms = JSON.stringify(c.keyTerms)
  if (isNew) {
    await run(
      x,
      sql`INSERT INTO cluster_vectors
            (cluster_id, project_id, size, vector, norm, representative_id, representative_score, key_terms, updated_at)
          VALUES (${c.clusterId}, ${projectId}, ${c.size}, ${vector}, ${c.norm}, ${c.representativeId},
                  ${c.representativeScore}, ${keyTerms}, ${now})`,
    )
  } else {
    await run(
      x,
      sql`UPDATE cluster_vectors SET size = ${c.size}, vector = ${vector}, norm = ${c.norm},
          representative_id = ${c.representativeId}, representative_score = ${c.representativeScore},
          key_terms = ${keyTerms}, updated_at = ${now} WHERE cluster_id = ${c.clusterId}`,
    )
  }
  const upserts: [string, number][] = []
  const deletes: string[] = [...dropped.filter(isIndexed)]
  for (const f of touched) {
    if (!isIndexed(f)) continue
    const w = c.sum.get(f)
    if (w === undefined) deletes.push(f)
    else upserts.push([f, w / c.norm])
  }
  if (upserts.length) {
    await run(
      x,
      sql`INSERT INTO cluster_postings (project_id, feature, cluster_id, weight)
          SELECT ${projectId}, j.value ->> 0, ${c.clusterId}, j.value ->> 1
          FROM json_each(${JSON.stringify(upserts)}) j WHERE true
          ON CONFLICT (project_id, feature, cluster_id) DO UPDATE SET weight = excluded.weight`,
    )
  }
  if (deletes.length) {
    await run(
      x,
      sql`DELETE FROM cluster_postings WHERE project_id = ${projectId} AND cluster_id = ${c.clusterId}
          AND feature IN (SELECT value FROM json_each(${JSON.stringify(deletes)}))`,
    )
  }
}

/** Rewrites all postings of a centroid (after a rebuild or a merge). */
export async function reindexCentroid(x: Executor, projectId: string, c: Centroid, now: number): Promise<void> {
  await run(x, sql`DELETE FROM cluster_postings WHERE cluster_id = ${c.clusterId}`)
  await saveCentroid(x, projectId, c, now, c.sum.keys(), [], false)
}

/** A cluster that was merged away leaves the index: it can never be a candidate again. */
export async function dropCentroid(x: Executor, clusterId: string): Promise<void> {
  await run(x, sql`DELETE FROM cluster_postings WHERE cluster_id = ${clusterId}`)
  await run(x, sql`DELETE FROM cluster_vectors WHERE cluster_id = ${clusterId}`)
}
